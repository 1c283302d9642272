// 報告頂端的摘要（www/sections/summary.js）：來自數字的三項發現。
export default {
  'summary.title': '摘要',
  'summary.lead': '最重要的三項發現，共 {customers} 位客戶，截至 {as_of}。',
  'summary.champions': '的營收來自「冠軍客戶」：{customers} 位客戶（占全部的 {share}），共消費 {revenue}。',
  'summary.champions_no_amount': '的客戶是「冠軍客戶」（{customers} 位）；檔案沒有金額，其營收占比未知。',
  'summary.at_risk': '位客戶處於「流失風險」（占全部的 {share}）：他們已消費 {revenue}（占營收的 {revenue_share}），但已很久沒有購買。',
  'summary.at_risk_no_amount': '位客戶處於「流失風險」（占全部的 {share}）：曾經經常購買，但已很久沒有購買。',
  'summary.lift': '提升度：購買傾向模型排名最高的 10% 客戶在 {horizon} 天內的購買率為 {top_rate}，全體為 {base_rate}（ROC AUC {auc}）。',
  'summary.lift_weak': '模型較弱（AUC {auc}），請謹慎使用其排名。',
  'summary.no_model': '沒有購買傾向模型：{reason}',
  'summary.no_model_off': '本次執行已關閉該模型。',
};
