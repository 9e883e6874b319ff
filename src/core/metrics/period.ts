import type { DateRange, PeriodSpec } from './types';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * The calendar dates of a period. Records carry calendar dates (YYYY-MM-DD, as lived in
 * Asia/Shanghai), so a year is 1 January to 31 December of those strings: no time zone arithmetic.
 */
export function periodRange(p: PeriodSpec): DateRange {
  if ('from' in p) {
    if (!isValidDate(p.from) || !isValidDate(p.to)) throw new Error(`期间日期无效：${p.from} 至 ${p.to}`);
    if (p.from > p.to) throw new Error(`期间起始日期晚于结束日期：${p.from} 至 ${p.to}`);
    return { from: p.from, to: p.to };
  }
  const y = p.year;
  if (!Number.isInteger(y) || y < 1900 || y > 9999) throw new Error(`年份无效：${y}`);
  if ('quarter' in p) {
    if (![1, 2, 3, 4].includes(p.quarter)) throw new Error(`季度无效：${String(p.quarter)}`);
    const m1 = (p.quarter - 1) * 3 + 1;
    const m3 = m1 + 2;
    return { from: `${y}-${pad(m1)}-01`, to: `${y}-${pad(m3)}-${pad(daysInMonth(y, m3))}` };
  }
  if ('month' in p) {
    if (!Number.isInteger(p.month) || p.month < 1 || p.month > 12) throw new Error(`月份无效：${p.month}`);
    return { from: `${y}-${pad(p.month)}-01`, to: `${y}-${pad(p.month)}-${pad(daysInMonth(y, p.month))}` };
  }
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

/** The same date n years later (29 February → 28 February in a common year). */
export function shiftDate(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ny = y + years;
  return `${pad(ny, 4)}-${pad(m)}-${pad(Math.min(d, daysInMonth(ny, m)))}`;
}

/** The range shifted by whole years; a range ending on the last day of February keeps ending on it. */
export function shiftRange(r: DateRange, years: number): DateRange {
  if (years === 0) return r;
  const [ty, tm, td] = r.to.split('-').map(Number) as [number, number, number];
  const endsMonth = td === daysInMonth(ty, tm);
  const to = endsMonth ? `${pad(ty + years, 4)}-${pad(tm)}-${pad(daysInMonth(ty + years, tm))}` : shiftDate(r.to, years);
  return { from: shiftDate(r.from, years), to };
}

/** Today's calendar date in Asia/Shanghai (the server may run in UTC). */
export function todayInShanghai(now: Date = new Date()): string {
  // China has had no daylight saving time since 1991: a fixed +8 h offset is exact.
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Chinese description of a range: 2023年, 2023年第一季度, 2023年3月, or 2023-03-05至2023-04-01. */
export function describeRange(r: DateRange): string {
  const [fy, fm, fd] = r.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = r.to.split('-').map(Number) as [number, number, number];
  if (fy === ty && fd === 1 && td === daysInMonth(ty, tm)) {
    if (fm === 1 && tm === 12) return `${fy}年`;
    if (fm === tm) return `${fy}年${fm}月`;
    if ((fm - 1) % 3 === 0 && tm === fm + 2) return `${fy}年第${'一二三四'[(fm - 1) / 3]}季度`;
  }
  return `${r.from}至${r.to}`;
}
