import type { LedgerDef } from '../types';

export const enforcementCase: LedgerDef = {
  kind: 'enforcement_case',
  label: '行政执法案件',
  description: '行政执法“三项制度”：公示、全过程记录、重大执法决定法制审核',
  version: 1,
  builtin: true,
  occurredOn: 'decidedOn',
  titleField: 'caseNumber',
  closedOnField: 'disclosedOn',
  naturalKey: 'caseNumber',
  fields: [
    { key: 'caseNumber', label: '案号', type: 'text', required: true, synonyms: ['案件编号', '立案编号'] },
    { key: 'cause', label: '案由', type: 'text', required: true },
    { key: 'actionType', label: '执法类别', type: 'enum', required: true, options: ['行政处罚', '行政强制', '行政检查', '行政许可', '其他'] },
    { key: 'party', label: '当事人', type: 'person', pii: true },
    { key: 'filedOn', label: '立案日期', type: 'date' },
    { key: 'decidedOn', label: '决定日期', type: 'date', required: true },
    { key: 'isMajor', label: '重大执法决定', type: 'bool' },
    { key: 'legalReviewOn', label: '法制审核日期', type: 'date' },
    { key: 'legalReviewResult', label: '法制审核意见', type: 'enum', options: ['通过', '退回补正'] },
    { key: 'recorded', label: '全过程记录', type: 'bool' },
    { key: 'disclosedOn', label: '公示日期', type: 'date' },
    { key: 'amount', label: '罚没金额', type: 'money', help: '单位：元' },
    { key: 'reconsideration', label: '复议结果', type: 'enum', options: ['无', '维持', '驳回', '纠错'], default: '无' },
    { key: 'litigation', label: '诉讼结果', type: 'enum', options: ['无', '维持', '驳回', '纠错'], default: '无' },
  ],
  deadlines: [
    {
      // 国办发〔2018〕118号: 行政许可、行政处罚 decisions public within 7 working days of the decision; other kinds 20 (spec).
      key: 'disclose',
      label: '公示期限',
      startField: 'decidedOn',
      period: { amount: 20, unit: 'working_days' },
      variants: [
        { when: [{ field: 'actionType', in: ['行政处罚', '行政许可'] }], period: { amount: 7, unit: 'working_days' }, label: '行政处罚、行政许可决定' },
      ],
      doneField: 'disclosedOn',
      basis: '《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）',
    },
  ],
};
