import type { CalendarDay } from '../api/types';

export interface GridCell {
  date: string;
  day: number;
  /** Weekday 0 = Monday … 6 = Sunday (Chinese calendars start on Monday). */
  weekday: number;
  workday: boolean;
  /** Differs from the plain Monday–Friday rule: a holiday on a weekday or a 调休 working weekend. */
  special: boolean;
  name?: string;
  override?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * One month as weeks of 7 cells (null for padding), Monday first. Days missing from `days` fall back to
 * Monday–Friday working days, which is what the server assumes when a year's schedule is missing.
 */
export function monthGrid(year: number, month: number, days: ReadonlyMap<string, CalendarDay>): (GridCell | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const count = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (GridCell | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= count; d++) {
    const date = `${year}-${pad(month)}-${pad(d)}`;
    const weekday = (lead + d - 1) % 7;
    const plain = weekday < 5;
    const info = days.get(date);
    const workday = info ? info.workday : plain;
    cells.push({ date, day: d, weekday, workday, special: workday !== plain, name: info?.name, override: info?.override });
  }
  while (cells.length % 7) cells.push(null);
  const weeks: (GridCell | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
