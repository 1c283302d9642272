// 某项分析没有结果的原因（按 code）。
export default {
  'reasons.not_requested': '这部分没有被选中显示，因此没有计算。',
  'reasons.needs_purchases': '这个文件是客户汇总统计表（每行一位客户及模型所需的统计量），而不是每一笔购买：这项分析需要每笔购买的明细（交易明细导出文件）。',
  'reasons.needs_transactions': '这个文件每行是一位客户（客户汇总表），而不是每一笔购买：该模型要从每笔购买的日期中学习，因此需要交易明细导出文件（每行一笔订单或一个订单明细）。',
  'reasons.no_product_column': '文件中没有商品列（每行购买记录的 SKU、品项或商品名称）：请在“列”表中把某一列设为商品，才能看到哪些商品常被一起购买。',
  'reasons.horizon_beyond_history':
    '{horizon_days, int} 天的预测窗口比历史数据还长：训练截止点（{cut, date}）落在首次购买（{first_purchase, date}）当天或之前；请选择短于 {max_days, int} 天的预测窗口',
  'reasons.too_few_customers_at_cut': '在训练截止点 {cut, date} 之前购买过的客户只有 {n, int} 位；至少需要 {min, int} 位（可以缩短预测窗口或使用更长的历史）',
  'reasons.nobody_bought_again': '截止点 {cut, date} 时已知的 {n, int} 位客户在此后 {horizon_days, int} 天内都没有再次购买，模型无从区分；请换一个预测窗口',
  'reasons.everybody_bought_again': '截止点 {cut, date} 时已知的 {n, int} 位客户在此后 {horizon_days, int} 天内都再次购买了，模型无从区分；请换一个预测窗口',
  'reasons.too_few_per_class':
    '某一类客户太少，无法学习：在 {cut, date} 之后的 {horizon_days, int} 天内，{positives, int} 位再次购买，{negatives, int} 位没有；两类各至少需要 {min, int} 位',
  'reasons.model_diverged': '逻辑回归没有收敛（两类客户可能被完全分开）；请尝试更大的 alpha',
  'reasons.validation_one_class': '验证集中缺少购买者或未购买者',
  'reasons.too_few_customers': '至少需要 {min, int} 位有购买记录的客户',
  'reasons.no_repeat_customers': '在拟合期内没有客户在两个不同的日子购买过；购买模型需要有复购的客户',
  'reasons.no_history_to_learn': '所有客户都是在拟合期的最后一天首次购买；没有可供学习的历史',
  'reasons.no_features_left': '没有可用于聚类的特征：文件中没有金额；请加入 recency_days 或 frequency',
  'reasons.constant_feature': '所有客户的 {feature} 都相同，无法用来区分客户；请去掉该特征',
  'reasons.too_few_customers_for_k': '{k} 个类别至少需要 {k} 位客户；文件中只有 {n, int} 位',
  'reasons.too_few_distinct_for_k': '{k} 个类别至少需要 {k} 位彼此不同的客户；只找到 {distinct, int} 种不同的特征组合；请选择更小的 k',
  'reasons.too_few_distinct': '聚类至少需要 {min} 位彼此不同的客户；只找到 {distinct, int} 种不同的特征组合',
  'reasons.nobody_before': '在 {cut, date}（截止日之前 {days, int} 天）之前没有客户购买过：请选择更短的时间跨度。',
  'reasons.no_purchases_before_as_of': '在截止日 {as_of, date} 之前没有购买记录',
  'reasons.no_target_responses': '效果复盘需要比较营销组与对照组，但回收文件中没有营销组的客户。',
  'reasons.no_holdout_responses': '效果复盘需要比较营销组与对照组，但回收文件中没有对照组的客户。',
  'reasons.no_group_column': '回收文件中没有分组列（营销组 / 对照组）：请提供对应的目标客户名单，或在文件中加入分组。',
};
