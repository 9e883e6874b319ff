import { civilFromDays, fromDayNumber, toDayNumber, tryParseDate, type IsoDate } from '../calendar/dates';
import type { CalendarOverride } from '../calendar/types';

/** What changed in the calendar: days whose status or name changed, years whose coverage changed. */
export interface CalendarChange {
  dates: readonly IsoDate[];
  years?: readonly number[];
}

export interface CalendarChangeFilter {
  /** Whether a deadline counted over (startOn, dueOn] may move or change its provisional flag. */
  affects(startOn: IsoDate, dueOn: IsoDate): boolean;
  /**
   * A window for a SQL pre-filter: only records with startOn < to and dueOn >= from can be
   * affected (null when nothing changed).
   */
  window: { from: IsoDate; to: IsoDate } | null;
}

/**
 * A deadline depends only on the days it counts, (startOn, dueOn]: a day after the due date
 * cannot move it (the count reached its amount before it; a moved rest-day end lies inside
 * the span too), and the provisional flag depends on the years of the same span. So only open
 * records whose span contains a changed day or touches a changed year need recomputing.
 */
export function calendarChangeFilter(change: CalendarChange): CalendarChangeFilter {
  const days = Int32Array.from(new Set(change.dates.map((d) => tryParseDate(d)).filter((n) => !Number.isNaN(n)))).sort();
  const years = new Set(change.years ?? []);
  let lo = Infinity;
  let hi = -Infinity;
  if (days.length) {
    lo = days[0]!;
    hi = days[days.length - 1]!;
  }
  for (const y of years) {
    lo = Math.min(lo, toDayNumber(`${String(y).padStart(4, '0')}-01-01`));
    hi = Math.max(hi, toDayNumber(`${String(y).padStart(4, '0')}-12-31`));
  }
  const window = lo <= hi ? { from: fromDayNumber(lo), to: fromDayNumber(hi) } : null;

  function affects(startOn: IsoDate, dueOn: IsoDate): boolean {
    const a = tryParseDate(startOn);
    const b = tryParseDate(dueOn);
    if (Number.isNaN(a) || Number.isNaN(b)) return true;
    if (days.length) {
      // First changed day > a.
      let l = 0;
      let h = days.length;
      while (l < h) {
        const m = (l + h) >>> 1;
        if (days[m]! > a) h = m;
        else l = m + 1;
      }
      if (l < days.length && days[l]! <= b) return true;
    }
    if (years.size) {
      const ya = civilFromDays(a + 1)[0];
      const yb = civilFromDays(Math.max(b, a + 1))[0];
      for (let y = ya; y <= yb; y++) if (years.has(y)) return true;
    }
    return false;
  }
  return { affects, window };
}

/** Dates whose override was added, removed or changed between two override lists. */
export function changedOverrideDates(before: readonly CalendarOverride[], after: readonly CalendarOverride[]): IsoDate[] {
  const key = (o: CalendarOverride): string => `${o.kind}|${o.name ?? ''}`;
  const a = new Map(before.map((o) => [o.date, key(o)]));
  const b = new Map(after.map((o) => [o.date, key(o)]));
  const out = new Set<IsoDate>();
  for (const [d, k] of a) if (b.get(d) !== k) out.add(d);
  for (const [d, k] of b) if (a.get(d) !== k) out.add(d);
  return [...out].sort();
}
