import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { defToDesigner, designerToDef, emptyDesigner, splitOptions } from './kindDesigner';

describe('kind designer', () => {
  it('builds a custom definition with options and a deadline rule', () => {
    const s = emptyDesigner();
    s.kind = 'community_visit';
    s.label = '走访企业';
    s.fields.push({ key: 'result', label: '结果', type: 'enum', required: false, options: '已解决、跟进中\n已解决', help: ' 走访结论 ', pii: false });
    s.fields.push({ key: 'doneOn', label: '办结日期', type: 'date', required: false, options: '', help: '', pii: false });
    s.deadline = { enabled: true, label: '办理期限', startField: 'happenedOn', amount: 10, unit: 'working_days', doneField: 'doneOn', basis: '' };
    const { def, errors } = designerToDef(s);
    expect(errors).toEqual([]);
    expect(def?.fields[2]).toEqual({ key: 'result', label: '结果', type: 'enum', options: ['已解决', '跟进中'], help: '走访结论' });
    expect(def?.deadlines?.[0]).toMatchObject({ startField: 'happenedOn', doneField: 'doneOn', period: { amount: 10, unit: 'working_days' }, basis: '本单位规定' });
    expect(def?.closedOnField).toBe('doneOn');
    expect(def?.titleField).toBe('title');
  });
  it('reports every problem in Chinese', () => {
    const s = emptyDesigner();
    s.kind = 'Bad Kind';
    s.fields.push({ key: 'title', label: '', type: 'enum', required: false, options: '', help: '', pii: false });
    s.occurredOn = 'title';
    s.deadline.enabled = true;
    const { def, errors } = designerToDef(s);
    expect(def).toBeUndefined();
    expect(errors).toEqual([
      '类型标识须以小写字母开头，只含小写字母、数字和下划线',
      '请填写台账名称',
      '第3个字段：字段标识“title”重复',
      '第3个字段：请填写字段名称',
      '第3个字段（title）：单选/多选字段须填写选项',
      '“归属日期字段”须是日期或月份字段',
      '期限的办结字段须是日期字段',
    ]);
  });
  it('round-trips an existing definition', () => {
    const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;
    const s = defToDesigner(petition);
    expect(s.deadline.enabled).toBe(true);
    const { def } = designerToDef(s);
    expect(def?.fields.map((f) => f.key)).toEqual(petition.fields.map((f) => f.key));
    expect(splitOptions('a, b，c;a')).toEqual(['a', 'b', 'c']);
  });
});
