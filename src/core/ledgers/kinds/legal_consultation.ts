import type { LedgerDef } from '../types';

export const legalConsultation: LedgerDef = {
  kind: 'legal_consultation',
  label: '法律咨询',
  version: 1,
  builtin: true,
  occurredOn: 'consultedOn',
  titleField: 'topic',
  fields: [
    { key: 'consultedOn', label: '日期', type: 'date', required: true },
    { key: 'channel', label: '渠道', type: 'enum', required: true, options: ['现场', '热线', '网络'] },
    { key: 'topic', label: '类别', type: 'enum', required: true, options: ['婚姻家庭', '劳动争议', '房产物业', '邻里纠纷', '合同债务', '侵权赔偿', '其他'] },
    { key: 'persons', label: '人次', type: 'int', required: true, default: 1, help: '一日汇总可填一行' },
    { key: 'handler', label: '接待人', type: 'person' },
  ],
};
