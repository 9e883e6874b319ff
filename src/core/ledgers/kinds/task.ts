import type { LedgerDef } from '../types';

export const task: LedgerDef = {
  kind: 'task',
  label: '重点任务',
  description: '年度法治政府建设工作要点与责任分工',
  version: 1,
  builtin: true,
  occurredOn: 'dueOn',
  titleField: 'title',
  fields: [
    { key: 'title', label: '任务名称', type: 'text', required: true },
    { key: 'area', label: '领域', type: 'enum', required: true, options: ['组织保障', '依法履职', '制度体系', '规范执法', '监督制约', '基层治理', '其他'] },
    { key: 'leadDept', label: '牵头部门', type: 'dept', required: true },
    { key: 'partnerDepts', label: '配合部门', type: 'depts' },
    { key: 'dueOn', label: '完成时限', type: 'date', required: true },
    { key: 'progress', label: '进展', type: 'enum', required: true, options: ['未开始', '推进中', '已完成', '未完成'], default: '未开始' },
    { key: 'completedOn', label: '完成日期', type: 'date' },
    { key: 'progressNote', label: '进展情况', type: 'longtext' },
    { key: 'files', label: '佐证材料', type: 'files' },
  ],
  closedOnField: 'completedOn',
  deadlines: [
    {
      // No statute: the 完成时限 the annual work plan gives is itself the due date (a zero period).
      key: 'complete',
      label: '完成时限',
      startField: 'dueOn',
      period: { amount: 0, unit: 'calendar_days' },
      doneField: 'completedOn',
      basis: '年度工作要点与责任分工确定的完成时限',
    },
  ],
};
