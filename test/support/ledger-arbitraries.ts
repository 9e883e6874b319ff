/**
 * fast-check arbitraries for the records of a ledger kind, shared by the property tests
 * (ledger-properties.test.ts) and the hostile-text test (hostile-text.test.ts): valid values per
 * field type, invalid ones, and a whole valid record that meets the kind's date rules.
 */
import fc from 'fast-check';
import type { FieldDef, LedgerDef } from '../../src/core/ledgers/types';

export const DEPTS = ['司法所', '综合行政执法队', '党政办公室'];
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

// Dates inside the range any sane ledger accepts (1949-10-01 … 2100-12-31) and before "today".
const dateArb = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const monthArb = fc.tuple(fc.integer({ min: 1950, max: 2099 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${pad(m)}`);
const textArb = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) })
    .filter((s) => s.length <= max && s.trim() === s && s.length > 0 && !CONTROL.test(s));

export function validValue(f: FieldDef): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'text':
    case 'person':
      return textArb(f.maxLength ?? 500);
    case 'longtext':
      return textArb(f.maxLength ?? 20000);
    case 'dept':
      return fc.constantFrom(...DEPTS);
    case 'depts':
      return fc.subarray(DEPTS, { minLength: 1 });
    case 'date':
      return dateArb;
    case 'month':
      return monthArb;
    case 'int':
      return fc.integer({ min: 0, max: 1_000_000_000 });
    case 'number':
      return fc.double({ min: -1e11, max: 1e11, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0));
    case 'money':
      return fc.integer({ min: 0, max: 99_999_999_999 }).map((c) => c / 100);
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...f.options!);
    case 'multienum':
      return fc.subarray(f.options!, { minLength: 1 });
    case 'ref':
      return fc.integer({ min: 1, max: 1_000_000 });
    case 'files':
      return fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 3 });
  }
}

/** A value of the wrong shape or outside the field's rule, per type. */
export function invalidValue(f: FieldDef): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>({ a: 1 }, [[1]]);
  switch (f.type) {
    case 'text':
    case 'person':
    case 'longtext':
      return fc.oneof(fc.integer(), fc.constant('含\u0001控制字符'), fc.constant('字'.repeat((f.maxLength ?? (f.type === 'longtext' ? 20000 : 500)) + 1)), wrongType);
    case 'dept':
      return fc.oneof(fc.constant('没有这个部门'), fc.integer(), wrongType);
    case 'depts':
      return fc.oneof(fc.constant(['没有这个部门']), fc.constant('司法所'), wrongType);
    case 'date':
      return fc.oneof(fc.constantFrom('2023-02-30', '2023-13-01', '20230101', '2023-1-1', 'abc'), fc.integer(), wrongType);
    case 'month':
      return fc.oneof(fc.constantFrom('2023-13', '2023-00', '2023-1', '202301'), fc.integer(), wrongType);
    case 'int':
      return fc.oneof(fc.integer({ max: -1 }), fc.constantFrom(1.5, '3', true), wrongType);
    case 'number':
      return fc.oneof(fc.constantFrom('1', true), wrongType);
    case 'money':
      return fc.oneof(fc.constantFrom(-1, 1.234, '10'), wrongType);
    case 'bool':
      return fc.oneof(fc.constantFrom('是', 1, 'true'), wrongType);
    case 'enum':
      return fc.oneof(fc.constant('不是选项'), fc.integer(), wrongType);
    case 'multienum':
      return fc.oneof(fc.constant(['不是选项']), fc.constant(f.options![0]), wrongType);
    case 'ref':
      return fc.oneof(fc.constantFrom(0, -3, 1.5, '7'), wrongType);
    case 'files':
      return fc.oneof(fc.constant([0]), fc.constant([1.5]), fc.constant(5), wrongType);
  }
}

/** A valid record of a kind: required fields present, optional ones sometimes, the date rules met. */
export function validRecord(def: LedgerDef): fc.Arbitrary<Record<string, unknown>> {
  const flags = new Set((def.deadlines ?? []).map((r) => r.extension?.flagField).filter(Boolean));
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of def.fields) {
    if (flags.has(f.key)) continue; // an extension needs the flow's approval step, never a plain create
    shape[f.key] = isRequired(f) ? validValue(f) : fc.option(validValue(f), { nil: undefined });
  }
  return fc.record(shape).map((r) => {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) data[k] = v;
    // Options that follow another field (具体情形 under its 答复类型): one of those, and given whenever there are any.
    for (const f of def.fields) {
      if (!f.optionsBy) continue;
      const allowed = f.optionsBy.options[String(data[f.optionsBy.field])] ?? [];
      if (!allowed.length) delete data[f.key];
      else if (!allowed.includes(data[f.key] as string)) data[f.key] = allowed[Math.max(0, (f.options ?? []).indexOf(data[f.key] as string)) % allowed.length];
    }
    // A deadline's done date may not precede its start (the rule checkDeadlineDates enforces).
    for (const rule of def.deadlines ?? []) {
      const s = data[rule.startField];
      const d = data[rule.doneField];
      if (rule.period.amount > 0 && rule.startField !== rule.doneField && typeof s === 'string' && typeof d === 'string' && d < s) data[rule.doneField] = s;
    }
    return data;
  });
}

export const isRequired = (f: FieldDef) => Boolean(f.required || f.requiredOnCreate);

/** What validation adds to a valid record: the definition's defaults. */
export function withDefaults(def: LedgerDef, data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const f of def.fields) if (out[f.key] === undefined && f.default !== undefined) out[f.key] = f.default;
  return out;
}
