import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from './kinds';
import { checkLedgerDefinition } from './definition';
import { isValidDate, occurredOnOf, validateRecordData } from './validate';
import { AppError } from '../errors';

const kind = (k: string) => BUILTIN_LEDGERS.find((d) => d.kind === k)!;

describe('built-in catalog', () => {
  it('has the 16 kinds of the spec, each a valid definition', () => {
    expect(BUILTIN_LEDGERS.map((d) => d.kind)).toEqual([
      'task', 'legality_review', 'normative_document', 'enforcement_case', 'training', 'deputy_suggestion',
      'procuratorial_recommendation', 'disclosure_request', 'litigation', 'publicity_activity', 'legal_consultation',
      'dispute', 'petition', 'enterprise_service', 'indicator', 'work_event',
    ]);
    for (const d of BUILTIN_LEDGERS) {
      // A built-in passes the same checks as a custom kind (the engine treats them alike).
      const checked = checkLedgerDefinition({ ...d, version: undefined, builtin: undefined });
      expect(checked.fields.length).toBe(d.fields.length);
    }
  });
});

describe('validateRecordData', () => {
  it('accepts a good training record and applies defaults', () => {
    const r = validateRecordData(kind('legal_consultation'), { consultedOn: '2023-03-01', channel: '热线', topic: '劳动争议' });
    expect(r).toEqual({ ok: true, data: { consultedOn: '2023-03-01', channel: '热线', topic: '劳动争议', persons: 1 } });
  });
  it('names the field in Chinese for a negative int', () => {
    const r = validateRecordData(kind('training'), { title: 'x', heldOn: '2023-01-05', trainingType: '执法人员培训', attendees: -3 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ field: 'attendees', label: '参训人次', message: '参训人次：必须是不小于0的整数' }]);
  });
  it('rejects impossible dates, unknown fields, bad enum values and missing required fields', () => {
    const r = validateRecordData(kind('training'), { title: 'x', heldOn: '2023-02-30', trainingType: '随便', foo: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => e.message);
    expect(msgs).toContain('日期：不是有效日期（YYYY-MM-DD）');
    expect(msgs).toContain('未知字段：foo（培训与学法没有此字段）');
    expect(msgs.some((m) => m.startsWith('类型：必须是以下之一：执法人员培训'))).toBe(true);
    expect(msgs).toContain('参训人次：必填');
  });
  it('checks department names against the org unit', () => {
    const r = validateRecordData(
      kind('legality_review'),
      { title: '合同', reviewType: '政府合同', submitDept: '不存在的部门', receivedOn: '2023-01-03' },
      { deptNames: new Set(['司法所']) },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toBe('送审部门：本单位没有部门“不存在的部门”');
  });
  it('merges an update over the previous data and lets empty values clear optional fields', () => {
    const def = kind('training');
    const prev = { title: 'a', heldOn: '2023-01-05', trainingType: '执法人员培训', attendees: 3, hours: 2 };
    const r = validateRecordData(def, { attendees: 5, hours: null }, { previous: prev });
    expect(r).toEqual({ ok: true, data: { title: 'a', heldOn: '2023-01-05', trainingType: '执法人员培训', attendees: 5 } });
    const bad = validateRecordData(def, { title: '' }, { previous: prev });
    expect(bad.ok).toBe(false);
  });
  it('stores SQL-looking text as text', () => {
    const r = validateRecordData(kind('work_event'), { title: "'; drop table records; --", happenedOn: '2023-05-05', category: '其他' });
    expect(r.ok && r.data.title).toBe("'; drop table records; --");
  });
  it('money keeps two decimals at most', () => {
    const def = kind('enforcement_case');
    const base = { caseNumber: '1', cause: 'c', actionType: '行政处罚', decidedOn: '2023-01-01' };
    expect(validateRecordData(def, { ...base, amount: 12.5 }).ok).toBe(true);
    expect(validateRecordData(def, { ...base, amount: 12.345 }).ok).toBe(false);
  });
  it('puts month-typed records on the first of the month', () => {
    expect(occurredOnOf(kind('indicator'), { period: '2023-07' })).toBe('2023-07-01');
  });
  it('knows real dates', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('1900-02-29')).toBe(false);
    expect(isValidDate('2000-02-29')).toBe(true);
    expect(isValidDate('2023-13-01')).toBe(false);
  });
});

describe('custom kinds', () => {
  const custom = {
    kind: 'mediation_visit',
    label: '调解回访',
    occurredOn: 'visitedOn',
    fields: [
      { key: 'visitedOn', label: '回访日期', type: 'date', required: true },
      { key: 'result', label: '回访结果', type: 'enum', options: ['满意', '不满意'] },
    ],
  };
  it('accepts a new kind and versions it', () => {
    const d = checkLedgerDefinition(custom);
    expect(d.version).toBe(1);
    expect(d.builtin).toBe(false);
    const d2 = checkLedgerDefinition({ ...custom, fields: [...custom.fields, { key: 'note', label: '备注', type: 'text' }] }, d);
    expect(d2.version).toBe(2);
  });
  it('refuses changes that would break existing records', () => {
    const d = checkLedgerDefinition(custom);
    const err = (() => {
      try {
        checkLedgerDefinition({ ...custom, fields: [custom.fields[0]] }, d);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err?.message).toBe('不能删除已有字段“回访结果”（result）：已有记录可能使用它');
    expect(() => checkLedgerDefinition({ ...custom, occurredOn: 'result' })).toThrow('归属日期字段：字段“回访结果”必须是日期类型');
  });
});
