// 演示页面（www/index.html）：标题、简介、页脚。
export default {
  'page.title': 'Clientele：在浏览器中完成的私密客户分析',
  'page.intro':
    '拖入一份交易导出文件（每行一笔购买：客户 ID、日期、金额），或从网店 / CRM 导出的客户文件（每行一位客户：订单数、累计消费、最近下单日期），即可得到数据质量检查、RFM 客户分群、客户聚类、复购预测和每位客户的生命周期价值，并可导出客户明细表和目标客户名单。所有计算都在您的浏览器中以 WebAssembly 完成：不会上传任何数据，本页面也无法把您的数据发送到任何地方（其安全策略禁止一切网络请求）。',
  'page.footer':
    '示例数据：Fader、Hardie 与 Lee（2005）《Counting your customers the easy way》中的 CDNOW 十分之一样本（2,357 位客户，1997–1998 年），取自 Python 库 lifetimes。图表由 Apache ECharts 绘制。',
};
