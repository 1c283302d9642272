// The zh-Hant catalogue: one file per area of the page. A helper adding page text adds its own
// area file here (and in the other two languages), one import and one entry each.
import campaign from './campaign.js';
import currency from './currency.js';
import common from './common.js';
import sections from './sections.js';
import quality from './quality.js';
import segments from './segments.js';
import rfm from './rfm.js';
import clusters from './clusters.js';
import propensity from './propensity.js';
import clv from './clv.js';
import customers from './customers.js';
import lifecycle from './lifecycle.js';
import cohorts from './cohorts.js';
import migration from './migration.js';
import crosssell from './crosssell.js';
import target from './target.js';
import readback from './readback.js';
import warnings from './warnings.js';
import reasons from './reasons.js';
import errors from './errors.js';
import page from './page.js';
import cli from './cli.js';
import a11y from './a11y.js';
import nav from './nav.js';
import summary from './summary.js';
import ingest from './ingest.js';
import exportWords from './export.js';

export default [common, sections, quality, segments, rfm, clusters, propensity, clv, customers, lifecycle, cohorts, migration, crosssell, target, readback, warnings, reasons, errors, page, cli, a11y, nav, summary, campaign, ingest, currency, exportWords];
