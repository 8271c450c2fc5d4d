import '../app/app';
import { preloadPages } from '../app/lazy-page';
import { loadAllTranslations } from '../i18n/i18n';

// Pages and translations outside the first bundle load on demand in the browser; the unit tests render
// synchronously, so everything is loaded once before they start.
await Promise.all([preloadPages(), loadAllTranslations()]);
