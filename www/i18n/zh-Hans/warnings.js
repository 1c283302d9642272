// 分析核心返回的提醒（按 code），显示在各部分顶部。
export default {
  'warnings.rfm_no_monetary': '文件中没有金额，因此没有消费金额和 M 得分：得分和分群只依据最近购买时间和购买频次。',
  'warnings.rfm_few_customers': '只有 {customers, int} 位客户，却要分 {bins} 档得分（每档不到两位）：得分很粗略，多一位或少一位客户都可能改变其他客户的得分。',
  'warnings.cluster_no_monetary': '文件中没有金额：聚类只依据最近购买时间和购买频次，各类的销售额和消费数据未知（不是 0）。',
  'warnings.cluster_fit_on_patterns':
    '共 {customers, int} 位客户：k-means 在他们的 {patterns, int} 种不同特征组合上拟合，每种组合按拥有它的客户数加权（聚类中心与逐个客户拟合相同）。',
  'warnings.cluster_fit_on_sample':
    '共 {customers, int} 位客户，不同特征组合超过 2,000,000 种：k-means 在固定种子抽取的 {sample, int} 位客户样本上拟合（{patterns, int} 种不同组合，加权），每位客户归入最近的聚类中心；换一个种子会抽到另一个样本。',
  'warnings.propensity_no_skill':
    '验证集 AUC 为 {auc, num2}，与随机猜测无异：购买概率（p_buy）及其十分位对客户的排序并不比抛硬币更好，请不要用它们挑选目标客户；可以换一个预测窗口（--horizon-days {other_horizon_days}）或使用历史更长的文件。',
  'warnings.propensity_weak':
    '验证集 AUC 为 {auc, num2}，只比随机猜测略好：购买概率（p_buy）及其十分位对客户的排序能力较弱，请谨慎使用；可以换一个预测窗口（--horizon-days {other_horizon_days}）或使用历史更长的文件。',
  'warnings.propensity_short_history':
    '模型只学习了截止点 {cut, date} 之前 {history_days, int} 天的购买，短于它要预测的 {horizon_days, int} 天窗口，因此购买概率依据的行为数据很少；请使用更短的预测窗口（--horizon-days {suggested_horizon_days}）。',
  'warnings.propensity_new_customers':
    '在 {scored_customers, int} 位已打分的客户中，有 {count, int} 位（{share, pct}）在训练截止点 {cut, date} 当天或之后才首次购买，模型训练时从未见过他们，他们的购买概率是根据截止点时的新客户外推得出的；请把它当作粗略参考，或使用更短的预测窗口（--horizon-days {shorter_horizon_days}），让更少的客户落在截止点之后。',
  'warnings.clv_spend_frequency_correlation':
    '单次消费金额与购买频次相关（r = {correlation, num2}），而 Gamma-Gamma 模型假定两者独立，因此预期消费和 CLV 可能有偏差；如有疑虑，请按预期购买次数对客户排序。',
  'warnings.clv_no_spend':
    '文件中没有金额列，因此无法估计单次消费金额和 CLV，这些列留空（不是 0）；预期购买次数（expected_purchases）和存活概率（p_alive）仍然有效，提供含金额的文件即可得到以金额计的客户生命周期价值。',
  'warnings.clv_horizon_beyond_history':
    '预期购买次数向后预测了 {horizon_months, int} 个月，但依据的购买历史只有 {history_days, int} 天，已超出文件所能反映的范围；请选择更短的预测期（clv.horizon_months）或使用历史更长的文件。',
  'warnings.clv_penalised_fit':
    '购买模型无法直接拟合，已加入惩罚项（{penalty}）重新拟合，因此存活概率、预期购买次数和 CLV 都只是近似值；建议使用更长的历史或校准期。',
  'warnings.clv_penalised_fit_shift':
    '购买模型无法直接拟合，已加入惩罚项（{penalty}）重新拟合；与普通拟合的最后估计相比，存活概率最多变动 {max_p_alive_shift, num2}（{customers, int} 位客户平均变动 {mean_p_alive_shift, num3}），因此存活概率、预期购买次数和 CLV 都只是近似值；建议使用更长的历史或校准期。',
  'warnings.clv_penalised_fit_spend':
    '消费模型（Gamma-Gamma）无法直接拟合，已加入惩罚项（{penalty}）重新拟合，平均单次消费金额因此为 {mean_spend, num2}；预期消费和 CLV 都只是近似值。',
  'warnings.lifecycle_fixed_windows': '没有客户在两个不同的日子购买过，文件中没有可用来确定窗口的购买间隔：生命周期阶段采用 {active_days, int} 天和 {lapsed_days, int} 天的固定窗口。',
  'warnings.lifecycle_new_covers_history': '新客户窗口（{new_days, int} 天）一直覆盖到文件中的第一笔购买（截止日之前 {history_days, int} 天）：所有客户都会被算作新客户。',
  'warnings.cohorts_partial_month': '最后一个月只到 {last_day, date}（截止日的前一天）：这一列不是完整的一个月。',
  'warnings.migration_few_earlier': '在 {cut, date} 之前购买过的客户只有 {customers, int} 位：他们当时的分群依据的客户很少。',
  'warnings.cross_sell_no_pairs': '在 {customers, int} 位客户中，没有任何两件商品被 {min_customers, int} 位以上客户同时购买（最小支持度 {min_support, pct}）：请降低最小支持度以查看商品组合。',
  'warnings.target_budget_above_eligible': '预算为 {budget, int} 位客户，但只有 {eligible, int} 位符合筛选条件：他们全部在名单上。',
  'warnings.target_empty': '没有客户满足所有筛选条件：请放宽某个条件以得到名单。',
  'warnings.target_no_holdout': '名单太短，按对照组比例连一位客户都留不出来：这次活动将无法与对照组对比评估。',
  'warnings.planner_list_too_small':
    '名单太小，无法在基准购买率 {base_rate, pct} 下以 {power, pct} 的检验效能检测出 {min_uplift, pct} 的提升：至少需要 {min_list_size, int} 位客户，这份名单只有 {list_size, int} 位。',
  'warnings.planner_holdout_too_small': '{holdout, int} 位客户的对照组，检测 {min_uplift, pct} 提升的检验效能只有 {power_at_holdout, pct}：对照组至少应留出 {holdout_needed, int} 位。',
  'warnings.readback_not_on_list': '有 {rows, int} 行回收记录中的客户不在名单上（行号 {examples}）：已将其排除。',
  'warnings.readback_without_response': '名单上有 {customers, int} 位客户在回收文件中没有记录：已将其排除在所有数字之外。',
  'warnings.readback_without_response_counted':
    '名单上有 {customers, int} 位客户在回收文件中没有记录：已计为未转化（即视回收文件只列出了购买者）；如果回收文件应当覆盖所有客户，请选择“不计入”。',
  'warnings.readback_group_differs': '有 {rows, int} 行回收记录的分组与名单不一致：以名单上的分组为准。',
  'warnings.readback_repeated_customers': '有 {rows, int} 行重复出现已记录过的客户：其销售额已累加，只要任意一行显示转化，该客户即计为已转化。',
  'warnings.readback_rows_skipped': '回收文件中有 {rows, int} 行无法使用（原因见下方）。',
  'warnings.readback_small_groups': '较小的一组只有 {customers, int} 位客户：只有很大的效果才可能显著。',
};
