import type { LedgerDef } from '../types';

/** Built-in indicator codes; the 系统管理员 adds more in the 字典 (the code field is extensible). */
export const INDICATOR_CODES: { code: string; label: string }[] = [
  { code: 'fraud_110_calls', label: '诈骗类110接警数' },
  { code: 'fraud_criminal_cases', label: '诈骗类刑事案件数' },
  // Version 2: the annual disclosure report (table 二 第（八）项, part 六).
  { code: 'admin_fees_wan', label: '行政事业性收费金额（万元）' },
  { code: 'disclosure_fees_yuan', label: '信息处理费（元）' },
];

export const indicator: LedgerDef = {
  kind: 'indicator',
  label: '统计指标填报',
  description: '来自其他系统的外部统计数据（按月填报）',
  version: 2,
  builtin: true,
  occurredOn: 'period',
  titleField: 'code',
  fields: [
    {
      key: 'code',
      label: '指标',
      type: 'enum',
      required: true,
      options: INDICATOR_CODES.map((c) => c.code),
      // The code is what imports and metrics use; people see the name.
      optionLabels: Object.fromEntries(INDICATOR_CODES.map((c) => [c.code, c.label])),
      extensible: true,
      help: '从下拉列表选择指标；导入文件中填写指标名称或代码（见导入模板的下拉选项）',
    },
    { key: 'period', label: '期间', type: 'month', required: true },
    { key: 'value', label: '数值', type: 'number', required: true },
    { key: 'source', label: '数据来源', type: 'text' },
  ],
};
