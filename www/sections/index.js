// The sections of <clientele-report>, in the order they are shown. Each module exports
// `id` (the data-section attribute), `title` (the heading; or `heading()`, worded in the page's
// language) and `render(host, report, ctx)`,
// where host is an empty <section> and ctx = { chart, palette, colors, el, table, fmt, reread, rows,
// migrationRows, rerun }; palette and colors are the host's theme (element/theme.js): a section
// names no colour itself; rerun(options) analyses the same file again with those analysis options
// merged over the last run's (lifecycle windows, cross-sell minimum support);
// reread(ingestOptions) reads the same file again with those ingest options merged over the last
// run's (another sheet, the other table kind, the column roles); null when there is no file.
import * as summary from './summary.js';
import * as quality from './quality.js';
import * as rfm from './rfm.js';
import * as clusters from './clusters.js';
import * as propensity from './propensity.js';
import * as clv from './clv.js';
import * as lifecycle from './lifecycle.js';
import * as cohorts from './cohorts.js';
import * as migration from './migration.js';
import * as crossSell from './crosssell.js';
import * as customers from './customers.js';
import * as target from './target.js';
import * as readback from './readback.js';

export default [summary, quality, rfm, clusters, propensity, clv, lifecycle, cohorts, migration, crossSell, customers, target, readback];
