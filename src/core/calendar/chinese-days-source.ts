import chineseDays from 'chinese-days';
import { daysFromCivil, fromDayNumber, isWeekend } from './dates';
import type { BaseCalendarData, CalendarDayEntry } from './types';

/** Years probed for package data; the package covers 2004 up to its release year. */
const PROBE_FROM = 2000;
const PROBE_TO = 2100;

/** 'National Day,国庆节,3' -> '国庆节'. */
function chineseName(raw: string): string | undefined {
  const parts = raw.split(',');
  return parts.length >= 2 ? parts[1]!.trim() || undefined : undefined;
}

let cached: BaseCalendarData | null = null;

/**
 * The State Council schedules shipped in `chinese-days`. A year counts as known when the package
 * lists at least one holiday in it: for later years the package silently answers "weekday =
 * working day", which must never be taken for an official schedule.
 */
export function loadChineseDaysData(): BaseCalendarData {
  if (cached) return cached;
  const years: number[] = [];
  const days: CalendarDayEntry[] = [];
  for (let y = PROBE_FROM; y <= PROBE_TO; y++) {
    const holidays = chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false);
    if (holidays.length === 0) {
      // The package's data is contiguous: a few empty years after known ones end the probe.
      const last = years[years.length - 1];
      if (last !== undefined && y > last + 2) break;
      continue;
    }
    years.push(y);
    for (const date of holidays) {
      const name = chineseName(chineseDays.getDayDetail(date).name);
      days.push(name ? { date, kind: 'holiday', name } : { date, kind: 'holiday' });
    }
    // Adjusted working days (调休上班) are weekend days the package marks as working.
    const end = daysFromCivil(y + 1, 1, 1);
    for (let d = daysFromCivil(y, 1, 1); d < end; d++) {
      if (!isWeekend(d)) continue;
      const date = fromDayNumber(d);
      const detail = chineseDays.getDayDetail(date);
      if (!detail.work) continue;
      const name = chineseName(detail.name);
      days.push(name ? { date, kind: 'workday', name } : { date, kind: 'workday' });
    }
  }
  cached = { years, days };
  return cached;
}
