import type { LedgerDef } from '../types';

export const petition: LedgerDef = {
  kind: 'petition',
  label: '信访事项',
  description: '信访“家门口”服务',
  version: 1,
  builtin: true,
  occurredOn: 'registeredOn',
  titleField: 'subject',
  closedOnField: 'closedOn',
  fields: [
    { key: 'registeredOn', label: '登记日期', type: 'date', required: true },
    { key: 'channel', label: '方式', type: 'enum', required: true, options: ['来信', '来访', '网上', '电话'] },
    { key: 'petitioner', label: '信访人', type: 'person', required: true, pii: true },
    { key: 'subject', label: '事项', type: 'text', required: true },
    { key: 'acceptedOn', label: '受理日期', type: 'date' },
    { key: 'extended', label: '延长办理期限', type: 'bool' },
    { key: 'closedOn', label: '办结日期', type: 'date' },
    { key: 'satisfaction', label: '满意度', type: 'enum', options: ['满意', '基本满意', '不满意', '未评价'] },
  ],
  deadlines: [
    {
      key: 'accept',
      label: '受理期限',
      startField: 'registeredOn',
      period: { amount: 15, unit: 'calendar_days' },
      doneField: 'acceptedOn',
      // 信访工作条例 (2022) art. 22: decide within 15 days of receipt whether to accept and tell the petitioner.
      basis: '《信访工作条例》第二十二条',
    },
    {
      key: 'handle',
      label: '办理期限',
      startField: 'acceptedOn',
      period: { amount: 60, unit: 'calendar_days' },
      extension: { period: { amount: 30, unit: 'calendar_days' }, approverRoles: ['office'], flagField: 'extended', label: '延长办理期限' },
      doneField: 'closedOn',
      // 信访工作条例 (2022) art. 34: 自受理之日起60日内办结; complex matters +30 days with the head's approval.
      basis: '《信访工作条例》第三十四条',
    },
  ],
  flow: {
    initial: '登记',
    states: [{ key: '登记' }, { key: '受理' }, { key: '办理中' }, { key: '办结', final: true }],
    transitions: [
      { key: 'accept', label: '受理', from: ['登记'], to: '受理', setsDate: ['acceptedOn'] },
      { key: 'handle', label: '办理', from: ['受理'], to: '办理中' },
      { key: 'extend', label: '延长办理期限', from: ['受理', '办理中'], to: '办理中', roles: ['office'], needsReason: true, setsFlag: ['extended'] },
      { key: 'close', label: '办结', from: ['受理', '办理中'], to: '办结', setsDate: ['closedOn'] },
    ],
  },
};
