// Campaign sections (cross-sell, target list, read-back): the strings issue 16 added.
export default {
  'campaign.product': '{name} {code}',
  'campaign.cross_sell.min_support': '最小支持度：',
  'campaign.cross_sell.names': '商品按“{code}”列的值区分，并按文件原样显示“{name}”列中的名称（每个编码旁最常出现的名称）。要更换任一列，请在“数据质量 → 列”中选择它的角色。',
  'campaign.cross_sell.codes': '商品按文件原样显示“{code}”列的值。要在旁边显示名称，请在“数据质量 → 列”中把存放名称的列设为“商品名称”。',
  'campaign.cross_sell.names_only': '商品按文件原样显示“{name}”列中的名称（没有存放商品编码的列）。',
};
