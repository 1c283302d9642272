// The demo page around the element (www/index.html, www/page.js): title, introduction, footer.
export default {
  'page.title': 'Clientele: private customer analytics in your browser',
  'page.intro':
    "Drop a transaction export (one row per purchase: customer id, date, amount), or a customer export from your shop or CRM (one row per customer: orders, total spent, last order), and get data-quality checks, RFM segments, customer clusters, who is likely to buy again and each customer's lifetime value, with a per-customer table and target list you can export. Everything runs in your browser, in WebAssembly: nothing is uploaded, and this page cannot send your data anywhere (its security policy forbids network requests).",
  'page.footer':
    'Sample data: the CDNOW 1/10 sample (2,357 customers, 1997–1998) from Fader, Hardie & Lee (2005), “Counting your customers the easy way”, as shipped in the lifetimes Python package. Charts by Apache ECharts.',
};
