import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import catalogZh from '../features/catalog/locales/zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
export const LANGUAGE_STORAGE_KEY = 'xiangbo.language';

/** One namespace per feature (its own files under features/<name>/locales), so features never edit each other's strings. */
export const NAMESPACES = [
  'translation',
  'coop',
  'registry',
  'catalog',
  'orders',
  'money',
  'live',
  'reviews',
  'verify',
  'groupBuys',
  'presale',
  'coupons',
  'messages',
  'afterSales',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * What the first screen needs is in the first bundle: Chinese, for the shell, home and product cards.
 * Everything else (English, and the consoles' and money pages' strings) is its own small chunk, fetched when a
 * page asks for its namespace (react-i18next suspends under the layout's Suspense boundary meanwhile).
 */
const BUNDLED_NAMESPACES = ['translation', 'catalog'] as const satisfies readonly Namespace[];
export const bundled = {
  'zh-CN': { translation: zhCN, catalog: catalogZh },
} as const;

type Json = { default: ResourceKey };
const lazyResources: Record<Language, Partial<Record<Namespace, () => Promise<Json>>>> = {
  'zh-CN': {
    orders: () => import('../features/orders/locales/zh-CN.json'),
    live: () => import('../features/live/locales/zh-CN.json'),
    coop: () => import('../features/cooperatives/locales/zh-CN.json'),
    registry: () => import('../features/registry/locales/zh-CN.json'),
    money: () => import('../features/money/locales/zh-CN.json'),
    reviews: () => import('../features/reviews/locales/zh-CN.json'),
    verify: () => import('../features/verify/locales/zh-CN.json'),
    groupBuys: () => import('../features/group-buys/locales/zh-CN.json'),
    presale: () => import('../features/presale/locales/zh-CN.json'),
    coupons: () => import('../features/coupons/locales/zh-CN.json'),
    messages: () => import('../features/messages/locales/zh-CN.json'),
    afterSales: () => import('../features/after-sales/locales/zh-CN.json'),
  },
  en: {
    translation: () => import('./locales/en.json'),
    coop: () => import('../features/cooperatives/locales/en.json'),
    registry: () => import('../features/registry/locales/en.json'),
    catalog: () => import('../features/catalog/locales/en.json'),
    orders: () => import('../features/orders/locales/en.json'),
    money: () => import('../features/money/locales/en.json'),
    live: () => import('../features/live/locales/en.json'),
    reviews: () => import('../features/reviews/locales/en.json'),
    verify: () => import('../features/verify/locales/en.json'),
    groupBuys: () => import('../features/group-buys/locales/en.json'),
    presale: () => import('../features/presale/locales/en.json'),
    coupons: () => import('../features/coupons/locales/en.json'),
    messages: () => import('../features/messages/locales/en.json'),
    afterSales: () => import('../features/after-sales/locales/en.json'),
  },
};

/** An i18next backend that reads the lazily loaded resources above (a failed download is reported and retried). */
const lazyBackend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = isLanguage(language) ? lazyResources[language][namespace as Namespace] : undefined;
    if (!load) return callback(null, {});
    load().then(
      (m) => callback(null, m.default),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), null),
    );
  },
};

/** Loads every language and namespace (tests, which render synchronously, call it once before they start). */
export async function loadAllTranslations(): Promise<void> {
  await i18n.loadLanguages([...LANGUAGES]);
  await i18n.loadNamespaces([...NAMESPACES]);
}

export function isLanguage(value: string | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/** The language chosen before on this device (a few lines instead of a language-detector library). */
function savedLanguage(): Language | undefined {
  try {
    const saved = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY) ?? undefined;
    return isLanguage(saved) ? saved : undefined;
  } catch {
    return undefined; // storage blocked (private mode)
  }
}

i18n.on('languageChanged', (lng) => {
  try {
    if (isLanguage(lng)) globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // storage blocked: the choice lasts for this visit
  }
});

// Keep <html lang> in step so screen readers, fonts and hyphenation follow the chosen language.
i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
});

void i18n
  .use(lazyBackend)
  .use(initReactI18next)
  .init({
    resources: bundled,
    partialBundledLanguages: true,
    ns: [...BUNDLED_NAMESPACES],
    defaultNS: 'translation',
    // Chinese first: only an explicit choice (saved in localStorage) switches to English,
    // never the browser's language.
    lng: savedLanguage() ?? DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  });

export default i18n;
