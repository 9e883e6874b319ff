import type { Condition, RecordData } from '../ledgers/types';

/** Empty for the purpose of "not filled in": absent, null, blank text or an empty list. */
export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function same(a: unknown, b: string | number | boolean): boolean {
  return a === b || (typeof a === 'string' && typeof b !== 'string' && a === String(b));
}

export function matchesCondition(c: Condition, data: RecordData): boolean {
  const v = data[c.field];
  if ('eq' in c) return same(v, c.eq);
  if ('in' in c) return c.in.some((x) => same(v, x));
  if ('notIn' in c) return !c.notIn.some((x) => same(v, x));
  return c.present ? !isBlank(v) : isBlank(v);
}

/** All conditions hold (an absent list always holds). */
export function matchesConditions(conds: readonly Condition[] | undefined, data: RecordData): boolean {
  if (!conds) return true;
  for (const c of conds) if (!matchesCondition(c, data)) return false;
  return true;
}
