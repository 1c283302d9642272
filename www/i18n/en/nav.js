// Section navigation and printing (www/report-nav.js, the element's toolbar).
export default {
  'nav.title': 'Sections',
  'nav.goto': 'See {section}',
  'nav.print': 'Print / Save as PDF',
};
