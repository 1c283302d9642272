// Campaign sections (cross-sell, target list, read-back): the strings issue 16 added.
export default {
  'campaign.product': '{name} {code}',
  'campaign.cross_sell.min_support': '最小支持度：',
  'campaign.cross_sell.names': '商品依「{code}」欄的值區分，並依檔案原樣顯示「{name}」欄中的名稱（每個編碼旁最常出現的名稱）。要更換任一欄，請在「資料品質 → 欄位」中選擇它的角色。',
  'campaign.cross_sell.codes': '商品依檔案原樣顯示「{code}」欄的值。要在旁邊顯示名稱，請在「資料品質 → 欄位」中把存放名稱的欄設為「商品名稱」。',
  'campaign.cross_sell.names_only': '商品依檔案原樣顯示「{name}」欄中的名稱（沒有存放商品編碼的欄）。',
};
