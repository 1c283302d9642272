// 各部分标题（按 section id）。
export default {
  'sections.quality': '数据质量',
  'sections.rfm': 'RFM 客户分群',
  'sections.clusters': '客户聚类',
  'sections.propensity': '复购预测',
  'sections.clv': '客户生命周期价值',
  'sections.lifecycle': '客户生命周期阶段',
  'sections.cohorts': '同期群留存',
  'sections.migration': '客群迁移',
  'sections.cross_sell': '交叉销售',
  'sections.customers': '高价值客户',
  'sections.target': '目标客户名单',
  'sections.readback': '营销活动效果复盘',
};
