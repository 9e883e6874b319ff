/**
 * Sane ranges for values in a ledger (GB/T 22239-2019 8.1.4.4 入侵防范 b: input validity checks).
 * A government ledger holds nothing before the founding of the People's Republic (1949-10-01) and
 * plans nothing after 2100; amounts and counts stay below 10^12 (一万亿), well inside exact
 * floating-point range, so sums in reports never lose a 分.
 */
export const MIN_DATE = '1949-10-01';
export const MAX_DATE = '2100-12-31';
export const MAX_NUMBER = 1e12;

export function dateInRange(s: string): boolean {
  return s >= MIN_DATE && s <= MAX_DATE;
}

export function monthInRange(s: string): boolean {
  return s >= MIN_DATE.slice(0, 7) && s <= MAX_DATE.slice(0, 7);
}

export function numberInRange(v: number): boolean {
  return Math.abs(v) < MAX_NUMBER;
}

/**
 * A lone UTF-16 surrogate is not a character: SQLite would store it and PostgreSQL refuse it with a
 * misleading message, and no export could write it. Refused on input on both databases.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}
