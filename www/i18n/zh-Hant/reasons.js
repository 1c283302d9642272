// 某項分析沒有結果的原因（依 code）。
export default {
  'reasons.not_requested': '這部分沒有被選取顯示，因此沒有計算。',
  'reasons.needs_purchases': '這個檔案是顧客彙總統計表（每列一位顧客及模型所需的統計量），而不是每一筆購買：這項分析需要每筆購買的明細（交易明細匯出檔）。',
  'reasons.needs_transactions': '這個檔案每列是一位顧客（顧客彙總表），而不是每一筆購買：這個模型要從每筆購買的日期學習，因此需要交易明細匯出檔（每列一筆訂單或一個訂單明細）。',
  'reasons.no_product_column': '檔案中沒有商品欄位（每列購買紀錄的 SKU、品項或商品名稱）：請在「欄位」表中把某個欄位設為商品，才能看到哪些商品常被一起購買。',
  'reasons.horizon_beyond_history':
    '{horizon_days, int} 天的預測期間比歷史資料還長：訓練切分點（{cut, date}）落在首次購買（{first_purchase, date}）當天或之前；請選擇短於 {max_days, int} 天的預測期間',
  'reasons.too_few_customers_at_cut': '在訓練切分點 {cut, date} 之前購買過的顧客只有 {n, int} 位；至少需要 {min, int} 位（可以縮短預測期間或使用更長的歷史）',
  'reasons.nobody_bought_again': '切分點 {cut, date} 時已知的 {n, int} 位顧客在之後 {horizon_days, int} 天內都沒有再次購買，模型無從區分；請換一個預測期間',
  'reasons.everybody_bought_again': '切分點 {cut, date} 時已知的 {n, int} 位顧客在之後 {horizon_days, int} 天內都再次購買，模型無從區分；請換一個預測期間',
  'reasons.too_few_per_class':
    '某一類顧客太少，無法學習：在 {cut, date} 之後的 {horizon_days, int} 天內，{positives, int} 位再次購買，{negatives, int} 位沒有；兩類各至少需要 {min, int} 位',
  'reasons.model_diverged': '邏輯斯迴歸沒有收斂（兩類顧客可能被完全分開）；請嘗試較大的 alpha',
  'reasons.validation_one_class': '驗證組中缺少購買者或未購買者',
  'reasons.too_few_customers': '至少需要 {min, int} 位有購買紀錄的顧客',
  'reasons.no_repeat_customers': '在配適期間內沒有顧客在兩個不同的日子購買過；購買模型需要有回購的顧客',
  'reasons.no_history_to_learn': '所有顧客都是在配適期間的最後一天首次購買；沒有可供學習的歷史',
  'reasons.no_features_left': '沒有可用於分群的特徵：檔案中沒有金額；請加入 recency_days 或 frequency',
  'reasons.constant_feature': '所有顧客的 {feature} 都相同，無法用來區分顧客；請拿掉這個特徵',
  'reasons.too_few_customers_for_k': '{k} 個群至少需要 {k} 位顧客；檔案中只有 {n, int} 位',
  'reasons.too_few_distinct_for_k': '{k} 個群至少需要 {k} 位彼此不同的顧客；只找到 {distinct, int} 種不同的特徵組合；請選擇較小的 k',
  'reasons.too_few_distinct': '分群至少需要 {min} 位彼此不同的顧客；只找到 {distinct, int} 種不同的特徵組合',
  'reasons.nobody_before': '在 {cut, date}（截止日前 {days, int} 天）之前沒有顧客購買過：請選擇較短的時間跨度。',
  'reasons.no_purchases_before_as_of': '在截止日 {as_of, date} 之前沒有購買紀錄',
  'reasons.no_target_responses': '成效分析需要比較行銷組與對照組，但回收檔案中沒有行銷組的顧客。',
  'reasons.no_holdout_responses': '成效分析需要比較行銷組與對照組，但回收檔案中沒有對照組的顧客。',
  'reasons.no_group_column': '回收檔案中沒有分組欄位（行銷組 / 對照組）：請提供對應的目標顧客名單，或在檔案中加入分組。',
};
