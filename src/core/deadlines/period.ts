import { addMonthsToDayNumber } from '../calendar/dates';
import type { WorkCalendar } from '../calendar/work-calendar';
import type { Duration } from '../ledgers/types';

/** A stop as day numbers: days in (from, to] are not counted. */
export interface StopSpan {
  from: number;
  to: number;
}

export interface PeriodCount {
  /** Last day of the period after stops, before moving off a rest day. */
  end: number;
  /** The due date: `end`, or for calendar/month periods the next working day after a rest day. */
  due: number;
  /** Days each stop (same order as given) moved the period by. */
  stopDays: number[];
}

/** Adjacent segments in the same unit add up (31 Jan + 3 + 3 months = 31 Jul, not 30 Jul). */
function mergeSegments(segments: readonly Duration[]): Duration[] {
  const out: Duration[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.unit === s.unit) out[out.length - 1] = { amount: last.amount + s.amount, unit: s.unit };
    else out.push({ ...s });
  }
  return out;
}

/**
 * Counts periods one after another from `start` (not itself counted), skipping stopped days:
 * working days inside a stop do not count; for calendar-day and month periods the stopped days
 * are added. A calendar-day or month period ending on a rest day or holiday ends on the next
 * working day (民事诉讼法 art. 85). `stops` must be sorted by `from` and not overlap.
 */
export function countPeriod(cal: WorkCalendar, start: number, segments: readonly Duration[], stops: readonly StopSpan[]): PeriodCount {
  const stopDays = stops.map(() => 0);
  let cursor = start;
  const merged = mergeSegments(segments);
  for (const seg of merged) {
    if (seg.unit === 'working_days') {
      let remaining = seg.amount;
      for (let k = 0; k < stops.length; k++) {
        const s = stops[k]!;
        if (s.to <= cursor) continue;
        const a = Math.max(s.from, cursor);
        const before = cal.countWorkingDaysN(cursor, a);
        if (before >= remaining) break;
        remaining -= before;
        stopDays[k]! += cal.countWorkingDaysN(a, s.to);
        cursor = s.to;
      }
      cursor = cal.addWorkingDaysN(cursor, remaining);
    } else {
      let end = seg.unit === 'months' ? addMonthsToDayNumber(cursor, seg.amount) : cursor + seg.amount;
      for (let k = 0; k < stops.length; k++) {
        const s = stops[k]!;
        if (s.to <= cursor) continue;
        const a = Math.max(s.from, cursor);
        if (a >= end) break;
        const add = s.to - a;
        end += add;
        stopDays[k]! += add;
      }
      cursor = end;
    }
  }
  const last = merged[merged.length - 1];
  const total = merged.reduce((n, s) => n + s.amount, 0);
  const rolls = last !== undefined && last.unit !== 'working_days' && total > 0;
  return { end: cursor, due: rolls ? cal.nextWorkingDayOnOrAfterN(cursor) : cursor, stopDays };
}
