import {
  civilFromDays,
  daysFromCivil,
  formatDaySpan,
  fromDayNumber,
  isWeekend,
  toDayNumber,
  type IsoDate,
} from './dates';
import type { CalendarDayEntry, DayInfo, DayStatus, HolidaysBetween, HolidaySpan, WorkCalendarInput } from './types';

/** The calendar's table covers these years; deadlines never reach outside them. */
export const CALENDAR_FIRST_YEAR = 1990;
export const CALENDAR_LAST_YEAR = 2150;

const STATUS_WORKDAY = 0;
const STATUS_ADJUSTED = 1;
const STATUS_REST = 2;
const STATUS_HOLIDAY = 3;
const STATUS_NAMES: DayStatus[] = ['workday', 'adjusted_workday', 'rest', 'holiday'];

/** Fallback name of an unnamed day off set by an override. */
const UNNAMED_HOLIDAY = '放假';

/**
 * Working days per the State Council schedule (package data) and admin overrides.
 *
 * Built once per calendar version into flat per-day tables over 1990-2150, so every lookup is
 * O(1) and "the n-th working day after d" is a binary search over prefix counts: recomputing
 * 100,000 deadlines after a calendar change costs milliseconds, not a day-by-day walk.
 * Instances are immutable; a calendar change builds a new one.
 */
export class WorkCalendar {
  private readonly origin: number;
  private readonly size: number;
  private readonly status: Uint8Array;
  private readonly overridden: Uint8Array;
  /** prefix[i] = working days among table days [0, i). */
  private readonly prefix: Int32Array;
  /** nextWork[i] = first table index >= i that is a working day (size if none). */
  private readonly nextWork: Int32Array;
  private readonly names = new Map<number, string>();
  private readonly years: Set<number>;

  constructor(input: WorkCalendarInput = {}) {
    this.origin = daysFromCivil(CALENDAR_FIRST_YEAR, 1, 1);
    const end = daysFromCivil(CALENDAR_LAST_YEAR + 1, 1, 1);
    this.size = end - this.origin;
    this.status = new Uint8Array(this.size);
    this.overridden = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      this.status[i] = isWeekend(this.origin + i) ? STATUS_REST : STATUS_WORKDAY;
    }
    for (const e of input.base?.days ?? []) this.apply(e, false);
    for (const e of input.overrides ?? []) this.apply(e, true);
    this.years = new Set([...(input.base?.years ?? []), ...(input.coveredYears ?? [])]);

    this.prefix = new Int32Array(this.size + 1);
    for (let i = 0; i < this.size; i++) {
      const s = this.status[i]!;
      this.prefix[i + 1] = this.prefix[i]! + (s === STATUS_WORKDAY || s === STATUS_ADJUSTED ? 1 : 0);
    }
    this.nextWork = new Int32Array(this.size + 1);
    this.nextWork[this.size] = this.size;
    for (let i = this.size - 1; i >= 0; i--) {
      const s = this.status[i]!;
      this.nextWork[i] = s === STATUS_WORKDAY || s === STATUS_ADJUSTED ? i : this.nextWork[i + 1]!;
    }
  }

  private apply(e: CalendarDayEntry, isOverride: boolean): void {
    const day = toDayNumber(e.date);
    const i = day - this.origin;
    if (i < 0 || i >= this.size) return;
    const weekend = isWeekend(day);
    if (e.kind === 'holiday') {
      this.status[i] = STATUS_HOLIDAY;
      this.names.set(day, e.name?.trim() || UNNAMED_HOLIDAY);
    } else {
      this.status[i] = weekend ? STATUS_ADJUSTED : STATUS_WORKDAY;
      if (weekend && e.name?.trim()) this.names.set(day, e.name.trim());
      else this.names.delete(day);
    }
    if (isOverride) this.overridden[i] = 1;
  }

  private index(day: number): number {
    const i = day - this.origin;
    if (i < 0 || i >= this.size) {
      throw new RangeError(`日期${fromDayNumber(day)}超出工作日历范围（${CALENDAR_FIRST_YEAR}—${CALENDAR_LAST_YEAR}年）`);
    }
    return i;
  }

  // ---- day-number API (used in bulk by the deadline engine) ----

  isWorkingDayN(day: number): boolean {
    const s = this.status[this.index(day)]!;
    return s === STATUS_WORKDAY || s === STATUS_ADJUSTED;
  }

  /** Working days in (a, b]; 0 when b <= a. */
  countWorkingDaysN(a: number, b: number): number {
    if (b <= a) return 0;
    return this.prefix[this.index(b) + 1]! - this.prefix[this.index(a) + 1]!;
  }

  /** The n-th working day after `day` (the day itself not counted); `day` itself for n = 0. */
  addWorkingDaysN(day: number, n: number): number {
    if (n <= 0) return day;
    const i = this.index(day);
    const target = this.prefix[i + 1]! + n;
    // Smallest j with prefix[j + 1] >= target, i.e. the day on which the count reaches n.
    let lo = i + 1;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.prefix[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= this.size) throw new RangeError(`工作日推算超出日历范围（${CALENDAR_LAST_YEAR}年）`);
    return this.origin + lo;
  }

  nextWorkingDayOnOrAfterN(day: number): number {
    const j = this.nextWork[this.index(day)]!;
    if (j >= this.size) throw new RangeError(`工作日推算超出日历范围（${CALENDAR_LAST_YEAR}年）`);
    return this.origin + j;
  }

  /** Whether every year touched by the days [a, b] has official or imported data. */
  hasDataForSpanN(a: number, b: number): boolean {
    const ya = civilFromDays(Math.min(a, b))[0];
    const yb = civilFromDays(Math.max(a, b))[0];
    for (let y = ya; y <= yb; y++) if (!this.years.has(y)) return false;
    return true;
  }

  dayStatusN(day: number): DayStatus {
    return STATUS_NAMES[this.status[this.index(day)]!]!;
  }

  dayNameN(day: number): string | undefined {
    return this.names.get(day);
  }

  // ---- string API ----

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayN(toDayNumber(date));
  }

  dayInfo(date: IsoDate): DayInfo {
    const day = toDayNumber(date);
    const i = this.index(day);
    const status = STATUS_NAMES[this.status[i]!]!;
    const name = this.names.get(day);
    const info: DayInfo = {
      date,
      workday: status === 'workday' || status === 'adjusted_workday',
      status,
      adjusted: status === 'adjusted_workday',
      override: this.overridden[i] === 1,
      hasData: this.years.has(civilFromDays(day)[0]),
    };
    if (name !== undefined) info.name = name;
    return info;
  }

  hasData(year: number): boolean {
    return this.years.has(year);
  }

  /** Years in [from, to] with no official or imported schedule. */
  missingYears(from: number, to: number): number[] {
    const out: number[] = [];
    for (let y = from; y <= to; y++) if (!this.years.has(y)) out.push(y);
    return out;
  }

  /** Years with data, ascending. */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  addWorkingDays(date: IsoDate, n: number): IsoDate {
    return fromDayNumber(this.addWorkingDaysN(toDayNumber(date), n));
  }

  nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
    return fromDayNumber(this.nextWorkingDayOnOrAfterN(toDayNumber(date)));
  }

  /** Working days in (a, b]: the days a period started on `a` has used up by the end of `b`. */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    return this.countWorkingDaysN(toDayNumber(a), toDayNumber(b));
  }

  /**
   * Holiday periods (consecutive named days off, weekends inside them included) and adjusted
   * working days within [a, b], both inclusive.
   */
  holidaysBetween(a: IsoDate, b: IsoDate): HolidaysBetween {
    return this.holidaysBetweenN(toDayNumber(a), toDayNumber(b));
  }

  holidaysBetweenN(a: number, b: number): HolidaysBetween {
    const holidays: HolidaySpan[] = [];
    const adjustedWorkdays: { date: IsoDate; name?: string }[] = [];
    let open: { name: string; from: number; to: number } | null = null;
    const close = (): void => {
      if (open) holidays.push({ name: open.name, from: fromDayNumber(open.from), to: fromDayNumber(open.to), days: open.to - open.from + 1 });
      open = null;
    };
    for (let day = a; day <= b; day++) {
      const s = this.status[this.index(day)]!;
      if (s === STATUS_HOLIDAY) {
        const name = this.names.get(day) ?? UNNAMED_HOLIDAY;
        if (open && open.name === name) open.to = day;
        else {
          close();
          open = { name, from: day, to: day };
        }
        continue;
      }
      // Only a plain weekend may sit inside a period (it does not split it); a working day ends it.
      if (s !== STATUS_REST) close();
      if (s === STATUS_ADJUSTED) {
        const name = this.names.get(day);
        adjustedWorkdays.push(name === undefined ? { date: fromDayNumber(day) } : { date: fromDayNumber(day), name });
      }
    }
    close();
    return { holidays, adjustedWorkdays };
  }

  /** '10月1日至7日国庆节假期' for a span returned by holidaysBetween. */
  static describeHoliday(span: HolidaySpan, refYear?: number): string {
    const label = span.name === UNNAMED_HOLIDAY ? '放假' : `${span.name}假期`;
    return `${formatDaySpan(toDayNumber(span.from), toDayNumber(span.to), refYear)}${label}`;
  }
}
