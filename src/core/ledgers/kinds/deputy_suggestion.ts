import type { LedgerDef } from '../types';

export const deputySuggestion: LedgerDef = {
  kind: 'deputy_suggestion',
  label: '人大代表建议、政协委员提案',
  version: 1,
  builtin: true,
  occurredOn: 'receivedOn',
  titleField: 'title',
  closedOnField: 'repliedOn',
  naturalKey: 'number',
  fields: [
    { key: 'number', label: '编号', type: 'text', synonyms: ['建议编号', '提案编号', '建议提案编号'] },
    { key: 'title', label: '标题', type: 'text', required: true },
    { key: 'source', label: '来源', type: 'enum', required: true, options: ['区人大代表建议', '镇人大代表建议', '区政协委员提案', '其他'] },
    { key: 'proposer', label: '提出人', type: 'person' },
    { key: 'receivedOn', label: '交办日期', type: 'date', required: true },
    { key: 'leadDept', label: '主办部门', type: 'dept' },
    { key: 'extended', label: '延期办理', type: 'bool' },
    { key: 'repliedOn', label: '答复日期', type: 'date' },
    { key: 'resultCategory', label: '办理结果', type: 'enum', options: ['A 已解决或采纳', 'B 正在解决或列入计划', 'C 因条件限制暂不能解决', 'D 留作参考'] },
    { key: 'feedback', label: '代表委员反馈', type: 'enum', options: ['满意', '基本满意', '不满意', '未反馈'] },
  ],
  deadlines: [
    {
      // Reply within 3 months of 交办, extension by at most 3 months with approval; months end on the same date (民事诉讼法 art. 85).
      key: 'reply',
      label: '答复期限',
      startField: 'receivedOn',
      period: { amount: 3, unit: 'months' },
      extension: { period: { amount: 3, unit: 'months' }, approverRoles: ['office'], flagField: 'extended', label: '经批准延期' },
      doneField: 'repliedOn',
      basis: '《上海市人民代表大会关于代表建议、批评和意见的规定》第十七条',
    },
  ],
  flow: {
    initial: '交办',
    states: [{ key: '交办' }, { key: '办理中' }, { key: '已答复' }, { key: '已反馈', final: true }],
    transitions: [
      { key: 'handle', label: '开始办理', from: ['交办'], to: '办理中' },
      { key: 'extend', label: '延期办理', from: ['交办', '办理中'], to: '办理中', roles: ['office'], needsReason: true, setsFlag: ['extended'] },
      { key: 'reply', label: '答复', from: ['交办', '办理中'], to: '已答复', requires: ['resultCategory'], setsDate: ['repliedOn'] },
      { key: 'feedback', label: '登记反馈', from: ['已答复'], to: '已反馈', requires: ['feedback'] },
    ],
  },
};
