// dist/element-styles.js (scripts/embed-styles.mjs): style.css and sections.css as text.
declare const css: string;
export default css;
