// The Cohort retention section (www/sections/cohorts.js).
export default {
  'cohorts.off': 'Cohorts were switched off.',
  'cohorts.unavailable': 'Cohorts are unavailable',
  'cohorts.title': 'Share of each cohort buying, by months since the first purchase',
  'cohorts.mode.share': 'Share still buying',
  'cohorts.mode.revenue': 'Revenue per customer',
  'cohorts.tooltip': '{cohort}, month {m}: {value}\n{active, int} of {n, int} customers bought',
  'cohorts.x': 'Months since the first purchase',
  'cohorts.as_table': 'The numbers as a table',
  'cohorts.col.cohort': 'Cohort',
  'cohorts.col.customers': 'Customers',
  'cohorts.footer': '{n, int} monthly cohorts (option cohorts.months)',
  'cohorts.earlier': '; {n, int} customers who first bought earlier are not shown.',
  'cohorts.end': '.',
};
