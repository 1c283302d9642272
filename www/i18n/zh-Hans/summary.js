// 报告顶部的摘要（www/sections/summary.js）：来自数字的三项发现。
export default {
  'summary.title': '摘要',
  'summary.lead': '最重要的三项发现，共 {customers} 位客户，截至 {as_of}。',
  'summary.champions': '的收入来自“冠军客户”：{customers} 位客户（占全部的 {share}），共消费 {revenue}。',
  'summary.champions_no_amount': '的客户是“冠军客户”（{customers} 位）；文件没有金额，其收入占比未知。',
  'summary.at_risk': '位客户处于“流失风险”（占全部的 {share}）：他们已消费 {revenue}（占收入的 {revenue_share}），但已很久没有购买。',
  'summary.at_risk_no_amount': '位客户处于“流失风险”（占全部的 {share}）：曾经经常购买，但已很久没有购买。',
  'summary.lift': '提升度：购买倾向模型排名最高的 10% 客户在 {horizon} 天内的购买率为 {top_rate}，全体为 {base_rate}（ROC AUC {auc}）。',
  'summary.lift_weak': '模型较弱（AUC {auc}），请谨慎使用其排名。',
  'summary.no_model': '没有购买倾向模型：{reason}',
  'summary.no_model_off': '本次运行已关闭该模型。',
};
