import type { IsoDate } from './dates';

export type CalendarDayKind = 'workday' | 'holiday';

/**
 * One day whose status differs from the plain Monday-Friday rule, or that an admin pinned:
 * a holiday (放假, also on a weekend inside a holiday period) or a working day (a weekend
 * 调休上班 day, or a weekday that an override turns back into a working day).
 */
export interface CalendarDayEntry {
  date: IsoDate;
  kind: CalendarDayKind;
  /** Holiday name, e.g. 国庆节; for an adjusted working day the holiday it serves. */
  name?: string;
}

/** Admin-editable override (table `calendar_overrides`); it wins over the package data. */
export type CalendarOverride = CalendarDayEntry;

/** The State Council schedules known for some years (from `chinese-days`, or a test fixture). */
export interface BaseCalendarData {
  /** Years whose official schedule is in `days`. */
  years: number[];
  days: CalendarDayEntry[];
}

export interface WorkCalendarInput {
  base?: BaseCalendarData;
  overrides?: readonly CalendarOverride[];
  /**
   * Years the admin declared as complete by importing that year's schedule
   * (`fazhi calendar import FILE`). A single `calendar set` does not cover a year.
   */
  coveredYears?: readonly number[];
}

/**
 * - `workday`: an ordinary working day;
 * - `adjusted_workday`: a weekend day that is a working day (调休上班);
 * - `rest`: an ordinary Saturday or Sunday;
 * - `holiday`: a statutory holiday or a day off in lieu (放假).
 */
export type DayStatus = 'workday' | 'adjusted_workday' | 'rest' | 'holiday';

export interface DayInfo {
  date: IsoDate;
  workday: boolean;
  status: DayStatus;
  name?: string;
  /** A weekend day that is a working day (调休上班). */
  adjusted: boolean;
  /** The status comes from an admin override. */
  override: boolean;
  /** The year has an official or imported schedule (otherwise it is a plain weekday guess). */
  hasData: boolean;
}

/** Named days off in a span, grouped into periods, for explanations. */
export interface HolidaySpan {
  name: string;
  from: IsoDate;
  to: IsoDate;
  days: number;
}

export interface HolidaysBetween {
  holidays: HolidaySpan[];
  adjustedWorkdays: { date: IsoDate; name?: string }[];
}
