// The npm package's entry (www/index.js): the headless API and the element. The Report and
// options types are generated from the Rust types (pkg/clientele.d.ts).
import type { AnalyzeOptions, AnalyzeProgress, PageReport } from './pkg/clientele.js';

export type * from './pkg/clientele.js';
export { ClienteleReport } from './clientele-report.js';
export type { ClienteleReportEventMap, ErrorDetail, ProgressDetail, SectionId, ViewState } from './clientele-report.js';

/** Analyses a File or Blob in a Web Worker; rejects with the core's located error (`kind`,
 *  `file`, `row`, `column`); a workbook is run on the workbook core. */
export declare function analyzeBlob(
  blob: Blob,
  options?: AnalyzeOptions,
  onProgress?: (p: AnalyzeProgress) => void,
  control?: { signal?: AbortSignal },
): Promise<PageReport>;

/** Analyses a file's bytes, as analyzeBlob(). */
export declare function analyze(
  bytes: Uint8Array | ArrayBuffer,
  options?: AnalyzeOptions,
  onProgress?: (p: AnalyzeProgress) => void,
  control?: { signal?: AbortSignal },
): Promise<PageReport>;

/** Compiles the core now (the workbook core too with `{ workbook: true }`). */
export declare function preload(what?: { workbook?: boolean }): Promise<void>;
