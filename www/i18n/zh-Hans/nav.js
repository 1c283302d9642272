// 分节导航与打印（www/report-nav.js、组件工具栏）。
export default {
  'nav.title': '章节',
  'nav.goto': '查看“{section}”',
  'nav.print': '打印 / 另存为 PDF',
  'nav.progress': '分析进度',
};
