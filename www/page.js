// The demo page's own words (header, footer, title) in the language <clientele-report> shows:
// it re-words them on each `clientele-language` event, from the catalogue area `page`.
import { t, translateTree } from './i18n.js';

document.addEventListener('clientele-language', (e) => {
  const lang = /** @type {CustomEvent} */ (e).detail?.lang ?? 'en';
  document.documentElement.lang = lang;
  document.title = t('page.title');
  translateTree(document);
});
