import type { FieldDef, LedgerDef, RecordData } from '../../core/ledgers/types';
import { activeCipher } from './active-key';
import type { DataCipher } from './data-cipher';

/**
 * How personal fields (`pii: true`) of a record are kept at rest: in `records.data` (and in audit
 * before/after values) the record's personal values together become one SM4 envelope under the
 * reserved key `$pii` (one decryption per record, however many personal fields its kind has), and
 * each such field keeps its place with the marker `{"$p":1}`. `records.pii_index` holds the
 * HMAC-SM3 blind index of each value so equality filters work without decrypting. Everything above
 * the storage layer sees plaintext: `parseData` (record-view.ts) opens the envelope, the write path
 * seals it. Non-personal fields stay plain JSON, so metrics, filters and sorts on them are untouched.
 */
export const SEALED_KEY = '$pii';
const MARK = '$p';
const AAD = 'record-pii';

type Marker = { [MARK]: 1 };
const isMarker = (v: unknown): v is Marker => typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Marker)[MARK] === 1;

/** Whether stored data holds sealed personal values. */
export function isSealed(data: Record<string, unknown>): boolean {
  return typeof data[SEALED_KEY] === 'string';
}

export const piiFields = (def: LedgerDef): FieldDef[] => def.fields.filter((f) => f.pii);

/** The blind index scope of a field: per kind and field, so equal names in two fields do not match. */
export const blindScope = (kind: string, key: string) => `${kind}.${key}`;

/** The blind index of one value as a filter compares it (strings as given, numbers and booleans as JSON). */
export function blindOf(cipher: DataCipher, kind: string, key: string, value: unknown): string {
  return cipher.blind(blindScope(kind, key), typeof value === 'string' ? value : JSON.stringify(value));
}

/** A record's data as stored: personal values sealed (data already sealed is returned as it is). */
export function sealData(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): RecordData {
  const pii = piiFields(def);
  if (!pii.length || isSealed(data)) return data;
  const out: Record<string, unknown> = { ...data };
  const bag: Record<string, unknown> = {};
  for (const f of pii) {
    const v = out[f.key];
    if (v === undefined || v === null) continue;
    bag[f.key] = v;
    out[f.key] = { [MARK]: 1 } satisfies Marker;
  }
  if (!Object.keys(bag).length) return out as RecordData;
  out[SEALED_KEY] = cipher.seal(Buffer.from(JSON.stringify(bag), 'utf8'), AAD).toString('base64');
  return out as RecordData;
}

/** `records.pii_index`: field key → blind index of the value (an array for multi-value fields). */
export function piiIndex(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): string | null {
  const pii = piiFields(def);
  if (!pii.length) return null;
  const idx: Record<string, string | string[]> = {};
  for (const f of pii) {
    const v = (data as Record<string, unknown>)[f.key];
    if (v === undefined || v === null || isMarker(v)) continue;
    idx[f.key] = Array.isArray(v) ? v.map((x) => blindOf(cipher, def.kind, f.key, x)) : blindOf(cipher, def.kind, f.key, v);
  }
  return JSON.stringify(idx);
}

/** Both storage columns of a record's data: sealed JSON text and its blind index. */
export function storedData(def: LedgerDef, data: RecordData, cipher: DataCipher = activeCipher()): { data: string; pii_index: string | null } {
  return { data: JSON.stringify(sealData(def, data, cipher)), pii_index: piiIndex(def, data, cipher) };
}

/** Opens the sealed personal values of stored data (no definition needed: the data says it is sealed). */
export function openData<T extends Record<string, unknown>>(data: T, cipher?: DataCipher): T {
  const sealed = data[SEALED_KEY];
  if (typeof sealed !== 'string') return data;
  const bag = JSON.parse((cipher ?? activeCipher()).open(Buffer.from(sealed, 'base64'), AAD).toString('utf8')) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in data) {
    if (k === SEALED_KEY) continue;
    const v = data[k];
    out[k] = isMarker(v) ? bag[k] : v;
  }
  return out as T;
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
