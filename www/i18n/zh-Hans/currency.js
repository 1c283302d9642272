// 文件的币种：数据质量中的说明、币种菜单和内核的币种提示（www/currency.js）。
export default {
  'currency.fact': '币种',
  'currency.unknown_none': '未知：文件中没有标明（金额按普通数字显示）',
  'currency.fact_text': '{code}（{source}）',
  'currency.fact_alternatives': '{text}；{alternatives}',
  'currency.unknown': '未知',
  'currency.source.option': '由币种菜单或分析选项指定',
  'currency.source.cells': '依据金额单元格中的符号：{marks}',
  'currency.source.header': '依据列名 {marks}',
  'currency.source.column': '依据币种列“{column}”',
  'currency.source.conflict': '金额符号互相矛盾：{marks}',
  'currency.alternatives': '也可能是 {codes}',
  'currency.menu.label': '币种',
  'currency.menu.auto': '自动识别（{code}）',
  'currency.menu.auto_unknown': '自动识别（未知）',
  'currency.menu.auto_again': '按文件自动识别',
};
