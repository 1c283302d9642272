// Campaign sections (cross-sell, target list, read-back): the strings issue 16 added.
export default {
  'campaign.product': '{name} {code}',
  'campaign.cross_sell.min_support': ' Minimum support: ',
  'campaign.cross_sell.names': 'Products are the values of “{code}” shown with their name from “{name}”, as the file writes them (the name written most often beside each code). To change either column, choose its role under Data quality → Columns.',
  'campaign.cross_sell.codes': 'Products are the values of “{code}” as the file writes them. To show names beside them, choose the column that holds the names as “Product name” under Data quality → Columns.',
  'campaign.cross_sell.names_only': 'Products are the names in “{name}” as the file writes them (no column holds a product code).',
};
