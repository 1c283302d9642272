// 示範頁面（www/index.html）：標題、簡介、頁尾。
export default {
  'page.title': 'Clientele：在瀏覽器中完成的私密顧客分析',
  'page.intro':
    '拖入一份交易匯出檔（每列一筆購買：顧客 ID、日期、金額），或從網路商店 / CRM 匯出的顧客檔案（每列一位顧客：訂單數、累計消費、最近下單日期），即可得到資料品質檢查、RFM 顧客分群、顧客集群、復購預測與每位顧客的終身價值，並可匯出顧客明細表與目標顧客名單。所有運算都在您的瀏覽器中以 WebAssembly 完成：不會上傳任何資料，本頁面也無法把您的資料傳送到任何地方（其安全政策禁止一切網路請求）。',
  'page.footer':
    '範例資料：Fader、Hardie 與 Lee（2005）〈Counting your customers the easy way〉中的 CDNOW 十分之一樣本（2,357 位顧客，1997–1998 年），取自 Python 套件 lifetimes。圖表由 Apache ECharts 繪製。',
};
