// The zh-Hant catalogue: one file per area of the page. A helper adding page text adds its own
// area file here (and in the other two languages), one import and one entry each.
import common from './common.js';
import sections from './sections.js';
import quality from './quality.js';
import segments from './segments.js';
import rfm from './rfm.js';
import clusters from './clusters.js';
import propensity from './propensity.js';

export default [common, sections, quality, segments, rfm, clusters, propensity];
