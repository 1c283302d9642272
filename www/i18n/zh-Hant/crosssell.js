// 交叉銷售區塊：商品組合、推薦的下一件商品、各分群的組合。
export default {
  'crosssell.off': '本次執行關閉了交叉銷售分析。',
  'crosssell.unavailable': '無法進行交叉銷售分析',
  'crosssell.min_support': '最小支持度',
  'crosssell.lead':
    '{customers, int} 位顧客共購買了 {products, int} 種商品。至少有 {min, int} 位顧客同時買過兩件商品（最小支持度 {support}），這個組合才會計入：符合條件的商品 {frequent, int} 種，商品組合 {pairs, int} 個。{recommended, int} 位顧客有推薦的下一件商品（匯出欄位 next_product）。',
  'crosssell.apply': '套用',
  'crosssell.col.a': '商品 A',
  'crosssell.col.b': '商品 B',
  'crosssell.col.customers': '顧客數',
  'crosssell.col.support': '支持度',
  'crosssell.col.a_to_b': '信賴度：購買 A 的顧客中也購買 B 的比例',
  'crosssell.col.b_to_a': '信賴度：購買 B 的顧客中也購買 A 的比例',
  'crosssell.col.lift': '提升度',
  'crosssell.col.lift_title': '一起購買的頻率是隨機情況下的幾倍',
  'crosssell.col.product': '商品',
  'crosssell.pairs.title': '提升度最高的商品組合',
  'crosssell.next.title': '最常推薦的下一件商品',
  'crosssell.segments.title': '各分群的熱門商品組合',
  'crosssell.segments.shown.other': '{segment}：{n, int} 位顧客，顯示 {pairs, int} 個組合',
  'crosssell.segments.none.other': '{segment}：{n, int} 位顧客，沒有被 {min, int} 位以上顧客同時購買的組合',
};
