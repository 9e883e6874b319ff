import type { LedgerDef } from '../types';

export const training: LedgerDef = {
  kind: 'training',
  label: '培训与学法',
  version: 1,
  builtin: true,
  occurredOn: 'heldOn',
  titleField: 'title',
  fields: [
    { key: 'title', label: '主题', type: 'text', required: true, synonyms: ['培训主题', '培训内容', '学习内容'] },
    { key: 'heldOn', label: '日期', type: 'date', required: true },
    { key: 'trainingType', label: '类型', type: 'enum', required: true, options: ['执法人员培训', '领导干部学法', '工作人员培训', '警示教育', '以案释法', '其他'], synonyms: ['培训类型', '培训形式'] },
    { key: 'attendees', label: '参训人次', type: 'int', required: true, synonyms: ['参训人数', '参加人数', '人数'] },
    { key: 'hours', label: '学时', type: 'int', synonyms: ['培训学时', '课时'] },
    { key: 'organizer', label: '组织部门', type: 'dept', synonyms: ['组织单位', '主办部门'] },
  ],
};
