import type { LedgerDef } from '../types';

export const enterpriseService: LedgerDef = {
  kind: 'enterprise_service',
  label: '涉企法律服务',
  description: '“惠企赋能”“法治体检”等涉企法律服务',
  version: 1,
  builtin: true,
  occurredOn: 'servedOn',
  titleField: 'enterprise',
  fields: [
    { key: 'servedOn', label: '日期', type: 'date', required: true },
    { key: 'enterprise', label: '企业名称', type: 'text', required: true },
    { key: 'serviceType', label: '服务类型', type: 'enum', required: true, options: ['法治体检', '法律讲座', '合规指导', '纠纷化解', '其他'] },
    { key: 'team', label: '服务团队', type: 'text' },
    { key: 'issuesFound', label: '发现问题数', type: 'int' },
    { key: 'suggestions', label: '提出建议数', type: 'int' },
  ],
};
