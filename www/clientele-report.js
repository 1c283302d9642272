// <clientele-report>: the Clientele widget. A transaction or customer-level file goes in (drop, picker or the
// bundled sample), a Web Worker runs the Rust/wasm core on it, and the Report comes back to be
// rendered section by section (www/sections/). The demo page is just its first host; embedding
// is the same element. Nothing leaves the browser: the file is handed to the worker as a File
// handle (never read on the main thread) and the CSV export is the core's own bytes.
// Scale: the page receives a bounded report (no per-customer arrays); the per-customer data
// stays in the worker, which answers pages of the customer table and builds the exports as
// Blobs from bounded chunks, so no string grows with the number of customers.
//
// Usage:
//   <script type="module" src="clientele-report.js"></script>
//   <clientele-report sample="./sample/cdnow_sample.js" bins="4" options='{"clv":{"model":"pnbd"}}'></clientele-report>
// The declarations are in clientele-report.d.ts (ClienteleReport, its events and ViewState).
//
// Attributes (observed; each has a property, named in brackets, that reflects it):
//   sample   URL of an ES module whose default export is the sample file as base64 text and
//            whose `name` export is its file name (the page's CSP forbids fetch, so the sample
//            ships as a module). Without it, the "Try the sample" button is hidden.
//   options  [options: object] JSON of AnalyzeOptions (see pkg/clientele.d.ts); merged under
//            the options given to analyze().
//   as-of [asOf] bins [bins] tie-rule [tieRule] k [k] horizon-days [horizonDays]
//   clv-months [clvMonths] clv-model [clvModel]
//            one option each (www/element/options.js: as_of, rfm.bins, rfm.method, cluster.k
//            ('auto' = chosen), propensity.horizon_days, clv.horizon_months, clv.model), over
//            `options`. Changing any option attribute after a run analyses the same file again.
//   lang     'en', 'zh-Hans' or 'zh-Hant' (any zh-* tag maps to one of them): the page's
//            language; without it, the browser's (navigator.languages). The language menu sets
//            it; changing it re-words the page from the held report (no new analysis).
//   sections [sections: string[] | null] the section ids to show, space or comma separated
//            (summary quality rfm clusters propensity clv lifecycle cohorts migration crosssell
//            customers target readback); all when absent. The analyses behind sections not shown
//            are not computed (the core's `sections` option, element/options.js coreSections:
//            they read unavailable, code not_requested); showing one later analyses the held
//            file again.
//   hash-state  when present, the view state (save()) is mirrored in the URL hash, in its own
//            parameter `clientele.<key>` (key: this attribute's value, else the element's id,
//            else the element's place among the page's hash-state elements), and restored from
//            it; the rest of the hash (an #anchor, other parameters) is kept as it is.
// Properties and methods:
//   analyze(fileOrBlob, options?) → Promise<PageReport>  runs the core (cancels a running one)
//   cancel()                                          stops the run; the widget stays usable
//   preload() → Promise<void>                         starts the worker, the wasm core and the
//                                                     chart library now instead of on first use
//   report                                            the last PageReport (plain object) or null:
//                                                     the Report without per-customer arrays
//                                                     (see PageReport in pkg/clientele.d.ts);
//                                                     settable: a saved PageReport is drawn
//                                                     without its file (no exports, no table
//                                                     pages: those need the worker's Analysis)
//   save() → ViewState                                { version, options, sections, lang }: the
//                                                     options and what is shown, never data
//   restore(state)                                    applies a ViewState (re-runs a held file)
//   csv({ excel, header }?) → Promise<Blob|null>      the last per-customer CSV, the core's bytes
//                                                     (excel: true = "CSV for Excel", UTF-8 BOM
//                                                     first; header: 'words' = column names in the
//                                                     page's language, money columns with the
//                                                     file's currency, as the Export buttons
//                                                     write it); `await (await el.csv()).text()`
//   targetList({ excel, header }?) → Promise<Blob|null>  the target list (deciles 1–2); null
//                                                     without a propensity model
//   buildTargetList(recipe, planner?) → Promise<TargetView>  the campaign's target list (recipe:
//                                                     TargetRecipe; planner: PlannerParams), held
//                                                     in the worker; campaignList({ excel }?) →
//                                                     Promise<Blob|null> its CSV
//   readback(responses, list?, options?) → Promise<ReadbackReport>  a response file read back
//                                                     against `list` (a list CSV) or the list built
//   customerRows(offset, limit) → Promise<{ rows, total }>  rows of the customer table (every
//                                                     export column), highest spend first
//   notes()                                           notes on that CSV (plain text, the core's English) or null;
//                                                     the "Export notes" button saves them in the page's language
// Events (bubbling, composed):
//   clientele-progress  detail: { stage, fraction, bytes_read, rows_read, total_bytes }
//                       (stage: the core's, or 'workbook' while workbook support loads)
//   clientele-report    detail: the PageReport (after a run, or when `report` is set)
//   clientele-error     detail: { message, file?, row?, column?, kind }
//   clientele-cancel    detail: null
//   clientele-state     detail: the ViewState, whenever it changes (options, sections, lang)
//   clientele-language  detail: { lang } ('en', 'zh-Hans', 'zh-Hant'): the words changed (the
//                       lang attribute, the language menu, or the browser's language at start)
// Theming (CSS custom properties, set on the element or any ancestor; read again at each draw,
// the charts included, www/element/theme.js):
//   --clientele-font, --clientele-accent, --clientele-accent-text, --clientele-bg,
//   --clientele-surface, --clientele-text, --clientele-muted, --clientele-border,
//   --clientele-radius, --clientele-danger, --clientele-warning, --clientele-ok,
//   --clientele-chart-1 … --clientele-chart-8 (the charts' category colours)
// Parts (::part): root, language, intake, progress, alert, results, toolbar, section, chart, nav.
// Style sheets: style.css, sections.css and report.css, embedded as text (scripts/embed-styles.mjs) and
// adopted as one constructable sheet shared by every instance.
// Nothing starts before first use: the worker, the wasm core and the chart library load on the
// first analyze() (or preload()).
import sections from './sections/index.js';
import { el, table, fmt } from './dom.js';
import { chart, loadCharts } from './charts.js';
import { coreModule } from './engine.js';
import { t, has, chooseLang, setLang, loadLang, currentLang, LANGS, LANG_NAMES, translateTree, setCurrency } from './i18n.js';
import { buildSectionNav, watchScrollRegions } from './report-nav.js';
import { OPTION_ATTRIBUTES, STATE_VERSION, attributeOptions, mergeOptions, stateOptions, parseSections, coreSections, hashKey, readHash, writeHash } from './element/options.js';
import { readTheme } from './element/theme.js';
import { withWordedHeader } from './export-header.js';
import { exportNotes } from './export-notes.js';
// style.css, sections.css and report.css as text (scripts/embed-styles.mjs), adopted as one shared sheet.
import elementCss from './element-styles.js';
import { workerUrl } from './element/worker-url.js';
/** @typedef {import('./pkg/clientele.js').PageReport} PageReport */
/** @typedef {import('./pkg/clientele.js').AnalyzeOptions} AnalyzeOptions */

/** The progress stage's words: the core's stage name, or 'workbook' while workbook support loads. */
function stageText(stage) {
  return has(`common.stage.${stage}`) ? t(`common.stage.${stage}`) : t('common.stage.other', { stage });
}

const DEFAULT_SAMPLE_NAME = 'sample.txt';

/** @type {CSSStyleSheet | null} */
let sharedSheet = null;

/** The element's style sheet, built once per page and adopted by every instance. */
function elementSheet() {
  if (!sharedSheet) {
    sharedSheet = new CSSStyleSheet();
    sharedSheet.replaceSync(elementCss);
  }
  return sharedSheet;
}

/** @typedef {{ version: number, options: AnalyzeOptions, sections: string[] | null, lang: string | null }} ViewState */

class ClienteleReport extends HTMLElement {
  static get observedAttributes() {
    return ['sample', 'options', ...OPTION_ATTRIBUTES.map((a) => a.attr), 'lang', 'sections', 'hash-state'];
  }

  constructor() {
    super();
    /** @type {PageReport | null} */
    this._report = null;
    this._notes = null;
    this._customers = 0;
    this._targets = null;
    this._pending = new Map(); // req → { resolve, reject }
    this._reqId = 0;
    /** Bounds passed to the worker, lower than the measured ones ({ pageReportBytes, maxCustomers }):
     *  for tests, or a host that wants to refuse big files early; empty in normal use. Also how
     *  many workers read a large file ({ workers: N | 'auto', parallelMinBytes }; not set: one, as
     *  the chunked read shows no progress until its merge). */
    this.limits = {};
    /** How many workers read the last file (1: one worker, in one pass). */
    this.readers = 1;
    this._worker = null;
    this._run = null; // { id, resolve, reject, total }
    this._runId = 0;
    this._charts = [];
    /** Which build of the core the workers run (www/engine.js): 'text' until a workbook needs
     *  the other one, then 'workbook' for the rest of the page's life.
     *  @type {import('./engine.js').CoreKind} */
    this._core = 'text';
    /** Whether the report drawn came from a run in this element's worker (exports and table
     *  pages can be asked) rather than from the `report` setter. */
    this._fromRun = false;
    this._rerunQueued = false;
    this._connected = false;
    /** @type {(() => void) | null} */
    this._onHashChange = null;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [elementSheet()];
    root.append(this._build());
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this._run) this.cancel();
    });
  }

  /** The last PageReport (a plain object, no per-customer arrays), or null. */
  get report() {
    return this._report;
  }

  /** Draws a saved PageReport without its file (null clears the results). Exports and the
   *  customer table's further pages need a run in this element and are not offered. */
  set report(report) {
    if (this._run) this._abort();
    this._report = report ?? null;
    this._fromRun = false;
    this._heldId = null;
    this._last = null;
    this._notes = null;
    this._targets = null;
    this._notesBtn.hidden = true;
    this._targetBtn.hidden = true;
    this._setExports(false);
    this._hideAlert();
    this._setNotice('');
    if (!report) {
      this._results.hidden = true;
      this._sections.replaceChildren();
      return;
    }
    Promise.all([loadCharts().catch(() => {}), loadLang(this.language).catch(() => {})])
      .then(() => {
        if (this._report !== report) return;
        this._render(report, report.quality?.file_name ?? '');
        this.dispatchEvent(new CustomEvent('clientele-report', { bubbles: true, composed: true, detail: report }));
      });
  }

  /** The `options` attribute as an object (a copy), or {}; setting it sets the attribute. */
  get options() {
    const text = this.getAttribute('options');
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  }

  set options(value) {
    if (value == null) this.removeAttribute('options');
    else this.setAttribute('options', JSON.stringify(value));
  }

  /** The section ids shown, or null for all. */
  get sections() {
    return parseSections(this.getAttribute('sections'));
  }

  set sections(ids) {
    if (ids == null) this.removeAttribute('sections');
    else this.setAttribute('sections', [...ids].join(' '));
  }

  /** Starts the worker, the wasm core and the chart library now rather than on first use. */
  preload() {
    this._ensureWorker();
    return Promise.all([coreModule(this._core), loadCharts(), loadLang(this.language)]).then(() => {});
  }

  /** The view state: the options in effect (attributes and those chosen on the page, without
   *  the file's name or the day), the sections shown and the language. Never data.
   *  @returns {ViewState} */
  save() {
    const options = stateOptions(mergeOptions(attributeOptions(this), this._last?.options));
    return { version: STATE_VERSION, options, sections: this.sections, lang: this.getAttribute('lang') };
  }

  /** Applies a view state from save(): the options become the `options` attribute (the option
   *  attributes are removed, as the state holds their values), the sections and the language
   *  are set; a file analysed here is analysed again with them.
   *  @param {ViewState} state */
  restore(state) {
    if (!state || typeof state !== 'object' || state.version !== STATE_VERSION) {
      throw new TypeError(`restore() takes a state from save() (version ${STATE_VERSION})`);
    }
    this._restoring = true;
    try {
      for (const { attr } of OPTION_ATTRIBUTES) this.removeAttribute(attr);
      if (this._last) this._last = { ...this._last, options: undefined };
      this.options = state.options ?? {};
      this.sections = state.sections ?? null;
      if (state.lang) this.setAttribute('lang', state.lang);
      else this.removeAttribute('lang');
    } finally {
      this._restoring = false;
    }
    this._optionsChanged();
  }

  /** The per-customer CSV of the last run as a Blob of the core's bytes (built in the worker
   *  from bounded chunks), or null; `{ excel: true }` puts the UTF-8 BOM first; `{ header:
   *  'words' }` words the header line in the page's language with the money columns' currency
   *  (the Export buttons' file; export-header.js). */
  csv({ excel = false, header = 'names' } = {}) {
    if (!this._report) return Promise.resolve(null);
    return this._request({ type: 'export', which: 'customers', bom: excel }).then((r) => this._header(r.blob ?? null, header));
  }

  /** The target list (propensity deciles 1–2, most likely first) as a Blob, or null; options as csv(). */
  targetList({ excel = false, header = 'names' } = {}) {
    if (!this._report || this._targets == null) return Promise.resolve(null);
    return this._request({ type: 'export', which: 'targets', bom: excel }).then((r) => this._header(r.blob ?? null, header));
  }

  /** `blob` with its header worded when `header` is 'words'. */
  _header(blob, header) {
    return blob && header === 'words' ? withWordedHeader(blob, this._report?.quality?.currency?.code) : blob;
  }

  /** Builds the campaign's target list from a recipe (TargetRecipe) with the sample-size
   *  planner (PlannerParams); resolves with the bounded TargetView. The list stays in the worker. */
  buildTargetList(recipe = {}, planner = {}) {
    if (!this._report) return Promise.reject(Object.assign(new Error('Analyse a file first.'), { kind: 'internal' }));
    return this._request({ type: 'target', recipe: JSON.stringify(recipe), planner: JSON.stringify(planner) }).then((r) => r.view);
  }

  /** The target list built last as a CSV Blob (group column, recipe in the header), or null. */
  campaignList({ excel = false } = {}) {
    if (!this._report) return Promise.resolve(null);
    return this._request({ type: 'export', which: 'campaign', bom: excel }).then((r) => r.blob ?? null);
  }

  /** Reads a response file back against `list` (a target list CSV File/Blob) or, without it,
   *  the list built last; options: { responses: ResponseOptions, params: ReadbackParams }. */
  readback(responses, list = null, options = {}) {
    if (!this._report) return Promise.reject(Object.assign(new Error('Analyse a file first.'), { kind: 'internal' }));
    const name = responses instanceof File ? responses.name : undefined;
    const merged = { ...options, responses: { ...(name ? { file_name: name } : {}), ...(options.responses ?? {}) } };
    return this._request({ type: 'readback', responses, list: list ?? undefined, options: JSON.stringify(merged) }).then((r) => r.readout);
  }

  /** Rows offset..offset+limit of the customer table (the core's order), and the total. */
  customerRows(offset, limit = 100) {
    if (!this._report) return Promise.resolve({ rows: [], total: 0 });
    if (!this._fromRun) {
      // A saved report: the rows it carries (top_customers), as the worker is not holding any.
      const rows = this._report.top_customers ?? [];
      return Promise.resolve({ rows: rows.slice(offset, offset + limit), total: rows.length });
    }
    return this._request({ type: 'rows', offset, limit }).then((r) => ({ rows: r.rows, total: r.total }));
  }

  /**
   * Rows offset..offset+limit of the customers in one cell of the segment migration matrix
   * (from: segment index at the earlier date, null for "not yet a customer"; to: today's).
   * @param {number | null} from
   * @param {number} to
   * @param {number} offset
   * @param {number} [limit]
   */
  migrationRows(from, to, offset, limit = 100) {
    if (!this._report) return Promise.resolve({ rows: [], total: 0 });
    return this._request({ type: 'migration_rows', from, to, offset, limit }).then((r) => ({ rows: r.rows, total: r.total }));
  }

  /** Notes on the per-customer CSV (columns not to be trusted, unknown values), or null. */
  notes() {
    return this._notes;
  }

  connectedCallback() {
    this._updateSample();
    // From here on, state changes are told (before, during an upgrade, the attributes arrive one
    // by one, and writing each to the hash would overwrite the state the hash brings).
    this._connected = true;
    if (this.hasAttribute('hash-state')) {
      this._fromHash();
      this._watchHash(true);
    }
    this._applyLang();
  }

  disconnectedCallback() {
    this._connected = false;
    this._stopWorker();
    this._stopNav?.();
    this._watchHash(false);
  }

  /** Follows the URL hash (hash-state): a state arriving there is applied. */
  _watchHash(on) {
    this._onHashChange ??= () => this._fromHash(true);
    window.removeEventListener('hashchange', this._onHashChange);
    if (on) window.addEventListener('hashchange', this._onHashChange);
  }

  /** @param {string} name @param {string | null} old @param {string | null} value */
  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'sample') this._updateSample();
    else if (name === 'sections') {
      this._showSections();
      if (this._missingSections()) this._rerun();
    } else if (name === 'lang') {
      this._applyLang();
      this._stateChanged();
    } else if (name === 'hash-state') {
      if (value != null && this._connected) this._writeHash();
      if (this._connected) this._watchHash(value != null);
    } else if (!this._restoring) this._optionsChanged();
  }

  /** An option changed: analyse the held file again, once for several changes in one task, and
   *  not at all when analyze() is called in that task (it reads the new options itself). */
  _optionsChanged() {
    this._stateChanged();
    this._rerun();
  }

  /** Analyses the held file again, once for several changes in one task. */
  _rerun() {
    if (!this._last || this._rerunQueued) return;
    this._rerunQueued = true;
    const runId = this._runId;
    queueMicrotask(() => {
      this._rerunQueued = false;
      if (this._last && this._runId === runId) this._analyzeFromUi(this._last.file, this._last.options);
    });
  }

  /** Tells the host (clientele-state) and the URL hash (hash-state) about the view state. */
  _stateChanged() {
    if (!this._connected) return;
    const state = this.save();
    this._writeHash(state);
    this.dispatchEvent(new CustomEvent('clientele-state', { bubbles: true, composed: true, detail: state }));
  }

  _writeHash(state = this.save()) {
    if (!this.hasAttribute('hash-state')) return;
    const hash = writeHash(location.hash, hashKey(this), state);
    if (hash !== location.hash) history.replaceState(history.state, '', hash);
  }

  /** Applies the state in the URL hash. After a navigation that dropped it (a link to an
   *  #anchor), the state held is put back beside the new hash, which is kept. */
  _fromHash(navigated = false) {
    const state = readHash(location.hash, hashKey(this));
    if (!state) {
      if (navigated) this._writeHash();
      return;
    }
    const now = this.save();
    if (JSON.stringify(now) === JSON.stringify(state)) return;
    try {
      this.restore(state);
    } catch (e) {
      console.warn(`<clientele-report>: the state in the URL hash was not applied: ${e?.message ?? e}`);
    }
  }

  /** Whether a section now shown was not computed by the run held (sections asked for then). */
  _missingSections() {
    const report = this._report;
    if (!report || !this._fromRun) return false;
    const asked = coreSections(this.sections) ?? ['clusters', 'propensity', 'clv', 'lifecycle', 'cross_sell', 'cohorts', 'migration'];
    return asked.some((s) => /** @type {any} */ (report)[s]?.code === 'not_requested');
  }

  _showSections() {
    const shown = this.sections;
    for (const host of this._sections.querySelectorAll('section[data-section]')) {
      /** @type {HTMLElement} */ (host).hidden = shown != null && !shown.includes(/** @type {HTMLElement} */ (host).dataset.section);
    }
    // The navigation lists the shown sections only.
    if (this._stopNav) {
      this._stopNav();
      this._stopNav = buildSectionNav(this._nav, this._sections);
    }
    this._stateChanged();
  }

  _setExports(enabled) {
    for (const b of [this._exportBtn, this._excelBtn]) b.hidden = !enabled;
  }

  /** The language shown: the `lang` attribute, else the browser's ('en', 'zh-Hans', 'zh-Hant'). */
  get language() {
    return chooseLang(this.getAttribute('lang'));
  }

  /** Words the page in the language of the `lang` attribute (else the browser's): the chrome
   *  is re-worded in place, the report re-rendered from the Report held (no new analysis). */
  _applyLang() {
    const lang = this.language;
    // English chrome ships with the page; the rest of the English words load with the first
    // run (analyze). Another language's catalogue first (fetched once per page); meanwhile the
    // page stays as it is.
    if (lang === 'en') {
      this._showLang(lang);
      if (this._report) loadLang(lang).then(() => this._report && this._render(this._report, this._reportName));
      return;
    }
    loadLang(lang).then(
      () => {
        if (this.language === lang) this._showLang(lang);
      },
      (e) => console.warn(`<clientele-report>: the ${lang} words could not be loaded`, e),
    );
  }

  _showLang(lang) {
    const changed = lang !== this._shownLang;
    this._shownLang = lang;
    setLang(lang);
    if (!changed || !this._langMenu) return;
    this._langMenu.value = lang;
    this.shadowRoot.querySelector('.clientele')?.setAttribute('lang', lang);
    translateTree(this.shadowRoot);
    if (this._lastProgress && !this._progress.hidden) this._showProgress(this._lastProgress);
    if (this._lastError && !this._alert.hidden) this._showError(this._lastError);
    if (this._noticeKey && !this._notice.hidden) this._setNotice(t(this._noticeKey), this._noticeKey);
    if (this._report && !this._results.hidden) this._render(this._report, this._reportName);
    this.dispatchEvent(new CustomEvent('clientele-language', { bubbles: true, composed: true, detail: { lang } }));
  }

  /**
   * Runs the core on a File or Blob; resolves with the Report, rejects with the located error.
   * @param {Blob} file
   * @param {AnalyzeOptions} [options]
   * @returns {Promise<PageReport>}
   */
  analyze(file, options) {
    if (!(file instanceof Blob)) {
      return Promise.reject(new TypeError('analyze() takes a File or Blob'));
    }
    if (this._run) this._abort();
    this._ensureWorker();
    this._last = { file, options };
    this._heldId = null; // the worker frees the last result when this run starts
    const id = ++this._runId;
    const merged = mergeOptions(attributeOptions(this), options);
    // Sections not shown are not computed (the core reads them as not_requested).
    const asked = coreSections(this.sections);
    if (asked && merged.sections == null) merged.sections = /** @type {any} */ (asked);
    const name = file instanceof File ? file.name : '';
    if (name) merged.ingest = { file_name: name, ...(merged.ingest ?? {}) };
    this._showProgress({ stage: 'starting', fraction: 0, bytes_read: 0, rows_read: 0 }, file);
    this._setBusy(true);
    // The chart library and the words load while the core works; the report is drawn once all
    // are here.
    loadCharts().catch(() => {});
    loadLang(this.language).catch(() => {});
    this._hideAlert();
    this._setNotice('');
    return new Promise((resolve, reject) => {
      const limits = this.limits && Object.keys(this.limits).length ? this.limits : undefined;
      const msg = { id, blob: file, options: merged, limits };
      this._run = { id, resolve, reject, total: file.size, name, msg };
      this._worker.postMessage(msg);
    });
  }

  /** Stops the running analysis (terminates its worker; a fresh one is started). */
  cancel() {
    if (!this._run) return;
    this._abort();
    this._setNotice(t('common.cancelled_notice'), 'common.cancelled_notice');
    this.dispatchEvent(new CustomEvent('clientele-cancel', { bubbles: true, composed: true, detail: null }));
  }

  // ---- internals -------------------------------------------------------------------------

  _build() {
    this._input = el('input', {
      type: 'file',
      class: 'file-input',
      accept: '.csv,.tsv,.txt,.tab,.dat,.xlsx,.xlsm,.xlsb,.xls,.ods,text/csv,text/plain,text/tab-separated-values',
      'aria-label': t('common.drop.choose_label'),
      'data-i18n-attr': 'aria-label:common.drop.choose_label',
      tabindex: '-1',
      onchange: () => {
        const f = this._input.files?.[0];
        if (f) this._analyzeFromUi(f);
        this._input.value = '';
      },
    });
    const choose = el('button', { type: 'button', class: 'btn primary', 'data-i18n': 'common.drop.choose', onclick: () => this._input.click() }, t('common.drop.choose'));
    this._sampleBtn = el(
      'button',
      { type: 'button', class: 'btn', 'data-action': 'sample', 'data-i18n': 'common.drop.sample', onclick: () => this._trySample() },
      t('common.drop.sample'),
    );
    this._drop = el(
      'div',
      {
        class: 'drop',
        role: 'group',
        'aria-label': t('common.drop.label'),
        'data-i18n-attr': 'aria-label:common.drop.label',
        // A click anywhere but on a button opens the picker too; keyboard users have the buttons.
        onclick: (e) => {
          if (!e.target.closest('button') && e.target !== this._input) this._input.click();
        },
        ondragover: (e) => {
          e.preventDefault();
          this._drop.classList.add('over');
        },
        ondragleave: () => this._drop.classList.remove('over'),
        ondrop: (e) => {
          e.preventDefault();
          this._drop.classList.remove('over');
          const f = e.dataTransfer?.files?.[0];
          if (f) this._analyzeFromUi(f);
        },
      },
      el('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
      el(
        'div',
        { class: 'drop-text' },
        el('strong', { 'data-i18n': 'common.drop.title' }, t('common.drop.title')),
        el('span', { class: 'muted', 'data-i18n': 'common.drop.hint' }, t('common.drop.hint')),
      ),
      el('div', { class: 'drop-actions' }, choose, this._sampleBtn),
      this._input,
    );

    // Only the stage is announced; the byte and row counts change too often to read out.
    this._stage = el('div', { class: 'stage', role: 'status', 'aria-live': 'polite' });
    this._counts = el('div', { class: 'counts muted' });
    this._bar = el('div', { class: 'bar-fill' });
    this._cancelBtn = el('button', { type: 'button', class: 'btn', 'data-action': 'cancel', 'data-i18n': 'common.cancel', onclick: () => this.cancel() }, t('common.cancel'));
    this._progress = el(
      'div',
      { class: 'progress', part: 'progress', hidden: true },
      el('div', { class: 'progress-head' }, el('div', {}, this._stage, this._counts), this._cancelBtn),
      el('div', { class: 'bar', role: 'progressbar', 'aria-label': t('nav.progress'), 'data-i18n-attr': 'aria-label:nav.progress', 'aria-valuemin': '0', 'aria-valuemax': '100' }, this._bar),
    );
    this._alert = el('div', { class: 'alert', part: 'alert', role: 'alert', hidden: true });
    this._notice = el('div', { class: 'notice', role: 'status', hidden: true });

    this._exportBtn = el(
      'button',
      { type: 'button', class: 'btn primary', 'data-action': 'export', 'data-i18n': 'common.export.csv', onclick: () => this._exportCsv() },
      t('common.export.csv'),
    );
    // The same bytes with the UTF-8 byte order mark first: Excel on Windows then reads the
    // file as UTF-8 (without it, accented names come out garbled).
    this._excelBtn = el(
      'button',
      {
        type: 'button',
        class: 'btn',
        'data-action': 'export-excel',
        title: t('common.export.excel_title'),
        'data-i18n': 'common.export.excel',
        'data-i18n-attr': 'title:common.export.excel_title',
        onclick: () => this._exportCsv({ excel: true }),
      },
      t('common.export.excel'),
    );
    this._targetBtn = el(
      'button',
      {
        type: 'button',
        class: 'btn',
        'data-action': 'export-targets',
        title: t('common.export.targets_title'),
        'data-i18n': 'common.export.targets',
        'data-i18n-attr': 'title:common.export.targets_title',
        onclick: () => this._saveExport(this.targetList({ header: 'words' }), 'clientele-target-list.csv'),
      },
      t('common.export.targets'),
    );
    this._notesBtn = el(
      'button',
      {
        type: 'button',
        class: 'btn',
        'data-action': 'export-notes',
        hidden: true,
        title: t('common.export.notes_title'),
        'data-i18n': 'common.export.notes',
        'data-i18n-attr': 'title:common.export.notes_title',
        onclick: () => this._download(exportNotes(this._report, this._notes) ?? '', 'notes.txt', 'text/plain;charset=utf-8'),
      },
      t('common.export.notes'),
    );
    this._printBtn = el('button', { type: 'button', class: 'btn', 'data-action': 'print', 'data-i18n': 'nav.print', onclick: () => window.print() }, t('nav.print'));
    this._fileInfo = el('div', { class: 'file-info' });
    this._sections = el('div', { class: 'sections' });
    // Sticky links to the sections, the one being read marked (report-nav.js).
    this._nav = el('nav', { class: 'section-nav', part: 'nav' });
    watchScrollRegions(this._sections);
    this._results = el(
      'div',
      { class: 'results', part: 'results', hidden: true },
      el('div', { class: 'toolbar', part: 'toolbar' }, this._fileInfo, el('div', { class: 'toolbar-actions' }, this._printBtn, this._targetBtn, this._notesBtn, this._excelBtn, this._exportBtn)),
      el('div', { class: 'report-layout' }, this._nav, this._sections),
    );
    this._langMenu = el(
      'select',
      {
        class: 'lang-menu',
        'data-action': 'language',
        'aria-label': t('common.language'),
        'data-i18n-attr': 'aria-label:common.language',
        onchange: () => this.setAttribute('lang', this._langMenu.value),
      },
      LANGS.map((l) => el('option', { value: l, lang: l }, LANG_NAMES[l])),
    );
    this._langMenu.value = currentLang();
    return el(
      'div',
      { class: 'clientele', part: 'root' },
      el('div', { class: 'lang-bar', part: 'language' }, el('span', { 'aria-hidden': 'true', class: 'lang-icon' }, '文A'), this._langMenu),
      el('div', { class: 'intake', part: 'intake' }, this._drop),
      this._progress,
      this._alert,
      this._notice,
      this._results,
    );
  }

  _updateSample() {
    if (this._sampleBtn) this._sampleBtn.hidden = !this.getAttribute('sample');
  }

  async _trySample() {
    const url = this.getAttribute('sample');
    if (!url) return;
    try {
      const mod = await import(new URL(url, document.baseURI).href);
      const bytes = base64Bytes(mod.default);
      const file = new File([bytes], mod.name ?? DEFAULT_SAMPLE_NAME, { type: 'text/plain' });
      this._analyzeFromUi(file);
    } catch (e) {
      this._showError({ message: t('common.error.sample', { message: e?.message ?? e }), kind: 'sample' });
    }
  }

  _analyzeFromUi(file, options) {
    this.analyze(file, options).catch(() => {
      // Shown in the alert and sent as clientele-error; nothing more to do here.
    });
  }

  _ensureWorker() {
    if (this._worker) return;
    const worker = new Worker(workerUrl(), { type: 'module', name: 'clientele' });
    worker.onmessage = (e) => this._onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this._fail({ message: t('common.error.engine', { message: e.message || 'unknown error' }), kind: 'internal' });
      this._stopWorker();
    };
    this._worker = worker;
    // The worker waits for its core, compiled once per page; a run posted meanwhile queues.
    coreModule(this._core).then(
      (module) => worker.postMessage({ type: 'core', module }),
      (e) => worker.postMessage({ type: 'core', error: String(e?.message ?? e) }),
    );
  }

  /** The text core met a workbook: run the same file again on the workbook core, in a fresh
   *  worker (a wasm instance cannot be swapped), and keep that core from now on. */
  _switchToWorkbookCore(run) {
    this._core = 'workbook';
    this._stopWorker();
    this._ensureWorker();
    this._showProgress({ stage: 'workbook', fraction: 0, bytes_read: 0, rows_read: 0 });
    this._worker.postMessage(run.msg);
  }

  _stopWorker() {
    this._worker?.terminate();
    this._worker = null;
    // What the old worker held is gone: pages and exports of that run can no longer be asked.
    for (const { reject } of this._pending.values()) reject(Object.assign(new Error('The analysis was stopped.'), { kind: 'cancelled' }));
    this._pending.clear();
    this._heldId = null;
  }

  /** Asks the worker about the last run's result (a page of rows, an export). */
  _request(msg) {
    if (!this._worker || this._heldId == null) {
      return Promise.reject(Object.assign(new Error('No result is held: analyse a file first.'), { kind: 'internal' }));
    }
    const req = ++this._reqId;
    return new Promise((resolve, reject) => {
      this._pending.set(req, { resolve, reject });
      this._worker.postMessage({ ...msg, id: this._heldId, req });
    });
  }

  /** Terminates the running job and starts a fresh worker, so the widget is usable again. */
  _abort() {
    const run = this._run;
    this._run = null;
    this._stopWorker();
    this._ensureWorker();
    this._setBusy(false);
    this._progress.hidden = true;
    if (run) {
      const err = Object.assign(new Error('Cancelled'), { kind: 'cancelled' });
      run.reject(err);
    }
  }

  _onMessage(msg) {
    if (msg?.type === 'reply') {
      const pending = this._pending.get(msg.req);
      this._pending.delete(msg.req);
      if (!pending) return;
      if (msg.error) {
        if (msg.error.replaceWorker) this._stopWorker();
        pending.reject(Object.assign(new Error(msg.error.message), msg.error));
      } else pending.resolve(msg);
      return;
    }
    const run = this._run;
    if (!msg || !run || msg.id !== run.id) return;
    if (msg.type === 'progress') {
      this._showProgress(msg.progress);
    } else if (msg.type === 'result') {
      this._run = null;
      this._report = msg.report;
      this._fromRun = true;
      this._setExports(true);
      this._heldId = msg.id;
      this._customers = msg.customers ?? 0;
      // How many workers read the file (limits.workers, limits.parallelMinBytes).
      this.readers = msg.readers ?? 1;
      this._targets = msg.targets ?? null;
      this._targetBtn.hidden = this._targets == null;
      this._notes = msg.notes || null;
      this._notesBtn.hidden = this._notes == null;
      this._setBusy(false);
      // Drawn when the chart library is here (asked for when the run started); if it could not
      // load, the sections without charts are still drawn and the others say so.
      Promise.all([loadCharts().catch(() => {}), loadLang(this.language).catch(() => {})])
        .then(() => {
          // A newer run started meanwhile: its report will be drawn instead.
          if (this._runId === run.id) {
            this._render(msg.report, run.name);
            this._progress.hidden = true;
            this.dispatchEvent(new CustomEvent('clientele-report', { bubbles: true, composed: true, detail: msg.report }));
            this._stateChanged();
          }
          run.resolve(msg.report);
        });
    } else if (msg.type === 'error' && msg.error?.kind === 'workbook_core_needed' && this._core !== 'workbook') {
      this._switchToWorkbookCore(run);
    } else if (msg.type === 'error') {
      // Every error names the file it is about, even one from an analysis (kind data,
      // invalid_option) that an older core or the worker left without it.
      if (!msg.error.file && run.name) msg.error = { ...msg.error, file: run.name };
      const error = Object.assign(new Error(msg.error.message), msg.error);
      // After a trap the worker's wasm instance is unusable, and a result that could not be
      // delivered is dropped with its worker: the next run gets a fresh one.
      if (msg.error.kind === 'crash' || msg.error.replaceWorker) this._stopWorker();
      this._fail(msg.error);
      run.reject(error);
    }
  }

  _fail(error) {
    this._run = null;
    this._setBusy(false);
    this._progress.hidden = true;
    this._results.hidden = true;
    this._showError(error);
    this.dispatchEvent(new CustomEvent('clientele-error', { bubbles: true, composed: true, detail: error }));
  }

  _setBusy(busy) {
    this._drop.classList.toggle('busy', busy);
    this._drop.setAttribute('aria-disabled', String(busy));
  }

  _showProgress(p, file) {
    if (file) this._total = file.size;
    const total = this._total ?? 0;
    const detail = { ...p, total_bytes: total };
    this._progress.hidden = false;
    this._lastProgress = p;
    setLang(this.language);
    this._stage.textContent = `${stageText(p.stage)}…`;
    const parts = [];
    if (p.bytes_read > 0 || p.stage === 'reading') parts.push(t('common.progress.bytes', { read: fmt.bytes(p.bytes_read ?? 0), total: fmt.bytes(total) }));
    if (p.rows_read > 0) parts.push(t('common.progress.rows', { rows: p.rows_read }));
    this._counts.textContent = parts.join(' · ');
    const pct = Math.max(0, Math.min(100, Math.round(100 * (p.fraction ?? 0))));
    this._bar.style.width = `${pct}%`;
    this._bar.parentElement.setAttribute('aria-valuenow', String(pct));
    this.dispatchEvent(new CustomEvent('clientele-progress', { bubbles: true, composed: true, detail }));
  }

  _showError(error) {
    this._lastError = error;
    setLang(this.language);
    const where = [];
    if (error.file) where.push([t('common.error.file'), error.file]);
    if (error.row != null) where.push([t('common.error.row'), fmt.int(error.row)]);
    if (error.column) where.push([t('common.error.column'), error.column]);
    // replaceChildren would print a null child as the text "null": leave the list out instead.
    const parts = [
      el('strong', { class: 'alert-title' }, error.kind === 'cancelled' ? t('common.cancelled') : t('common.error.title')),
      el('p', { class: 'alert-message' }, errorText(error)),
    ];
    // Worded from its code: the core's sentence, with the details it names, stays at hand.
    if (error.message && errorText(error) !== error.message && currentLang() !== 'en') {
      parts.push(el('details', { class: 'alert-original small' }, el('summary', {}, t('errors.original')), el('p', { lang: 'en' }, error.message)));
    }
    if (where.length) parts.push(el('dl', { class: 'alert-where' }, where.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
    const choice = this._dateOrderChoice(error);
    if (choice) parts.push(choice);
    parts.push(el('p', { class: 'muted' }, t('common.error.footer')));
    this._alert.replaceChildren(...parts);
    this._alert.dataset.kind = error.kind ?? '';
    this._alert.hidden = false;
  }

  /** For dates whose day/month order cannot be told: read the same file again in either order. */
  _dateOrderChoice(error) {
    if (error.kind !== 'ambiguous_dates' || !this._last) return null;
    const { file, options } = this._last;
    const read = (date_order) => () => this._analyzeFromUi(file, { ...(options ?? {}), ingest: { ...(options?.ingest ?? {}), date_order } });
    return el(
      'div',
      { class: 'chart-controls', role: 'group', 'aria-label': t('common.date_order.label') },
      el('button', { type: 'button', class: 'btn', 'data-action': 'date-order-dmy', onclick: read('dmy') }, t('common.date_order.dmy')),
      el('button', { type: 'button', class: 'btn', 'data-action': 'date-order-mdy', onclick: read('mdy') }, t('common.date_order.mdy')),
    );
  }

  _hideAlert() {
    this._lastError = null;
    this._alert.hidden = true;
    this._alert.replaceChildren();
  }

  _setNotice(text, key = null) {
    this._noticeKey = key;
    this._notice.textContent = text;
    this._notice.hidden = !text;
  }

  _render(report, name) {
    this._reportName = name;
    setLang(this.language);
    setCurrency(report.quality?.currency?.code);
    for (const c of this._charts) c.dispose?.();
    this._charts = [];
    const theme = readTheme(this);
    const shown = this.sections;
    this._results.hidden = false;
    const fileName = report.quality?.file_name || name || 'file';
    this._fileInfo.replaceChildren(
      el('span', { class: 'file-name' }, fileName),
      el('span', { class: 'muted' }, t('common.file_info', { customers: report.summary.customers, as_of: report.as_of })),
    );
    this._sections.replaceChildren();
    const ctx = {
      chart: (container, option, opts) => {
        const c = chart(container, option, { theme: theme.echarts, background: theme.colors.surface, ...opts });
        this._charts.push(c);
        return c;
      },
      palette: theme.palette,
      // Every other colour of the charts, from the host's --clientele-* properties (element/theme.js).
      colors: theme.colors,
      el,
      table,
      fmt,
      // Rows offset..offset+limit of the customer table, from the worker (the core's order).
      rows: (offset, limit) => this.customerRows(offset, limit),
      // The campaign: the target list and the read-back, held and computed in the worker.
      campaign: {
        build: (recipe, planner) => this.buildTargetList(recipe, planner),
        exportList: (excel) => this._saveExport(this.campaignList({ excel }), excel ? 'clientele-campaign-list-excel.csv' : 'clientele-campaign-list.csv'),
        readback: (responses, list, options) => this.readback(responses, list, options),
      },
      // Rows of one migration cell's customers, from the worker.
      migrationRows: (from, to, offset, limit) => this.migrationRows(from, to, offset, limit),
      // Analyses the same file again with these analysis options merged over the last run's.
      rerun: this._last
        ? (over) => {
            const { file, options } = this._last;
            this._analyzeFromUi(file, { ...(options ?? {}), ...over });
          }
        : null,
      // Reads the same file again with these ingest options (another sheet, the other table kind).
      reread: this._last
        ? (ingest) => {
            const { file, options } = this._last;
            this._analyzeFromUi(file, { ...(options ?? {}), ingest: { ...(options?.ingest ?? {}), ...ingest } });
          }
        : null,
      // Analyses the same file again with these analysis options merged over the last run's,
      // one level deep (e.g. { clv: { model: 'pnbd' } }).
      reanalyze: this._last
        ? (/** @type {Record<string, object>} */ patch) => {
            const { file, options } = this._last;
            /** @type {Record<string, any>} */
            const merged = { ...(options ?? {}) };
            for (const [k, v] of Object.entries(patch)) merged[k] = { ...(merged[k] ?? {}), ...v };
            this._analyzeFromUi(file, merged);
          }
        : null,
    };
    for (const section of sections) {
      const host = el('section', { class: 'section', part: 'section', 'data-section': section.id });
      if (shown != null && !shown.includes(section.id)) host.hidden = true;
      this._sections.append(host);
      try {
        section.render(host, report, ctx);
      } catch (e) {
        console.warn(`<clientele-report>: section "${section.id}" failed`, e);
        host.replaceChildren(el('p', { class: 'section-error' }, t('common.error.section', { message: e?.message ?? e })));
      }
      // A section may word its own heading (`heading()`, from its own catalogue area).
      host.prepend(el('h2', {}, /** @type {any} */ (section).heading?.() ?? (has(`sections.${section.id}`) ? t(`sections.${section.id}`) : section.title)));
    }
    this._stopNav?.();
    this._stopNav = buildSectionNav(this._nav, this._sections);
  }

  _exportCsv({ excel = false } = {}) {
    this._saveExport(this.csv({ excel, header: 'words' }), excel ? 'clientele-customers-excel.csv' : 'clientele-customers.csv');
  }

  /** Downloads an export the worker built (a Blob of the core's chunks) once it arrives. */
  _saveExport(promise, name) {
    promise.then(
      (blob) => this._download(blob, name),
      (e) => {
        if (e?.kind !== 'cancelled') this._showError({ message: t('common.export.failed', { message: e?.message ?? e }), kind: e?.kind ?? 'internal' });
      },
    );
  }

  /** Downloads text or a Blob the core wrote (never rebuilt here) through a Blob URL. */
  _download(csv, name, type = 'text/csv;charset=utf-8') {
    if (csv == null) return;
    const url = URL.createObjectURL(csv instanceof Blob ? csv : new Blob([csv], { type }));
    const a = el('a', { href: url, download: name, hidden: true });
    this.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** An error's sentence in the page's language: worded from its `code` and `params` when the
 *  catalogue knows the code (errors.<code>, or reasons.<code> for an analysis that cannot run),
 *  else the core's own (English) message. */
function errorText(error) {
  if (currentLang() === 'en' && error.message) return error.message;
  const params = { ...(error.params ?? {}), file: error.file, row: error.row, column: error.column };
  for (const key of [`errors.${error.code}`, `reasons.${error.code}`]) {
    if (!error.code || !has(key)) continue;
    const text = t(key, params);
    if (!/\{\w+(, *\w+)?\}/.test(text)) return key.startsWith('reasons.') ? capitalise(text) : text;
  }
  return error.message;
}

function capitalise(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function base64Bytes(b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

// A property per option attribute (asOf, bins, …), reflecting it: the attribute's text, or null.
for (const { attr, prop } of OPTION_ATTRIBUTES) {
  Object.defineProperty(ClienteleReport.prototype, prop, {
    configurable: true,
    enumerable: true,
    get() {
      const text = this.getAttribute(attr);
      if (text == null) return null;
      return attr === 'as-of' || attr === 'tie-rule' || attr === 'clv-model' || (attr === 'k' && text === 'auto') ? text : Number(text);
    },
    set(value) {
      if (value == null) this.removeAttribute(attr);
      else this.setAttribute(attr, String(value));
    },
  });
}

if (!customElements.get('clientele-report')) customElements.define('clientele-report', ClienteleReport);

export { ClienteleReport };
