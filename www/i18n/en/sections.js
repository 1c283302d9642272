// The section headings (by section id, www/sections/index.js): the page, its navigation and
// the printed report name the sections with these.
export default {
  'sections.quality': 'Data quality',
  'sections.rfm': 'RFM segments',
  'sections.clusters': 'Customer clusters',
  'sections.propensity': 'Who will buy again',
  'sections.clv': 'Lifetime value',
  'sections.lifecycle': 'Lifecycle stages',
  'sections.cohorts': 'Cohort retention',
  'sections.migration': 'Segment migration',
  'sections.cross_sell': 'Cross-sell',
  'sections.customers': 'Top customers',
  'sections.target': 'Target list',
  'sections.readback': 'Campaign read-back',
};
