import { z } from 'zod';
import type { FieldError } from '../errors';
import type { FieldDef, LedgerDef, RecordData } from './types';

/**
 * Record validation derived from a definition: a zod schema per field, with Chinese messages that
 * name the field (e.g. `参训人次：必须是不小于0的整数`).
 */

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

// NUL and other C0 controls (except tab and line breaks) are never meaningful in a ledger and PostgreSQL refuses NUL.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function fieldSchema(f: FieldDef): z.ZodType {
  const L = f.label;
  switch (f.type) {
    case 'text':
    case 'person':
    case 'dept':
      return z
        .string({ error: `${L}：必须是文本` })
        .refine((v) => !CONTROL.test(v), { error: `${L}：含有不允许的控制字符` })
        .trim()
        .min(1, { error: `${L}：不能为空` })
        .max(f.maxLength ?? 500, { error: `${L}：不能超过${f.maxLength ?? 500}个字` });
    case 'longtext':
      return z
        .string({ error: `${L}：必须是文本` })
        .refine((v) => !CONTROL.test(v), { error: `${L}：含有不允许的控制字符` })
        .trim()
        .min(1, { error: `${L}：不能为空` })
        .max(f.maxLength ?? 20000, { error: `${L}：不能超过${f.maxLength ?? 20000}个字` });
    case 'date':
      return z.string({ error: `${L}：必须是日期（YYYY-MM-DD）` }).refine(isValidDate, { error: `${L}：不是有效日期（YYYY-MM-DD）` });
    case 'month':
      return z
        .string({ error: `${L}：必须是月份（YYYY-MM）` })
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: `${L}：不是有效月份（YYYY-MM）` });
    case 'int':
      return z
        .number({ error: `${L}：必须是不小于0的整数` })
        .int({ error: `${L}：必须是不小于0的整数` })
        .min(0, { error: `${L}：必须是不小于0的整数` })
        .max(Number.MAX_SAFE_INTEGER, { error: `${L}：数值过大` });
    case 'number':
      return z.number({ error: `${L}：必须是数字` }).refine(Number.isFinite, { error: `${L}：必须是数字` });
    case 'money':
      return z
        .number({ error: `${L}：必须是金额（元，最多两位小数）` })
        .min(0, { error: `${L}：金额不能为负数` })
        .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { error: `${L}：金额最多两位小数` });
    case 'bool':
      return z.boolean({ error: `${L}：必须是“是”或“否”` });
    case 'enum': {
      const opts = f.options ?? [];
      return z.string({ error: `${L}：必须是以下之一：${opts.join('、')}` }).refine((v) => opts.includes(v), {
        error: `${L}：必须是以下之一：${opts.join('、')}`,
      });
    }
    case 'multienum': {
      const opts = f.options ?? [];
      return z
        .array(z.string(), { error: `${L}：必须是列表` })
        .refine((vs) => vs.every((v) => opts.includes(v)), { error: `${L}：每一项必须是以下之一：${opts.join('、')}` });
    }
    case 'depts':
      return z.array(z.string().trim().min(1), { error: `${L}：必须是部门名称列表` });
    case 'ref':
      return z.number({ error: `${L}：必须是记录编号` }).int({ error: `${L}：必须是记录编号` }).positive({ error: `${L}：必须是记录编号` });
    case 'files':
      return z.array(z.number().int().positive(), { error: `${L}：必须是附件编号列表` });
  }
}

interface Compiled {
  fields: Map<string, { def: FieldDef; schema: z.ZodType }>;
}
const cache = new WeakMap<LedgerDef, Compiled>();

function compile(def: LedgerDef): Compiled {
  let c = cache.get(def);
  if (!c) {
    c = { fields: new Map(def.fields.map((f) => [f.key, { def: f, schema: fieldSchema(f) }])) };
    cache.set(def, c);
  }
  return c;
}

export type ValidationResult = { ok: true; data: RecordData } | { ok: false; errors: FieldError[] };

export interface ValidateOptions {
  /** Department names of the record's org unit, for `dept`/`depts` fields. */
  deptNames?: ReadonlySet<string>;
  /** On update, `input` is merged over `previous` and required fields are checked on the result. */
  previous?: RecordData;
  /** Check only the given fields (a transition's payload): no defaults, no required-field check. */
  partial?: boolean;
}

/**
 * Validates and normalises the fields of a record. Empty values (null, '', []) clear a field.
 * Unknown keys are rejected rather than dropped, so a typo never loses data silently.
 */
export function validateRecordData(def: LedgerDef, input: unknown, opts: ValidateOptions = {}): ValidationResult {
  const errors: FieldError[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', label: '', message: '记录内容必须是对象' }] };
  }
  const { fields } = compile(def);
  const out: RecordData = opts.previous ? { ...opts.previous } : {};
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    const f = fields.get(key);
    if (!f) {
      errors.push({ field: key, label: key, message: `未知字段：${key}（${def.label}没有此字段）` });
      continue;
    }
    if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
      delete out[key];
      continue;
    }
    const r = f.schema.safeParse(typeof raw === 'string' && f.def.aliases ? canonicalOption(f.def, raw) : raw);
    if (!r.success) {
      errors.push({ field: key, label: f.def.label, message: r.error.issues[0]?.message ?? `${f.def.label}：格式不正确` });
      continue;
    }
    let value = r.data;
    if (opts.deptNames && (f.def.type === 'dept' || f.def.type === 'depts')) {
      const names = Array.isArray(value) ? (value as string[]) : [value as string];
      const unknown = names.filter((n) => !opts.deptNames!.has(n));
      if (unknown.length) {
        errors.push({ field: key, label: f.def.label, message: `${f.def.label}：本单位没有部门“${unknown.join('、')}”` });
        continue;
      }
    }
    if (f.def.type === 'money') value = Math.round((value as number) * 100) / 100;
    out[key] = value;
  }
  if (opts.partial) return errors.length ? { ok: false, errors } : { ok: true, data: out };
  if (!opts.previous) {
    for (const f of def.fields) {
      if (out[f.key] === undefined && f.default !== undefined) out[f.key] = f.default;
      if (f.requiredOnCreate && out[f.key] === undefined && !errors.some((e) => e.field === f.key))
        errors.push({ field: f.key, label: f.label, message: `${f.label}：必填` });
    }
  }
  const given = new Set(Object.keys(input as Record<string, unknown>));
  for (const f of def.fields) {
    // Checked on create and whenever either field is written, so old records stay editable.
    if (!f.optionsBy || (opts.previous && !given.has(f.key) && !given.has(f.optionsBy.field))) continue;
    if (errors.some((e) => e.field === f.key || e.field === f.optionsBy!.field)) continue;
    const e = dependentOptionError(def, f, out);
    if (e) errors.push({ field: f.key, label: f.label, message: e });
  }
  for (const f of def.fields) {
    if (f.required && (out[f.key] === undefined || out[f.key] === null)) {
      if (!errors.some((e) => e.field === f.key)) errors.push({ field: f.key, label: f.label, message: `${f.label}：必填` });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, data: out };
}

/** The stored form of an enum value given in one of the field's accepted spellings (or the value itself). */
export function canonicalOption(f: FieldDef, value: string): string {
  const v = value.trim();
  return f.aliases && Object.hasOwn(f.aliases, v) ? f.aliases[v]! : v;
}

/**
 * The rule of an `optionsBy` field on a record's data: required under the types that list
 * sub-items, only a sub-item of the chosen type, empty otherwise. Null when the data satisfies it.
 */
export function dependentOptionError(def: LedgerDef, f: FieldDef, data: RecordData): string | null {
  if (!f.optionsBy) return null;
  const ctrl = def.fields.find((x) => x.key === f.optionsBy!.field);
  const ctrlLabel = ctrl?.label ?? f.optionsBy.field;
  const raw = data[f.optionsBy.field];
  const c = typeof raw === 'string' ? (ctrl ? canonicalOption(ctrl, raw) : raw) : undefined;
  const v = data[f.key];
  const allowed = c !== undefined && Object.hasOwn(f.optionsBy.options, c) ? f.optionsBy.options[c]! : null;
  if (allowed) {
    if (v === undefined || v === null) return `${f.label}：${ctrlLabel}为“${c}”时必填（${allowed.join('、')}）`;
    if (typeof v !== 'string' || !allowed.includes(v)) return `${f.label}：“${String(v)}”不属于“${c}”的情形，应为以下之一：${allowed.join('、')}`;
    return null;
  }
  if (v === undefined || v === null) return null;
  return c === undefined ? `${f.label}：请先填写${ctrlLabel}` : `${f.label}：${ctrlLabel}为“${c}”时不填`;
}

/** The date that puts a record in a year: month fields count from the 1st of the month. */
export function occurredOnOf(def: LedgerDef, data: RecordData): string | null {
  const v = data[def.occurredOn];
  if (typeof v !== 'string') return null;
  return v.length === 7 ? `${v}-01` : v;
}

export function closedOnOf(def: LedgerDef, data: RecordData): string | null {
  if (!def.closedOnField) return null;
  const v = data[def.closedOnField];
  return typeof v === 'string' ? v : null;
}

/**
 * Date rules of a record's deadlines, the same a flow transition enforces: the date that meets a rule
 * may not precede the date the rule runs from, nor lie in the future.
 */
export function checkDeadlineDates(def: LedgerDef, data: RecordData, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const label = (k: string) => def.fields.find((f) => f.key === k)?.label ?? k;
  for (const r of def.deadlines ?? []) {
    const done = data[r.doneField];
    const start = data[r.startField];
    if (typeof done !== 'string' || errors.some((e) => e.field === r.doneField)) continue;
    // A zero-length period makes the start field the due date itself (a task's 完成时限): finishing early is fine.
    if (r.period.amount > 0 && r.startField !== r.doneField && typeof start === 'string' && done < start)
      errors.push({ field: r.doneField, label: label(r.doneField), message: `${label(r.doneField)}：不得早于${label(r.startField)}（${start}）` });
    else if (done > today) errors.push({ field: r.doneField, label: label(r.doneField), message: `${label(r.doneField)}：不得晚于今天（${today}）` });
  }
  return errors;
}

/**
 * Extension flags an edit would switch on. An extension needs approval, which only the flow's
 * extension step records; a plain edit (or a create through the API) may not grant one.
 */
export function newlySetExtensionFlags(def: LedgerDef, before: RecordData, after: RecordData): FieldError[] {
  const out: FieldError[] = [];
  for (const r of def.deadlines ?? []) {
    const flag = r.extension?.flagField;
    if (!flag || before[flag] === true || after[flag] !== true) continue;
    const label = def.fields.find((f) => f.key === flag)?.label ?? flag;
    const step = def.flow?.transitions.find((t) => t.setsFlag?.includes(flag));
    out.push({ field: flag, label, message: `${label}：须经批准，请使用${step ? `“${step.label}”操作` : '延期审批'}` });
  }
  return out;
}
