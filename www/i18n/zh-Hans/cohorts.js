// 同期群留存部分。
export default {
  'cohorts.off': '本次运行关闭了同期群分析。',
  'cohorts.unavailable': '无法进行同期群分析',
  'cohorts.title': '各同期群在首次购买后各月的复购比例',
  'cohorts.mode.share': '仍在购买的比例',
  'cohorts.mode.revenue': '人均销售额',
  'cohorts.tooltip.other': '{cohort}，第 {m} 个月：{value}\n{n, int} 位客户中有 {active, int} 位购买',
  'cohorts.x': '距首次购买的月数',
  'cohorts.as_table': '以表格查看数据',
  'cohorts.col.cohort': '同期群',
  'cohorts.col.customers': '客户数',
  'cohorts.footer.other': '共 {n, int} 个月度同期群（选项 cohorts.months）',
  'cohorts.earlier.other': '；更早首次购买的 {n, int} 位客户未显示。',
  'cohorts.end': '。',
};
