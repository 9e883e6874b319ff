import type { LedgerDef } from '@core/ledgers/types';

/** Columns shown by default: the title field first, then short fields, at most `max`. */
export function defaultColumns(def: LedgerDef, max = 6): string[] {
  const shortFields = def.fields.filter((f) => !['longtext', 'files'].includes(f.type));
  const ordered = def.titleField ? [...shortFields.filter((f) => f.key === def.titleField), ...shortFields.filter((f) => f.key !== def.titleField)] : shortFields;
  return ordered.slice(0, max).map((f) => f.key);
}

/** A saved column choice, cleaned of fields the definition no longer has (custom kinds change). */
export function restoreColumns(def: LedgerDef, saved: string | null): string[] {
  if (!saved) return defaultColumns(def);
  try {
    const keys = JSON.parse(saved) as unknown;
    if (!Array.isArray(keys)) return defaultColumns(def);
    const valid = keys.filter((k): k is string => typeof k === 'string' && def.fields.some((f) => f.key === k));
    return valid.length ? valid : defaultColumns(def);
  } catch {
    return defaultColumns(def);
  }
}
