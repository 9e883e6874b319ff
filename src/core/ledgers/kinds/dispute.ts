import type { LedgerDef } from '../types';

export const dispute: LedgerDef = {
  kind: 'dispute',
  label: '矛盾纠纷',
  description: '派出所、司法所、律师事务所“三所联动”化解矛盾纠纷',
  version: 1,
  builtin: true,
  occurredOn: 'registeredOn',
  titleField: 'disputeType',
  closedOnField: 'closedOn',
  fields: [
    { key: 'registeredOn', label: '登记日期', type: 'date', required: true },
    { key: 'source', label: '来源', type: 'enum', required: true, options: ['派出所移交', '司法所受理', '律师事务所', '信访转办', '群众申请', '其他'] },
    { key: 'disputeType', label: '类型', type: 'text', required: true },
    { key: 'partiesCount', label: '当事人数', type: 'int' },
    { key: 'linkedUnits', label: '联动单位', type: 'multienum', options: ['派出所', '司法所', '律师事务所'] },
    { key: 'result', label: '结果', type: 'enum', options: ['调解成功', '调解不成功', '引导诉讼', '调解中'], default: '调解中' },
    { key: 'closedOn', label: '办结日期', type: 'date' },
  ],
  deadlines: [
    {
      // 人民调解工作若干规定: 调解纠纷一般在一个月内调结 — 30 calendar days, configurable per town.
      key: 'mediate',
      label: '调解期限',
      startField: 'registeredOn',
      period: { amount: 30, unit: 'calendar_days' },
      doneField: 'closedOn',
      basis: '《人民调解工作若干规定》（调解一般在一个月内结束）',
      configurable: true,
    },
  ],
};
