// 各區塊標題（依 section id）。
export default {
  'sections.quality': '資料品質',
  'sections.rfm': 'RFM 顧客分群',
  'sections.clusters': '顧客集群',
  'sections.propensity': '復購預測',
  'sections.clv': '顧客終身價值',
  'sections.lifecycle': '顧客生命週期階段',
  'sections.cohorts': '同期群留存',
  'sections.migration': '客群移轉',
  'sections.cross_sell': '交叉銷售',
  'sections.customers': '高價值顧客',
  'sections.target': '目標顧客名單',
  'sections.readback': '行銷活動成效分析',
};
