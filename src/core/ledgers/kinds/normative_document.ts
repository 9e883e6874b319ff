import type { LedgerDef } from '../types';

export const normativeDocument: LedgerDef = {
  kind: 'normative_document',
  label: '行政规范性文件',
  version: 2,
  builtin: true,
  occurredOn: 'issuedOn',
  titleField: 'title',
  closedOnField: 'filedOn',
  fields: [
    { key: 'docNumber', label: '文号', type: 'text', required: true },
    { key: 'title', label: '文件名称', type: 'text', required: true },
    { key: 'issuedOn', label: '发布日期', type: 'date', required: true },
    { key: 'effectiveOn', label: '施行日期', type: 'date' },
    { key: 'expiresOn', label: '有效期至', type: 'date', help: '有效期一般不超过5年' },
    { key: 'review', label: '合法性审核', type: 'ref', refKind: 'legality_review' },
    { key: 'filedOn', label: '报备日期', type: 'date' },
    // Version 2: the date decides 本年废止 and 现行有效 in the annual disclosure report; the state is for display.
    { key: 'repealedOn', label: '废止日期', type: 'date', help: '状态为已废止时填写' },
    { key: 'state', label: '状态', type: 'enum', required: true, options: ['有效', '已修改', '已废止', '已失效'], default: '有效' },
  ],
  deadlines: [
    {
      key: 'filing',
      label: '报备期限',
      startField: 'issuedOn',
      period: { amount: 30, unit: 'calendar_days' },
      doneField: 'filedOn',
      basis: '行政规范性文件自公布之日起30日内报送备案',
      configurable: true,
    },
  ],
};
