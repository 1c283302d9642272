// 檔案的幣別：資料品質中的說明、幣別選單和核心的幣別提示（www/currency.js）。
export default {
  'currency.fact': '幣別',
  'currency.unknown_none': '未知：檔案中沒有標明（金額以一般數字顯示）',
  'currency.fact_text': '{code}（{source}）',
  'currency.fact_alternatives': '{text}；{alternatives}',
  'currency.unknown': '未知',
  'currency.source.option': '由幣別選單或分析選項指定',
  'currency.source.cells': '依金額欄位中的符號：{marks}',
  'currency.source.header': '依欄名 {marks}',
  'currency.source.column': '依幣別欄「{column}」',
  'currency.source.conflict': '金額符號彼此矛盾：{marks}',
  'currency.alternatives': '也可能是 {codes}',
  'currency.menu.label': '幣別',
  'currency.menu.auto': '自動判斷（{code}）',
  'currency.menu.auto_unknown': '自動判斷（未知）',
  'currency.menu.auto_again': '依檔案自動判斷',
};
