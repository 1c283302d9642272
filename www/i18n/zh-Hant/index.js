// The zh-Hant catalogue: one file per area of the page. A helper adding page text adds its own
// area file here (and in the other two languages), one import and one entry each.
import campaign from './campaign.js';
import common from './common.js';

export default [common, campaign];
