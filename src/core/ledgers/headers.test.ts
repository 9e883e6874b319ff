import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from './kinds';
import { findHeader, headerConflicts, headerMatcher, normalizeHeader } from './headers';
import { checkLedgerDefinition } from './definition';

const def = (kind: string) => BUILTIN_LEDGERS.find((d) => d.kind === kind)!;
const targetOf = (kind: string, heading: string) => {
  const t = headerMatcher(def(kind))(heading).target;
  return t?.kind === 'field' ? t.field.key : t?.kind;
};

describe('column headings as clerks write them', () => {
  it('ignores spaces, line breaks, full-width characters and required marks', () => {
    expect(normalizeHeader(' 参训\n人次 *')).toBe('参训人次');
    expect(normalizeHeader('＊主题（必填）')).toBe('主题');
    expect(normalizeHeader('ＴＩＴＬＥ：')).toBe('title');
  });

  it('matches the department by 部门, 责任部门, 填报部门 or 科室, and fields by label, key or synonym', () => {
    for (const h of ['部门', '责任部门', '填报部门', '科室', 'dept', '责任\n部门*']) expect(targetOf('training', h)).toBe('dept');
    expect(targetOf('training', '参训人次')).toBe('attendees');
    expect(targetOf('training', 'attendees')).toBe('attendees');
    expect(targetOf('training', '参训人数')).toBe('attendees');
    expect(targetOf('training', '序号')).toBe('ignore');
    expect(targetOf('procuratorial_recommendation', '文号')).toBe('docNumber');
    expect(targetOf('petition', '办理状态')).toBe('status');
    // 行政规范性文件 has no flow: its 状态 column is its field.
    expect(targetOf('normative_document', '状态')).toBe('state');
  });

  it('reads 日期/时间 variants only where they are unambiguous', () => {
    // 培训与学法 has one date field: 培训日期, 时间 and 培训时间 all name it.
    for (const h of ['日期', '时间', '培训日期', '培训时间']) expect(targetOf('training', h)).toBe('heldOn');
    // 行政规范性文件 has several: 发布时间 is 发布日期, a bare 日期 is nobody's.
    expect(targetOf('normative_document', '发布时间')).toBe('issuedOn');
    expect(targetOf('normative_document', '日期')).toBeUndefined();
  });

  it('finds the header below title rows and across a two-row header with a group title', () => {
    const rows = [
      [{ col: 1, text: '2023年度培训台账' }],
      [{ col: 1, text: '序号' }, { col: 2, text: '责任部门' }, { col: 3, text: '培训情况' }, { col: 6, text: '学时' }],
      [{ col: 3, text: '日期' }, { col: 4, text: '类型' }, { col: 5, text: '参训人数' }],
      [{ col: 1, text: '1' }, { col: 2, text: '司法所' }, { col: 3, text: '2023-03-14' }],
    ];
    const h = findHeader(def('training'), rows)!;
    expect([h.firstIndex, h.lastIndex]).toEqual([1, 2]);
    expect(h.columns.map((c) => [c.col, c.target?.kind === 'field' ? c.target.field.key : c.target?.kind, c.problem])).toEqual([
      [1, 'ignore', undefined],
      [2, 'dept', undefined],
      [3, 'heldOn', undefined],
      [4, 'trainingType', undefined],
      [5, 'attendees', undefined],
      [6, 'hours', undefined],
    ]);
  });

  it('names an unknown or repeated heading', () => {
    const h = findHeader(def('training'), [[{ col: 1, text: '部门' }, { col: 2, text: '主题' }, { col: 3, text: '备注' }, { col: 4, text: '培训主题' }]])!;
    expect(h.columns.map((c) => c.problem).filter(Boolean)).toEqual(['表头“备注”不是培训与学法的字段', '表头“培训主题”与“主题”是同一列（主题）']);
    expect(findHeader(def('training'), [[{ col: 1, text: '姓名' }]])).toBeNull();
  });

  it('built-in kinds have no ambiguous heading; a custom kind may declare synonyms but not ambiguous ones', () => {
    for (const d of BUILTIN_LEDGERS) expect(headerConflicts(d), d.kind).toEqual([]);
    const base = { kind: 'visit', label: '回访', occurredOn: 'on', naturalKey: 'no', fields: [{ key: 'on', label: '回访日期', type: 'date' }, { key: 'no', label: '回访编号', type: 'text', synonyms: ['编号'] }, { key: 'n', label: '人数', type: 'int', synonyms: ['回访人数'] }] };
    const ok = checkLedgerDefinition(base);
    expect(headerMatcher(ok)('编号').target).toMatchObject({ kind: 'field', field: { key: 'no' } });
    expect(() => checkLedgerDefinition({ ...base, fields: [...base.fields, { key: 'm', label: '次数', type: 'int', synonyms: ['人数'] }] })).toThrow('字段“次数”的列名“人数”与字段“人数”相同，导入时无法区分');
    expect(() => checkLedgerDefinition({ ...base, fields: [...base.fields.slice(0, 2), { key: 'n', label: '人数', type: 'int', synonyms: ['科室'] }] })).toThrow('“部门”列');
    expect(() => checkLedgerDefinition({ ...base, naturalKey: 'n' })).toThrow('唯一编号字段：字段“人数”必须是文本类型');
  });
});
