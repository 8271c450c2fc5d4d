import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import catalogEn from '../features/catalog/locales/en.json';
import catalogZh from '../features/catalog/locales/zh-CN.json';
import coopEn from '../features/cooperatives/locales/en.json';
import coopZh from '../features/cooperatives/locales/zh-CN.json';
import moneyEn from '../features/money/locales/en.json';
import moneyZh from '../features/money/locales/zh-CN.json';
import ordersEn from '../features/orders/locales/en.json';
import ordersZh from '../features/orders/locales/zh-CN.json';
import liveEn from '../features/live/locales/en.json';
import liveZh from '../features/live/locales/zh-CN.json';
import registryEn from '../features/registry/locales/en.json';
import registryZh from '../features/registry/locales/zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
export const LANGUAGE_STORAGE_KEY = 'xiangbo.language';

/** One namespace per feature (its own files under features/<name>/locales), so features never edit each other's strings. */
export const resources = {
  'zh-CN': {
    translation: zhCN,
    coop: coopZh,
    registry: registryZh,
    catalog: catalogZh,
    orders: ordersZh,
    money: moneyZh,
    live: liveZh,
  },
  en: {
    translation: en,
    coop: coopEn,
    registry: registryEn,
    catalog: catalogEn,
    orders: ordersEn,
    money: moneyEn,
    live: liveEn,
  },
} as const;

export function isLanguage(value: string | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

// Keep <html lang> in step so screen readers, fonts and hyphenation follow the chosen language.
i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
});

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    // Chinese first: only an explicit choice (saved in localStorage) switches to English,
    // never the browser's language.
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    detection: {
      order: ['localStorage'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  });

export default i18n;
