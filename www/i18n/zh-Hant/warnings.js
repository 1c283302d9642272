// 分析核心回傳的提醒（依 code），顯示在各區塊頂端。
export default {
  'warnings.rfm_no_monetary': '檔案中沒有金額，因此沒有消費金額與 M 分數：分數與分群只依最近消費時間與購買頻率。',
  'warnings.rfm_few_customers': '只有 {customers, int} 位顧客，卻要分成 {bins} 級分數（每級不到兩位）：分數相當粗略，多一位或少一位顧客都可能影響其他顧客的分數。',
  'warnings.cluster_no_monetary': '檔案中沒有金額：分群只依最近消費時間與購買頻率，各群的營收與消費數據未知（不是 0）。',
  'warnings.cluster_fit_on_patterns':
    '共 {customers, int} 位顧客：k-means 以他們的 {patterns, int} 種相異特徵組合配適，每種組合依具有該組合的顧客數加權（群中心與逐一顧客配適相同）。',
  'warnings.cluster_fit_on_sample':
    '共 {customers, int} 位顧客，相異特徵組合超過 2,000,000 種：k-means 以固定種子抽出的 {sample, int} 位顧客樣本配適（{patterns, int} 種相異組合，加權），每位顧客歸入最近的群中心；換一個種子會抽到另一個樣本。',
  'warnings.propensity_no_skill':
    '驗證組 AUC 為 {auc, num2}，與隨機猜測無異：購買機率（p_buy）及其十分位對顧客的排序並不比擲硬幣好，請不要用來挑選目標顧客；可以換一個預測期間（--horizon-days {other_horizon_days}）或使用歷史更長的檔案。',
  'warnings.propensity_weak':
    '驗證組 AUC 為 {auc, num2}，只比隨機猜測略好：購買機率（p_buy）及其十分位對顧客的排序能力偏弱，請審慎使用；可以換一個預測期間（--horizon-days {other_horizon_days}）或使用歷史更長的檔案。',
  'warnings.propensity_short_history':
    '模型只學習了切分點 {cut, date} 之前 {history_days, int} 天的購買，短於它要預測的 {horizon_days, int} 天期間，因此購買機率所依據的行為資料很少；請使用較短的預測期間（--horizon-days {suggested_horizon_days}）。',
  'warnings.propensity_new_customers':
    '在 {scored_customers, int} 位已評分的顧客中，有 {count, int} 位（{share, pct}）在訓練切分點 {cut, date} 當天或之後才首次購買，模型訓練時從未看過他們，他們的購買機率是依切分點時的新顧客外推而得；請當作粗略參考，或使用較短的預測期間（--horizon-days {shorter_horizon_days}），讓較少顧客落在切分點之後。',
  'warnings.clv_spend_frequency_correlation':
    '單次消費金額與購買頻率相關（r = {correlation, num2}），而 Gamma-Gamma 模型假設兩者獨立，因此預期消費與 CLV 可能有偏誤；若有疑慮，請依預期購買次數為顧客排序。',
  'warnings.clv_no_spend':
    '檔案中沒有金額欄位，因此無法估計單次消費金額與 CLV，這些欄位留空（不是 0）；預期購買次數（expected_purchases）與存活機率（p_alive）仍然有效，提供含金額的檔案即可得到以金額計的顧客終身價值。',
  'warnings.clv_horizon_beyond_history':
    '預期購買次數往後預測了 {horizon_months, int} 個月，但依據的購買歷史只有 {history_days, int} 天，已超出檔案所能呈現的範圍；請選擇較短的預測期間（clv.horizon_months）或使用歷史更長的檔案。',
  'warnings.clv_penalised_fit':
    '購買模型無法直接配適，已加入懲罰項（{penalty}）重新配適，因此存活機率、預期購買次數與 CLV 都只是近似值；建議使用更長的歷史或校準期。',
  'warnings.clv_penalised_fit_shift':
    '購買模型無法直接配適，已加入懲罰項（{penalty}）重新配適；與一般配適的最後估計相比，存活機率最多變動 {max_p_alive_shift, num2}（{customers, int} 位顧客平均變動 {mean_p_alive_shift, num3}），因此存活機率、預期購買次數與 CLV 都只是近似值；建議使用更長的歷史或校準期。',
  'warnings.clv_penalised_fit_spend':
    '消費模型（Gamma-Gamma）無法直接配適，已加入懲罰項（{penalty}）重新配適，平均單次消費金額因此為 {mean_spend, num2}；預期消費與 CLV 都只是近似值。',
  'warnings.lifecycle_fixed_windows': '沒有顧客在兩個不同的日子購買過，檔案中沒有可用來決定區間的購買間隔：生命週期階段採用 {active_days, int} 天與 {lapsed_days, int} 天的固定區間。',
  'warnings.lifecycle_new_covers_history': '新顧客區間（{new_days, int} 天）一路涵蓋到檔案中的第一筆購買（截止日前 {history_days, int} 天）：所有顧客都會被算作新顧客。',
  'warnings.cohorts_partial_month': '最後一個月只到 {last_day, date}（截止日的前一天）：這一欄不是完整的一個月。',
  'warnings.migration_few_earlier': '在 {cut, date} 之前購買過的顧客只有 {customers, int} 位：他們當時的分群所依據的顧客很少。',
  'warnings.cross_sell_no_pairs': '在 {customers, int} 位顧客中，沒有任何兩件商品被 {min_customers, int} 位以上顧客同時購買（最小支持度 {min_support, pct}）：請降低最小支持度以查看商品組合。',
  'warnings.target_budget_above_eligible': '預算為 {budget, int} 位顧客，但只有 {eligible, int} 位符合篩選條件：他們全部都在名單上。',
  'warnings.target_empty': '沒有顧客符合所有篩選條件：請放寬某個條件以取得名單。',
  'warnings.target_no_holdout': '名單太短，依對照組比例連一位顧客都保留不了：這次活動將無法與對照組比較評估。',
  'warnings.planner_list_too_small':
    '名單太小，無法在基準購買率 {base_rate, pct} 下以 {power, pct} 的檢定力偵測出 {min_uplift, pct} 的提升：至少需要 {min_list_size, int} 位顧客，這份名單只有 {list_size, int} 位。',
  'warnings.planner_holdout_too_small': '{holdout, int} 位顧客的對照組，偵測 {min_uplift, pct} 提升的檢定力只有 {power_at_holdout, pct}：對照組至少應保留 {holdout_needed, int} 位。',
  'warnings.readback_not_on_list': '有 {rows, int} 列回收紀錄中的顧客不在名單上（列號 {examples}）：已將其排除。',
  'warnings.readback_without_response': '名單上有 {customers, int} 位顧客在回收檔案中沒有紀錄：已將其排除在所有數字之外。',
  'warnings.readback_without_response_counted':
    '名單上有 {customers, int} 位顧客在回收檔案中沒有紀錄：已算作未轉換（即視回收檔案只列出購買者）；如果回收檔案應涵蓋所有顧客，請選擇「不列入計算」。',
  'warnings.readback_group_differs': '有 {rows, int} 列回收紀錄的分組與名單不同：以名單上的分組為準。',
  'warnings.readback_repeated_customers': '有 {rows, int} 列重複出現已記錄過的顧客：其營收已加總，只要任何一列顯示轉換，該顧客即算作已轉換。',
  'warnings.readback_rows_skipped': '回收檔案中有 {rows, int} 列無法使用（原因見下方）。',
  'warnings.readback_small_groups': '較小的一組只有 {customers, int} 位顧客：只有很大的效果才可能顯著。',
};
