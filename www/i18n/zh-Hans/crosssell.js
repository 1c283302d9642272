// 交叉销售部分：商品组合、推荐的下一件商品、各分群的组合。
export default {
  'crosssell.off': '本次运行关闭了交叉销售分析。',
  'crosssell.unavailable': '无法进行交叉销售分析',
  'crosssell.min_support': '最小支持度',
  'crosssell.lead':
    '{customers, int} 位客户共购买了 {products, int} 种商品。至少有 {min, int} 位客户同时买过两件商品（最小支持度 {support}），这一组合才计入：符合条件的商品 {frequent, int} 种，商品组合 {pairs, int} 个。{recommended, int} 位客户有推荐的下一件商品（导出列 next_product）。',
  'crosssell.apply': '应用',
  'crosssell.col.a': '商品 A',
  'crosssell.col.b': '商品 B',
  'crosssell.col.customers': '客户数',
  'crosssell.col.support': '支持度',
  'crosssell.col.a_to_b': '置信度：购买 A 的客户中也购买了 B 的比例',
  'crosssell.col.b_to_a': '置信度：购买 B 的客户中也购买了 A 的比例',
  'crosssell.col.lift': '提升度',
  'crosssell.col.lift_title': '一起购买的频率是随机情况下的多少倍',
  'crosssell.col.product': '商品',
  'crosssell.pairs.title': '提升度最高的商品组合',
  'crosssell.next.title': '最常推荐的下一件商品',
  'crosssell.segments.title': '各分群的热门商品组合',
  'crosssell.segments.shown.other': '{segment}：{n, int} 位客户，显示 {pairs, int} 个组合',
  'crosssell.segments.none.other': '{segment}：{n, int} 位客户，没有被 {min, int} 位以上客户同时购买的组合',
};
