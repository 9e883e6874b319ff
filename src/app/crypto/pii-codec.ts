import type { FieldDef, LedgerDef, RecordData } from '../../core/ledgers/types';
import { activeCipher } from './active-key';
import type { DataCipher } from './data-cipher';

/**
 * How personal fields (`pii: true`) of a record are kept at rest: in `records.data` (and in audit
 * before/after values) each such value is replaced by `{"$sealed": base64}`, the SM4 envelope of its
 * JSON bound to the field key; `records.pii_index` holds the HMAC-SM3 blind index of each value so
 * equality filters work without decrypting. Everything above the storage layer sees plaintext:
 * `parseData` (record-view.ts) opens sealed values, the write path seals them. Non-personal fields
 * stay plain JSON, so metrics, filters and sorts on them are untouched.
 */
export interface SealedValue {
  $sealed: string;
}

export function isSealed(v: unknown): v is SealedValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as SealedValue).$sealed === 'string';
}

export const piiFields = (def: LedgerDef): FieldDef[] => def.fields.filter((f) => f.pii);

const aadOf = (key: string) => `field:${key}`;

/** The blind index scope of a field: per kind and field, so equal names in two fields do not match. */
export const blindScope = (kind: string, key: string) => `${kind}.${key}`;

/** The blind index of one value as a filter compares it (strings as given, numbers and booleans as JSON). */
export function blindOf(cipher: DataCipher, kind: string, key: string, value: unknown): string {
  return cipher.blind(blindScope(kind, key), typeof value === 'string' ? value : JSON.stringify(value));
}

/** A record's data as stored: personal values sealed. Already sealed values (rotation) are kept. */
export function sealData(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): RecordData {
  const pii = piiFields(def);
  if (!pii.length) return data;
  const out: Record<string, unknown> = { ...data };
  for (const f of pii) {
    const v = out[f.key];
    if (v === undefined || v === null || isSealed(v)) continue;
    out[f.key] = { $sealed: cipher.seal(Buffer.from(JSON.stringify(v), 'utf8'), aadOf(f.key)).toString('base64') } satisfies SealedValue;
  }
  return out as RecordData;
}

/** `records.pii_index`: field key → blind index of the value (an array for multi-value fields). */
export function piiIndex(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): string | null {
  const pii = piiFields(def);
  if (!pii.length) return null;
  const idx: Record<string, string | string[]> = {};
  for (const f of pii) {
    const v = (data as Record<string, unknown>)[f.key];
    if (v === undefined || v === null) continue;
    idx[f.key] = Array.isArray(v) ? v.map((x) => blindOf(cipher, def.kind, f.key, x)) : blindOf(cipher, def.kind, f.key, v);
  }
  return JSON.stringify(idx);
}

/** Both storage columns of a record's data: sealed JSON text and its blind index. */
export function storedData(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): { data: string; pii_index: string | null } {
  return { data: JSON.stringify(sealData(def, data, cipher)), pii_index: piiIndex(def, data, cipher) };
}

/** Opens every sealed value of a stored data object (no definition needed: the values say they are sealed). */
export function openData<T extends Record<string, unknown>>(data: T, cipher?: DataCipher): T {
  let out: Record<string, unknown> | null = null;
  for (const k in data) {
    const v = data[k];
    if (!isSealed(v)) continue;
    out ??= { ...data };
    out[k] = JSON.parse((cipher ?? activeCipher()).open(Buffer.from(v.$sealed, 'base64'), aadOf(k)).toString('utf8'));
  }
  return (out ?? data) as T;
}

/** An audit before/after value `{ …, data }` with the record's personal values sealed. */
export function sealAuditValue<T extends { data?: RecordData }>(def: LedgerDef, v: T): T {
  return v.data ? { ...v, data: sealData(def, v.data) } : v;
}

/** The same, opened (history, exports of the audit log). */
export function openAuditValue(v: unknown, cipher?: DataCipher): unknown {
  if (!v || typeof v !== 'object' || !('data' in v)) return v;
  const o = v as { data: unknown };
  return o.data && typeof o.data === 'object' && !Array.isArray(o.data) ? { ...o, data: openData(o.data as Record<string, unknown>, cipher) } : v;
}
