// Section navigation, printing and the progress bar's name (www/report-nav.js, the element's
// toolbar); loaded with the page's English chrome (www/i18n.js).
export default {
  'nav.title': 'Sections',
  'nav.goto': 'See {section}',
  'nav.print': 'Print / Save as PDF',
  'nav.progress': 'Progress of the analysis',
};
