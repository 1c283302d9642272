// The Cohort retention section (www/sections/cohorts.js).
export default {
  'cohorts.off': 'Cohorts were switched off.',
  'cohorts.unavailable': 'Cohorts are unavailable',
  'cohorts.title': 'Share of each cohort buying, by months since the first purchase',
  'cohorts.mode.share': 'Share still buying',
  'cohorts.mode.revenue': 'Revenue per customer',
  'cohorts.tooltip.one': '{cohort}, month {m}: {value}\n{active, int} of {n, int} customer bought',
  'cohorts.tooltip.other': '{cohort}, month {m}: {value}\n{active, int} of {n, int} customers bought',
  'cohorts.x': 'Months since the first purchase',
  'cohorts.as_table': 'The numbers as a table',
  'cohorts.col.cohort': 'Cohort',
  'cohorts.col.customers': 'Customers',
  'cohorts.footer.one': '{n, int} monthly cohort (option cohorts.months)',
  'cohorts.footer.other': '{n, int} monthly cohorts (option cohorts.months)',
  'cohorts.earlier.one': '; {n, int} customer who first bought earlier is not shown.',
  'cohorts.earlier.other': '; {n, int} customers who first bought earlier are not shown.',
  'cohorts.end': '.',
};
