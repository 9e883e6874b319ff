import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from './kinds';
import { applyDictionary, checkDictionaryEntry, dictionaryRows, optionByName, optionName, searchDictionary } from './dictionary';

const indicator = BUILTIN_LEDGERS.find((d) => d.kind === 'indicator')!;
const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;
const codeOf = (defs: typeof BUILTIN_LEDGERS, kind: string, field: string) => defs.find((d) => d.kind === kind)!.fields.find((f) => f.key === field)!;

describe('applyDictionary', () => {
  it('overrides a built-in name and names a value that had none, leaving the definitions untouched', () => {
    const applied = applyDictionary(BUILTIN_LEDGERS, [
      { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '电信诈骗110警情数' },
      { kind: 'petition', field: 'channel', value: '来信', label: '来信（书面）' },
    ]);
    expect(codeOf(applied, 'indicator', 'code').optionLabels).toMatchObject({ fraud_110_calls: '电信诈骗110警情数', fraud_criminal_cases: '诈骗类刑事案件数' });
    expect(codeOf(applied, 'petition', 'channel').optionLabels).toEqual({ 来信: '来信（书面）' });
    // The built-in definition keeps its own name.
    expect(indicator.fields[0]!.optionLabels!.fraud_110_calls).toBe('诈骗类110接警数');
    expect(petition.fields.find((f) => f.key === 'channel')!.optionLabels).toBeUndefined();
  });
  it('a null label restores the built-in name; an entry for a value no longer offered is ignored', () => {
    // A field that is not extensible: a value its definition no longer offers is not brought back.
    const applied = applyDictionary(BUILTIN_LEDGERS, [
      { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: null },
      { kind: 'petition', field: 'channel', value: '传真', label: '传真来件' },
    ]);
    expect(codeOf(applied, 'indicator', 'code').optionLabels!.fraud_110_calls).toBe('诈骗类110接警数');
    expect(codeOf(applied, 'petition', 'channel').options).not.toContain('传真');
    expect(codeOf(applied, 'petition', 'channel').optionLabels?.['传真']).toBeUndefined();
  });
});

describe('dictionaryRows and search', () => {
  const applied = applyDictionary(BUILTIN_LEDGERS, [{ kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '电信诈骗110警情数' }]);
  const rows = dictionaryRows(BUILTIN_LEDGERS, applied);
  it('lists every option with its built-in and current name', () => {
    expect(rows.find((r) => r.value === 'fraud_110_calls')).toEqual({
      kind: 'indicator',
      kindLabel: '统计指标填报',
      field: 'code',
      fieldLabel: '指标',
      value: 'fraud_110_calls',
      defaultLabel: '诈骗类110接警数',
      label: '电信诈骗110警情数',
      overridden: true,
    });
    expect(rows.find((r) => r.kind === 'petition' && r.value === '来信')).toMatchObject({ defaultLabel: '', label: '来信', overridden: false });
  });
  it('finds rows by any word of their names, code or kind', () => {
    expect(searchDictionary(rows, '诈骗 刑事').map((r) => r.value)).toEqual(['fraud_criminal_cases']);
    expect(searchDictionary(rows, 'FRAUD_110').map((r) => r.value)).toEqual(['fraud_110_calls']);
    expect(searchDictionary(rows, undefined, 'indicator').length).toBe(indicator.fields[0]!.options!.length);
  });
});

describe('checkDictionaryEntry', () => {
  it('accepts a new name, trimmed', () => {
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'fraud_110_calls', label: ' 诈骗警情数 ' })).toEqual({
      ok: true,
      entry: { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '诈骗警情数' },
    });
  });
  it('refuses, naming the field, an unknown field or value, an empty name and a name another option has', () => {
    expect(checkDictionaryEntry(indicator, { field: 'nope', value: 'x', label: 'y' })).toMatchObject({ ok: false, field: 'field' });
    expect(checkDictionaryEntry(indicator, { field: 'source', value: 'x', label: 'y' })).toMatchObject({ ok: false, error: '字段：“数据来源”不是选项字段，没有可维护的名称' });
    const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;
    expect(checkDictionaryEntry(petition, { field: 'channel', value: '传真', label: 'y' })).toMatchObject({ ok: false, field: 'value', error: '取值：“方式”没有选项“传真”' });
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'fraud_110_calls', label: '  ' })).toMatchObject({ ok: false, field: 'label' });
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'fraud_110_calls', label: '诈骗类刑事案件数' })).toMatchObject({
      ok: false,
      error: '名称：“诈骗类刑事案件数”已是“指标”另一选项（fraud_criminal_cases）的名称，导入时无法区分',
    });
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'fraud_110_calls', label: 'a\nb' })).toMatchObject({ ok: false, field: 'label' });
  });
});

describe('option names', () => {
  const f = indicator.fields[0]!;
  it('shows a code by its name and reads the name back to the code', () => {
    expect(optionName(f, 'fraud_110_calls')).toBe('诈骗类110接警数');
    expect(optionName(f, 'unknown')).toBe('unknown');
    expect(optionByName(f, '诈骗类110接警数')).toBe('fraud_110_calls');
    expect(optionByName(f, '没有这个')).toBeUndefined();
  });
});

describe('options the 字典 adds to an extensible field (统计指标 codes)', () => {
  const indicator = BUILTIN_LEDGERS.find((d) => d.kind === 'indicator')!;
  const added = [{ kind: 'indicator', field: 'code', value: 'mediation_cases', label: '人民调解案件数' }];

  it('accepts a new code with a name, and refuses a bad code, a missing name and restoring an added code', () => {
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'mediation_cases', label: '人民调解案件数' })).toEqual({ ok: true, entry: added[0] });
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'Mediation-cases', label: 'x' })).toMatchObject({ ok: false, field: 'value' });
    expect(checkDictionaryEntry(indicator, { field: 'code', value: 'mediation_cases', label: null })).toMatchObject({ ok: false, field: 'label', error: '名称：新增选项必须有名称' });
    const applied = applyDictionary(BUILTIN_LEDGERS, added).find((d) => d.kind === 'indicator')!;
    expect(checkDictionaryEntry(applied, { field: 'code', value: 'mediation_cases', label: null }, indicator)).toMatchObject({ ok: false, field: 'label' });
    expect(checkDictionaryEntry(applied, { field: 'code', value: 'mediation_cases', label: '调解案件数' }, indicator)).toMatchObject({ ok: true });
    // A built-in code still restores its name.
    expect(checkDictionaryEntry(applied, { field: 'code', value: 'fraud_110_calls', label: null }, indicator)).toMatchObject({ ok: true });
  });

  it('adds the code to the options with its name; a non-extensible field ignores an unknown value', () => {
    const applied = applyDictionary(BUILTIN_LEDGERS, [...added, { kind: 'petition', field: 'channel', value: '传真', label: '传真来件' }]);
    const code = applied.find((d) => d.kind === 'indicator')!.fields.find((f) => f.key === 'code')!;
    expect(code.options).toEqual([...indicator.fields[0]!.options!, 'mediation_cases']);
    expect(code.optionLabels!.mediation_cases).toBe('人民调解案件数');
    expect(indicator.fields[0]!.options).not.toContain('mediation_cases');
    const channel = applied.find((d) => d.kind === 'petition')!.fields.find((f) => f.key === 'channel')!;
    expect(channel.options).toEqual(['来信', '来访', '网上', '电话']);
    const rows = dictionaryRows(BUILTIN_LEDGERS, applied).filter((r) => r.kind === 'indicator' && r.value === 'mediation_cases');
    expect(rows).toEqual([expect.objectContaining({ defaultLabel: '', label: '人民调解案件数', overridden: true })]);
  });
});
