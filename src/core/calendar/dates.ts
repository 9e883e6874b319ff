/**
 * Calendar-date arithmetic on 'YYYY-MM-DD' strings via day numbers (days since 1970-01-01).
 *
 * Dates in this project are Asia/Shanghai calendar dates with no time of day. Going through
 * `new Date('2026-10-01')` invites time-zone slips and allocates an object per call; the
 * civil-from-days conversion below (H. Hinnant's algorithm) is exact, allocation-free and fast
 * enough to run for every day of every record when deadlines are recomputed in bulk.
 */

export type IsoDate = string;

/** Day number of a proleptic Gregorian date (1970-01-01 = 0). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month (1-12), day] of a day number. */
export function civilFromDays(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * Day number of 'YYYY-MM-DD', or NaN when the string is not a real date of that form
 * (2026-02-30 and 2026-2-3 are rejected).
 */
export function tryParseDate(s: string): number {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digit(s, i);
    if (d < 0) return NaN;
    year = year * 10 + d;
  }
  const m1 = digit(s, 5);
  const m2 = digit(s, 6);
  const d1 = digit(s, 8);
  const d2 = digit(s, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return NaN;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

export function isIsoDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && !Number.isNaN(tryParseDate(s));
}

/** Day number of a date string; throws on a malformed date (callers validate user input first). */
export function toDayNumber(s: IsoDate): number {
  const n = tryParseDate(s);
  if (Number.isNaN(n)) throw new RangeError(`日期格式无效：「${String(s)}」，应为YYYY-MM-DD`);
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const [y, m, d] = civilFromDays(dayNumber);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}

export function yearOf(s: IsoDate): number {
  return civilFromDays(toDayNumber(s))[0];
}

export function addDays(s: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(s) + n);
}

/**
 * The same day n months later; when that month is shorter the period ends on its last day
 * (31 Jan + 1 month = 28/29 Feb), as periods counted in months are computed in Chinese law.
 */
export function addMonthsToDayNumber(dayNumber: number, n: number): number {
  const [y, m, d] = civilFromDays(dayNumber);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return daysFromCivil(year, month, Math.min(d, daysInMonth(year, month)));
}

export function addMonths(s: IsoDate, n: number): IsoDate {
  return fromDayNumber(addMonthsToDayNumber(toDayNumber(s), n));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** '10月1日'; with the year when it differs from `refYear` ('2027年1月2日'). */
export function formatMonthDay(dayNumber: number, refYear?: number): string {
  const [y, m, d] = civilFromDays(dayNumber);
  return refYear !== undefined && y !== refYear ? `${y}年${m}月${d}日` : `${m}月${d}日`;
}

/**
 * A span of days in Chinese: '10月1日至7日', '9月30日至10月2日', '4月5日'.
 */
export function formatDaySpan(from: number, to: number, refYear?: number): string {
  const head = formatMonthDay(from, refYear);
  if (to === from) return head;
  const [fy, fm] = civilFromDays(from);
  const [ty, tm, td] = civilFromDays(to);
  if (fy === ty && fm === tm) return `${head}至${td}日`;
  return `${head}至${formatMonthDay(to, fy === ty ? ty : refYear)}`;
}
