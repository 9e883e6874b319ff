import type { LedgerDef } from '../types';

export const procuratorialRecommendation: LedgerDef = {
  kind: 'procuratorial_recommendation',
  label: '检察建议',
  version: 1,
  builtin: true,
  occurredOn: 'receivedOn',
  titleField: 'subject',
  closedOnField: 'repliedOn',
  naturalKey: 'docNumber',
  fields: [
    { key: 'docNumber', label: '文书编号', type: 'text', required: true, synonyms: ['文号', '检察建议书文号', '建议书编号'] },
    { key: 'procuratorate', label: '检察机关', type: 'text', required: true },
    { key: 'subject', label: '事由', type: 'text', required: true },
    { key: 'receivedOn', label: '收到日期', type: 'date', required: true },
    { key: 'urgent', label: '紧急', type: 'bool', help: '检察建议书要求紧急办理的，15日内回复' },
    { key: 'measures', label: '整改措施', type: 'longtext' },
    { key: 'repliedOn', label: '回复日期', type: 'date' },
    { key: 'rectified', label: '整改到位', type: 'bool' },
  ],
  deadlines: [
    {
      // 人民检察院检察建议工作规定 art. 19: reply within 2 months of receipt; an urgent one sooner (the spec fixes 15 days).
      key: 'reply',
      label: '回复期限',
      startField: 'receivedOn',
      period: { amount: 2, unit: 'months' },
      variants: [{ when: [{ field: 'urgent', eq: true }], period: { amount: 15, unit: 'calendar_days' }, label: '紧急' }],
      doneField: 'repliedOn',
      basis: '《人民检察院检察建议工作规定》第十九条',
    },
  ],
};
