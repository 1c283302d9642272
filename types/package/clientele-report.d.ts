// <clientele-report>: the declarations of the element (www/clientele-report.js), shipped in the
// npm package beside it (scripts/build-package.mjs). The Report and options types are the ones
// generated from the Rust types (pkg/clientele.d.ts).
import type {
  AnalyzeOptions,
  AnalyzeProgress,
  ClvModel,
  CustomerRow,
  PageReport,
  PlannerParams,
  ReadbackReport,
  ScoreMethod,
  TargetRecipe,
  TargetView,
} from './pkg/clientele.js';

/** The ids of the sections, in the order they are shown (the `sections` attribute lists some;
 *  the analyses behind the others are not computed: they read `unavailable`, code
 *  `not_requested`). */
export type SectionId =
  | 'summary' | 'quality' | 'rfm' | 'clusters' | 'propensity' | 'clv' | 'lifecycle' | 'cohorts'
  | 'migration' | 'crosssell' | 'customers' | 'target' | 'readback';

/** What `save()` returns and `restore()` takes: options and what is shown, never data. */
export interface ViewState {
  version: 1;
  /** The options in effect, without the file's name or the day (ingest.file_name, ingest.today). */
  options: AnalyzeOptions;
  /** The sections shown, or null for all. */
  sections: string[] | null;
  /** The `lang` attribute, or null. */
  lang: string | null;
}

/** `detail` of `clientele-progress`. `stage` is the core's, or 'workbook' while the workbook
 *  core loads. */
export interface ProgressDetail extends AnalyzeProgress {
  total_bytes: number;
}

/** `detail` of `clientele-error`: the core's located error. */
export interface ErrorDetail {
  message: string;
  /** e.g. 'data', 'invalid_option', 'ambiguous_dates', 'crash', 'cancelled', 'internal' */
  kind: string;
  file?: string;
  row?: number;
  column?: string;
}

export interface ClienteleReportEventMap {
  'clientele-progress': CustomEvent<ProgressDetail>;
  'clientele-report': CustomEvent<PageReport>;
  'clientele-error': CustomEvent<ErrorDetail>;
  'clientele-cancel': CustomEvent<null>;
  'clientele-state': CustomEvent<ViewState>;
  /** The words changed language (the lang attribute, the language menu, or the browser's at start). */
  'clientele-language': CustomEvent<{ lang: 'en' | 'zh-Hans' | 'zh-Hant' }>;
}

export declare class ClienteleReport extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The last PageReport; set a saved one to draw it without its file (no exports then). */
  report: PageReport | null;
  /** The `options` attribute as an object (setting it sets the attribute). */
  options: AnalyzeOptions;
  /** `as-of` attribute: the date every day count is measured from (YYYY-MM-DD). */
  asOf: string | null;
  /** `bins` attribute: RFM score bins, 2–9. */
  bins: number | null;
  /** `tie-rule` attribute: how equal values are scored. */
  tieRule: ScoreMethod | null;
  /** `k` attribute: the number of clusters, or 'auto'. */
  k: number | 'auto' | null;
  /** `horizon-days` attribute: the propensity model's horizon in days. */
  horizonDays: number | null;
  /** `clv-months` attribute: the lifetime value horizon in months. */
  clvMonths: number | null;
  /** `clv-model` attribute: the purchase model. */
  clvModel: ClvModel | null;
  /** `sections` attribute: the section ids shown (SectionId), or null for all; the analyses
   *  behind the others are not computed, and showing one later analyses the file again. */
  sections: string[] | null;
  /** Lower bounds than the measured ones, for hosts that refuse big files early. */
  limits: { pageReportBytes?: number; maxCustomers?: number };

  analyze(file: Blob, options?: AnalyzeOptions): Promise<PageReport>;
  cancel(): void;
  preload(): Promise<void>;
  save(): ViewState;
  restore(state: ViewState): void;
  /** `header: 'words'`: the column names in the page's language, money columns with the file's
   *  currency (the Export buttons' file); default `'names'`, the core's machine header. */
  csv(options?: { excel?: boolean; header?: 'names' | 'words' }): Promise<Blob | null>;
  targetList(options?: { excel?: boolean; header?: 'names' | 'words' }): Promise<Blob | null>;
  buildTargetList(recipe?: Partial<TargetRecipe>, planner?: Partial<PlannerParams>): Promise<TargetView>;
  campaignList(options?: { excel?: boolean }): Promise<Blob | null>;
  readback(responses: Blob, list?: Blob | null, options?: object): Promise<ReadbackReport>;
  customerRows(offset: number, limit?: number): Promise<{ rows: CustomerRow[]; total: number }>;
  migrationRows(from: number | null, to: number, offset: number, limit?: number): Promise<{ rows: CustomerRow[]; total: number }>;
  notes(): string | null;

  addEventListener<K extends keyof ClienteleReportEventMap>(type: K, listener: (this: ClienteleReport, ev: ClienteleReportEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: ClienteleReport, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ClienteleReportEventMap>(type: K, listener: (this: ClienteleReport, ev: ClienteleReportEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-report': ClienteleReport;
  }
}
