import type { LedgerDef } from '../types';

export const workEvent: LedgerDef = {
  kind: 'work_event',
  label: '其他工作记录',
  version: 1,
  builtin: true,
  occurredOn: 'happenedOn',
  titleField: 'title',
  fields: [
    { key: 'title', label: '标题', type: 'text', required: true, help: '荣誉表彰类填写荣誉名称（如：上海市平安示范社区），报告中按此列出' },
    { key: 'happenedOn', label: '日期', type: 'date', required: true },
    { key: 'category', label: '类别', type: 'enum', required: true, options: ['应急处置', '专项治理', '荣誉表彰', '制度建设', '联勤联动', '其他'] },
    { key: 'level', label: '级别', type: 'enum', options: ['国家级', '市级', '区级', '镇级', '无'] },
    { key: 'description', label: '情况', type: 'longtext' },
  ],
};
