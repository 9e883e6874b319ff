import type { LedgerDef } from '../types';

export const publicityActivity: LedgerDef = {
  kind: 'publicity_activity',
  label: '普法宣传活动',
  version: 1,
  builtin: true,
  occurredOn: 'heldOn',
  titleField: 'title',
  fields: [
    { key: 'title', label: '活动名称', type: 'text', required: true },
    { key: 'heldOn', label: '日期', type: 'date', required: true },
    { key: 'activityType', label: '形式', type: 'enum', required: true, options: ['主题宣传', '法治讲座', '以案释法', '法律进社区', '法律进园区', '法律进校园', '宪法宣传周', '民法典宣传月', '其他'] },
    { key: 'location', label: '地点', type: 'text' },
    { key: 'targetGroup', label: '对象', type: 'enum', options: ['居民', '青少年', '企业', '领导干部', '执法人员', '其他'] },
    { key: 'participants', label: '受众人数', type: 'int' },
    { key: 'materials', label: '发放资料和宣传品份数', type: 'int' },
    { key: 'organizer', label: '组织部门', type: 'dept' },
  ],
};
