// The report's section navigation: a sticky list of links to the rendered sections, with the
// section being read marked (aria-current, found by an IntersectionObserver). The sections live
// in the element's shadow root, where a "#id" link cannot reach: a link scrolls to its section
// and moves focus to the section's heading, so keyboard and screen-reader users land there too.
import { el } from './dom.js';
import { t } from './i18n.js';

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Fills `nav` with a link per shown section in `sections` (each `section[data-section]`, not
 * hidden by the element's `sections` attribute, whose first
 * child is its `<h2>`); gives each section a landmark name from its heading. Returns a function
 * that stops watching the scroll position.
 * @param {HTMLElement} nav the (empty) `<nav>` element
 * @param {HTMLElement} sections the element holding the section hosts
 * @returns {() => void}
 */
export function buildSectionNav(nav, sections) {
  const hosts = [.../** @type {NodeListOf<HTMLElement>} */ (sections.querySelectorAll(':scope > section[data-section]'))].filter((h) => !h.hidden);
  const links = new Map();
  const byId = new Map();
  for (const host of hosts) {
    const id = host.dataset.section;
    /** @type {HTMLElement | null} */
    const heading = host.querySelector(':scope > h2');
    if (heading) {
      heading.id = `section-${id}-title`;
      heading.tabIndex = -1;
      host.setAttribute('aria-labelledby', heading.id);
    }
    host.id = `section-${id}`;
    byId.set(id, { host, heading, name: heading?.textContent ?? id });
  }
  const go = (id) => (e) => {
    const target = byId.get(id);
    if (!target) return;
    e.preventDefault();
    target.host.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
    (target.heading ?? target.host).focus({ preventScroll: true });
    mark(id);
  };
  const items = [...byId].map(([id, { name }]) => {
    const link = el('a', { href: `#section-${id}`, 'data-nav': id, onclick: go(id) }, name);
    links.set(id, link);
    return el('li', {}, link);
  });
  // Links inside sections to another section (the summary's "see …" links).
  for (const a of /** @type {NodeListOf<HTMLAnchorElement>} */ (sections.querySelectorAll('a[data-goto]'))) {
    const target = byId.get(a.dataset.goto);
    if (!target) {
      a.remove();
      continue;
    }
    a.textContent = t('nav.goto', { section: target.name });
    a.addEventListener('click', go(a.dataset.goto));
  }
  nav.replaceChildren(el('h2', { class: 'nav-title', id: 'section-nav-title' }, t('nav.title')), el('ol', {}, items));
  nav.setAttribute('aria-labelledby', 'section-nav-title');

  let current = null;
  function mark(id) {
    if (id === current) return;
    current = id;
    for (const [key, link] of links) {
      if (key === id) {
        link.setAttribute('aria-current', 'location');
        revealInList(link);
      } else link.removeAttribute('aria-current');
    }
  }
  if (hosts.length) mark(hosts[0].dataset.section);
  if (typeof IntersectionObserver !== 'function') return () => {};
  // A section is current while it crosses a line a quarter down the viewport; the first of those
  // in document order wins.
  const visible = new Set();
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) visible.add(e.target);
        else visible.delete(e.target);
      }
      const top = hosts.find((h) => visible.has(h));
      if (top) mark(top.dataset.section);
    },
    { rootMargin: '-25% 0px -74% 0px' },
  );
  hosts.forEach((h) => io.observe(h));
  return () => io.disconnect();
}

/** Scrolls the navigation's own list (never the page) so that `link` is in it. */
function revealInList(link) {
  const list = link.closest('ol');
  if (!list) return;
  if (list.scrollWidth > list.clientWidth) list.scrollLeft = Math.max(0, link.offsetLeft - list.clientWidth / 3);
  if (list.scrollHeight > list.clientHeight) list.scrollTop = Math.max(0, link.offsetTop - list.clientHeight / 3);
}

/**
 * Gives every table box of the report (`.table-wrap`, which scrolls when the table is wider or
 * taller than it) a Tab stop and a name, now and whenever a section adds one later (a page of
 * customers, a migration cell's list), so keyboard users can scroll it. Returns a function that
 * stops watching.
 * @param {HTMLElement} root
 * @returns {() => void}
 */
export function watchScrollRegions(root) {
  const label = () => {
    for (const wrap of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('.table-wrap:not([tabindex])'))) {
      const holder = wrap.closest('.panel, details, section');
      const name = holder?.querySelector('h3, summary, h2')?.textContent?.trim() ?? '';
      wrap.tabIndex = 0;
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', t('a11y.scroll_region', { title: name }));
    }
  };
  let queued = false;
  const mo = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      label();
    });
  });
  mo.observe(root, { childList: true, subtree: true });
  return () => mo.disconnect();
}
