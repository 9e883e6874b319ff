import type { FieldDef, LedgerDef } from '@core/ledgers/types';
import { validateRecordData } from '../../../src/core/ledgers/validate';
import { isEmptyValue } from './fieldValues';

/**
 * The server's own message for a typed value (the core validator the API runs), without the
 * label prefix the form item already shows: the form says exactly what the server would say.
 */
function serverMessage(field: FieldDef, value: unknown): string | null {
  const numeric = field.type === 'int' || field.type === 'number' || field.type === 'money' || field.type === 'ref';
  // What the form sends (toPayload): a numeric text becomes a number, anything else is sent as typed.
  const sent = numeric && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim())) ? Number(value.trim()) : value;
  // A one-field definition: the validator only reads the label and the fields.
  const def = { kind: 'form', label: field.label, fields: [field] } as unknown as LedgerDef;
  const r = validateRecordData(def, { [field.key]: sent }, { partial: true });
  if (r.ok) return null;
  const msg = r.errors[0]?.message ?? '格式不正确';
  return msg.startsWith(`${field.label}：`) ? msg.slice(field.label.length + 1) : msg;
}

/**
 * Checks one value against its field definition with the server's rules and messages, so that a
 * mistake is shown on the field before a round trip. Returns the Chinese message, or null when the
 * value is acceptable. Nothing is corrected: `2026-02-30`, `-5` or `2.5` for an integer are refused.
 */
export function validateField(field: FieldDef, value: unknown): string | null {
  if (isEmptyValue(value) || (field.type === 'bool' && value === null)) {
    return field.required && field.type !== 'bool' ? `请填写${field.label}` : null;
  }
  if (field.type === 'files') return null;
  return serverMessage(field, value);
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
    const trigger = ['enum', 'multienum', 'dept', 'depts', 'bool'].includes(f.type) ? ['change'] : ['blur', 'change'];
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
