// The words a reader sees in <clientele-report> (its shadow DOM's text) and the check that
// they hold no missing key and, in Chinese, no English word but the allowed names and units
// (latin.js). Shared by i18n_page and i18n_quality_codes.
import assert from 'node:assert/strict';
import { englishWords } from './latin.js';

/** The words a reader sees in the element: its shadow DOM's text (charts' SVG text included),
 *  without what is the file's own (ids and headers in <code>, sample values, the file name,
 *  product names in .file-text) and
  without an error's original English details and the language menu's own names (English). */
export async function shownText(page) {
  return page.evaluate(() => {
    const root = document.querySelector('clientele-report').shadowRoot;
    const skip = 'code, .samples, .file-name, .file-text, .alert-original, .lang-menu option, style, script, [hidden]';
    const out = [];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent);
        else if (child.nodeType === Node.ELEMENT_NODE && !child.matches(skip)) walk(child);
      }
      if (node.nodeType === Node.ELEMENT_NODE) for (const a of ['aria-label', 'title', 'placeholder']) if (node.getAttribute(a)) out.push(node.getAttribute(a));
    };
    walk(root);
    return out.join('\n');
  });
}

/** The page's words in `lang`: no ⟦missing key⟧; in Chinese no English word left. */
export async function checkWords(page, lang, what) {
  const text = await shownText(page);
  assert.ok(!text.includes('⟦'), `${what}: missing keys ${[...text.matchAll(/⟦[^⟧]*⟧/g)].map((m) => m[0]).join(' ')}`);
  if (lang !== 'en') {
    // A name in quotes (「Quantity」, “column”) is the file's own, as it writes it.
    const words = [...new Set(englishWords(text.replace(/「[^」]*」|“[^”]*”/g, ' ')))];
    assert.deepEqual(words, [], `${what}: English left on the ${lang} page`);
  }
  return text;
}

