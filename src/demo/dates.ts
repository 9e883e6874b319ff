/**
 * Date helpers for the generators: plain `YYYY-MM-DD` strings, UTC arithmetic (no time zones can
 * shift a calendar date), and working days from the `chinese-days` package so that generated
 * deadlines land where the platform's calendar will put them.
 */
// chinese-days is CommonJS: its named exports are only visible through the default export under Node ESM.
import chineseDays from 'chinese-days';
import type { Duration } from '../core/ledgers/types';
import type { Rng } from './prng';

const DAY_MS = 86_400_000;

function toUtc(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function ymd(year: number, month: number, day: number): string {
  return fromUtc(Date.UTC(year, month - 1, day));
}

export function addDays(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY_MS);
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

export function isWorkday(iso: string): boolean {
  return chineseDays.isWorkday(iso);
}

export function nextWorkdayOnOrAfter(iso: string): string {
  let d = iso;
  while (!isWorkday(d)) d = addDays(d, 1);
  return d;
}

/** `n` working days after `iso` (before it when n < 0). */
export function addWorkdays(iso: string, n: number): string {
  const step = n < 0 ? -1 : 1;
  let d = iso;
  let left = Math.abs(n);
  while (left > 0) {
    d = addDays(d, step);
    if (isWorkday(d)) left--;
  }
  return d;
}

/** Months added with the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return ymd(ny, nm, Math.min(d, last));
}

/**
 * The due date of a period starting the day after `start`, following the spec's counting rules:
 * working-day periods count working days; calendar-day and month periods ending on a rest day move
 * to the next working day. The platform's own deadline engine is the authority; this is only used
 * to place generated records before, near or after their deadlines.
 */
export function dueAfter(start: string, period: Duration): string {
  switch (period.unit) {
    case 'working_days':
      return addWorkdays(start, period.amount);
    case 'calendar_days':
      return nextWorkdayOnOrAfter(addDays(start, period.amount));
    case 'months':
      return nextWorkdayOnOrAfter(addMonths(start, period.amount));
  }
}

/** Working days strictly after `from` up to and including `to` (0 when to <= from). */
export function workdaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkday(d)) n++;
  return n;
}

/** A random working day in [from, to]; falls back to `from` when the range has none (`to` when empty). */
export function randomWorkday(rng: Rng, from: string, to: string): string {
  const span = daysBetween(from, to);
  if (span < 0) return to;
  for (let tries = 0; tries < 50; tries++) {
    const d = addDays(from, rng.int(0, Math.max(0, span)));
    if (isWorkday(d)) return d;
  }
  return from;
}

/** A random day (any day of the week) in [from, to]. */
export function randomDay(rng: Rng, from: string, to: string): string {
  return addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))));
}

/** `n` working days spread over [from, to], sorted, repeats allowed (several events a day happen). */
export function spreadWorkdays(rng: Rng, n: number, from: string, to: string): string[] {
  return Array.from({ length: n }, () => randomWorkday(rng, from, to)).sort();
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function isValidIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return fromUtc(toUtc(s)) === s;
}

export function isValidIsoMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}
