/**
 * Date helpers for the generators, on the platform's own calendar (core/calendar: `chinese-days` data)
 * so that generated deadlines land where the deadline engine will put them.
 */
import { addDays, addMonths, buildWorkCalendar, daysBetween, daysFromCivil, fromDayNumber, isIsoDate } from '../core/calendar';
import type { Duration } from '../core/ledgers/types';
import type { Rng } from './prng';

export { addDays, addMonths, daysBetween };

// The shipped calendar without admin overrides: what a fresh installation counts with.
const calendar = buildWorkCalendar();

export function ymd(year: number, month: number, day: number): string {
  return fromDayNumber(daysFromCivil(year, month, day));
}

export function isWorkday(iso: string): boolean {
  return calendar.isWorkingDay(iso);
}

export function nextWorkdayOnOrAfter(iso: string): string {
  return calendar.nextWorkingDayOnOrAfter(iso);
}

/** `n` working days after `iso` (before it when n < 0). */
export function addWorkdays(iso: string, n: number): string {
  if (n >= 0) return calendar.addWorkingDays(iso, n);
  let d = iso;
  for (let left = -n; left > 0; ) {
    d = addDays(d, -1);
    if (isWorkday(d)) left--;
  }
  return d;
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
  return calendar.workingDaysBetween(from, to);
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
  return isIsoDate(s);
}

export function isValidIsoMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}
