// 分節導覽與列印（www/report-nav.js、元件工具列）。
export default {
  'nav.title': '章節',
  'nav.goto': '查看「{section}」',
  'nav.print': '列印 / 另存為 PDF',
  'nav.progress': '分析進度',
};
