import type { FieldDef, FieldType, LedgerDef } from '@core/ledgers/types';

/** Field types whose form value is a list. */
const LIST_TYPES: ReadonlySet<FieldType> = new Set(['multienum', 'depts', 'files']);
const NUMBER_TYPES: ReadonlySet<FieldType> = new Set(['int', 'number', 'money']);

export function isListType(type: FieldType): boolean {
  return LIST_TYPES.has(type);
}
export function isNumberType(type: FieldType): boolean {
  return NUMBER_TYPES.has(type);
}

export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** The value an input starts with on a new record: the definition's default, else an empty value of the right shape. */
export function emptyValue(field: FieldDef): unknown {
  if (field.default !== undefined) return field.default;
  if (isListType(field.type)) return [];
  if (field.type === 'bool') return false;
  if (isNumberType(field.type) || field.type === 'ref') return null;
  return '';
}

/** Form model for a record: every field present, with the stored value or an empty one. */
export function formModel(def: LedgerDef, data: Record<string, unknown> = {}): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const f of def.fields) {
    const v = data[f.key];
    if (v === undefined || v === null) model[f.key] = emptyValue(f);
    else if (isListType(f.type)) model[f.key] = Array.isArray(v) ? [...(v as unknown[])] : [v];
    else model[f.key] = v;
  }
  return model;
}

/**
 * Turns a form model into the record's `data` for the API: blank texts and empty lists become null (so that a
 * cleared field is cleared on the server too), numeric strings become numbers, texts are trimmed.
 */
export function toPayload(def: LedgerDef, model: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of def.fields) {
    const v = model[f.key];
    if (isEmptyValue(v)) {
      out[f.key] = f.type === 'bool' ? false : null;
      continue;
    }
    if (isNumberType(f.type) || f.type === 'ref') {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      out[f.key] = Number.isFinite(n) ? n : v;
    } else if (typeof v === 'string') {
      out[f.key] = v.trim();
    } else {
      out[f.key] = v;
    }
  }
  return out;
}

/** Human-readable value of a field, as shown in tables and the detail page. */
export function formatValue(field: Pick<FieldDef, 'type' | 'optionLabels'> | undefined, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  // A coded option (an indicator code) shows its Chinese name.
  const named = (x: unknown) => field?.optionLabels?.[String(x)] ?? String(x);
  if (Array.isArray(v)) return v.map(named).join('、');
  if (typeof v === 'string' && field?.optionLabels?.[v]) return named(v);
  if (field?.type === 'bool' || typeof v === 'boolean') return v === true ? '是' : v === false ? '否' : String(v);
  if (field?.type === 'money' && typeof v === 'number') return v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (typeof v === 'number') return v.toLocaleString('zh-CN');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The title of a record in lists, links and breadcrumbs. */
export function recordTitle(def: LedgerDef | undefined, rec: { id: number; data: Record<string, unknown> }): string {
  const key = def?.titleField;
  const t = key ? rec.data[key] : undefined;
  if (typeof t === 'string' && t.trim()) return def?.fields.find((f) => f.key === key)?.optionLabels?.[t] ?? t;
  const firstText = def?.fields.find((f) => f.type === 'text' && typeof rec.data[f.key] === 'string' && rec.data[f.key]);
  if (firstText) return String(rec.data[firstText.key]);
  return `${def?.label ?? '记录'} #${rec.id}`;
}
