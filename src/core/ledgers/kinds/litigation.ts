import type { LedgerDef } from '../types';

export const litigation: LedgerDef = {
  kind: 'litigation',
  label: '行政复议、行政诉讼',
  description: '本机关作为被申请人或被告的案件',
  version: 2,
  builtin: true,
  occurredOn: 'receivedOn',
  titleField: 'caseNumber',
  closedOnField: 'closedOn',
  fields: [
    { key: 'caseNumber', label: '案号', type: 'text', required: true },
    { key: 'caseType', label: '类型', type: 'enum', required: true, options: ['行政复议', '行政诉讼一审', '行政诉讼二审'] },
    { key: 'cause', label: '案由', type: 'text', required: true },
    { key: 'receivedOn', label: '收到文书日期', type: 'date', required: true },
    { key: 'defendedOn', label: '答辩日期', type: 'date', help: '提交答辩状及证据材料的日期' },
    { key: 'hearingOn', label: '开庭日期', type: 'date' },
    { key: 'leaderAppeared', label: '负责人出庭', type: 'bool' },
    { key: 'leaderName', label: '出庭负责人', type: 'person' },
    { key: 'outcome', label: '结果', type: 'enum', options: ['维持', '驳回', '撤销', '确认违法', '变更', '责令履行', '调解撤诉', '审理中'], default: '审理中' },
    { key: 'closedOn', label: '结案日期', type: 'date' },
    // Version 2: table 四 of the annual disclosure report (国办公开办函〔2021〕30号).
    { key: 'disclosureRelated', label: '涉及政府信息公开', type: 'bool' },
    { key: 'afterReconsideration', label: '经复议后起诉', type: 'bool', help: '行政诉讼一审：经行政复议后起诉的为“是”' },
  ],
  deadlines: [
    {
      key: 'defence',
      label: '答辩期限',
      startField: 'receivedOn',
      period: { amount: 15, unit: 'calendar_days' },
      when: [{ field: 'caseType', in: ['行政诉讼一审', '行政诉讼二审'] }],
      doneField: 'defendedOn',
      basis: '《中华人民共和国行政诉讼法》第六十七条',
    },
    {
      key: 'defence_reconsideration',
      label: '答复期限',
      startField: 'receivedOn',
      period: { amount: 10, unit: 'working_days' },
      when: [{ field: 'caseType', eq: '行政复议' }],
      doneField: 'defendedOn',
      basis: '《中华人民共和国行政复议法》（2023年修订）第四十八条、第八十八条',
    },
  ],
};
