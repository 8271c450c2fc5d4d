import i18n from '../../i18n/i18n';
import consoleZh from './locales/console.zh-CN.json';

/**
 * The catalogue console's Chinese strings (product form, photos, lots, the console's lists). The `catalog`
 * namespace's Chinese is in every first load (home's product cards, the product page), so these are kept out of
 * it and merged into the same namespace when a console page's chunk is evaluated: importing this module (for its
 * effect) before rendering is enough. English is one lazy file with every key, as for the other namespaces.
 */
i18n.addResourceBundle('zh-CN', 'catalog', consoleZh, true, false);
