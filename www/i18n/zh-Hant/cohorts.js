// 同期群留存區塊。
export default {
  'cohorts.off': '本次執行關閉了同期群分析。',
  'cohorts.unavailable': '無法進行同期群分析',
  'cohorts.title': '各同期群在首次購買後各月的回購比例',
  'cohorts.mode.share': '仍在購買的比例',
  'cohorts.mode.revenue': '平均每位顧客營收',
  'cohorts.tooltip.other': '{cohort}，第 {m} 個月：{value}\n{n, int} 位顧客中有 {active, int} 位購買',
  'cohorts.x': '距首次購買的月數',
  'cohorts.as_table': '以表格檢視數據',
  'cohorts.col.cohort': '同期群',
  'cohorts.col.customers': '顧客數',
  'cohorts.footer.other': '共 {n, int} 個月度同期群（選項 cohorts.months）',
  'cohorts.earlier.other': '；更早首次購買的 {n, int} 位顧客未顯示。',
  'cohorts.end': '。',
};
