import type { LedgerDef } from '../types';

export const legalityReview: LedgerDef = {
  kind: 'legality_review',
  label: '合法性审核',
  description: '重大行政决策、行政规范性文件、政府合同等事项的合法性审核',
  version: 1,
  builtin: true,
  occurredOn: 'receivedOn',
  titleField: 'title',
  closedOnField: 'completedOn',
  fields: [
    { key: 'title', label: '事项名称', type: 'text', required: true },
    { key: 'reviewType', label: '审核类型', type: 'enum', required: true, options: ['重大行政决策', '行政规范性文件', '政府合同', '其他事项'] },
    { key: 'submitDept', label: '送审部门', type: 'dept', required: true },
    { key: 'receivedOn', label: '收件日期', type: 'date', required: true },
    { key: 'adviserInvolved', label: '法律顾问参与', type: 'bool' },
    { key: 'adviser', label: '法律顾问', type: 'person' },
    { key: 'conclusion', label: '审核结论', type: 'enum', options: ['同意', '修改后同意', '不同意'] },
    { key: 'opinion', label: '审核意见', type: 'longtext' },
    { key: 'amount', label: '合同金额', type: 'money', help: '政府合同填写，单位：元' },
    { key: 'completedOn', label: '办结日期', type: 'date' },
  ],
  deadlines: [
    {
      // 重大行政决策程序暂行条例 art. 26: the reviewer is given 一般不少于7个工作日; towns set their own (configurable).
      key: 'review',
      label: '审核期限',
      startField: 'receivedOn',
      period: { amount: 7, unit: 'working_days' },
      doneField: 'completedOn',
      basis: '《重大行政决策程序暂行条例》第二十六条（审核时间一般不少于7个工作日）',
      configurable: true,
    },
  ],
  flow: {
    initial: '送审',
    states: [{ key: '送审' }, { key: '审核中' }, { key: '出具意见' }, { key: '办结', final: true }],
    transitions: [
      { key: 'start', label: '开始审核', from: ['送审'], to: '审核中', roles: ['office', 'adviser'] },
      { key: 'opinion', label: '出具意见', from: ['审核中'], to: '出具意见', roles: ['office', 'adviser'], requires: ['conclusion', 'opinion'] },
      { key: 'close', label: '办结', from: ['出具意见'], to: '办结', roles: ['office'], setsDate: ['completedOn'] },
    ],
  },
};
