import type { FieldDef, LedgerDef } from '@core/ledgers/types';
import { isEmptyValue } from './fieldValues';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Checks one value against its field definition, mirroring the server's rules so that most mistakes are
 * caught before a round trip. Returns the Chinese message, or null when the value is acceptable.
 */
export function validateField(field: FieldDef, value: unknown): string | null {
  if (isEmptyValue(value) || (field.type === 'bool' && value === null)) {
    return field.required && field.type !== 'bool' ? `请填写${field.label}` : null;
  }
  switch (field.type) {
    case 'int': {
      const n = asNumber(value);
      return n === null || !Number.isInteger(n) || n < 0 ? '必须是不小于0的整数' : null;
    }
    case 'number':
      return asNumber(value) === null ? '必须是数字' : null;
    case 'money': {
      const n = asNumber(value);
      if (n === null || n < 0) return '必须是不小于0的金额';
      return Math.abs(Math.round(n * 100) - n * 100) > 1e-6 ? '金额最多保留两位小数' : null;
    }
    case 'date':
      return typeof value === 'string' && validDate(value) ? null : '请输入有效日期（年-月-日）';
    case 'month':
      return typeof value === 'string' && MONTH_RE.test(value) ? null : '请输入有效月份（年-月）';
    case 'enum':
      return field.options && !field.options.includes(String(value)) ? `只能选择：${field.options.join('、')}` : null;
    case 'multienum': {
      if (!Array.isArray(value)) return '格式不正确';
      const bad = value.filter((v) => !(field.options ?? []).includes(String(v)));
      return field.options && bad.length ? `不在可选范围内：${bad.join('、')}` : null;
    }
    case 'ref': {
      const n = asNumber(value);
      return n === null || !Number.isInteger(n) || n <= 0 ? '请输入关联记录的编号' : null;
    }
    case 'text':
    case 'longtext':
    case 'person': {
      const max = field.maxLength ?? (field.type === 'longtext' ? 20000 : 500);
      return String(value).length > max ? `不能超过${max}个字` : null;
    }
    default:
      return null;
  }
}

/** Validates a whole form; returns field key -> message for the fields in error. */
export function validateRecord(def: LedgerDef, model: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of def.fields) {
    const msg = validateField(f, model[f.key]);
    if (msg) errors[f.key] = msg;
  }
  return errors;
}

export interface FormRule {
  required?: boolean;
  trigger: string[];
  validator: (rule: unknown, value: unknown, callback: (error?: Error) => void) => void;
}

/** Element Plus form rules built from a definition: one validator per field that runs `validateField`. */
export function buildRules(def: LedgerDef): Record<string, FormRule[]> {
  const rules: Record<string, FormRule[]> = {};
  for (const f of def.fields) {
    const trigger = ['date', 'month', 'enum', 'multienum', 'dept', 'depts', 'bool'].includes(f.type) ? ['change'] : ['blur', 'change'];
    rules[f.key] = [
      {
        required: Boolean(f.required) && f.type !== 'bool',
        trigger,
        validator: (_rule, value, callback) => {
          const msg = validateField(f, value);
          if (msg) callback(new Error(msg));
          else callback();
        },
      },
    ];
  }
  return rules;
}

/**
 * Server VALIDATION errors carry `field` (a key of the kind) and a message often prefixed by the label
 * ("参训人次：必须是…"); the prefix is dropped because the form item already shows the label.
 */
export function serverFieldErrors(fields: { field: string; label?: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fields) {
    const key = e.field.startsWith('data.') ? e.field.slice(5) : e.field;
    let msg = e.message;
    if (e.label && (msg.startsWith(`${e.label}：`) || msg.startsWith(`${e.label}:`))) msg = msg.slice(e.label.length + 1);
    out[key] = out[key] ? `${out[key]}；${msg}` : msg;
  }
  return out;
}
