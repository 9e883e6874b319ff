export * from './dates';
export type * from './types';
export { WorkCalendar, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR } from './work-calendar';
export { loadChineseDaysData } from './chinese-days-source';
export { parseCalendarImport, parseCalendarKind, type CalendarImportResult } from './import-file';

import { loadChineseDaysData } from './chinese-days-source';
import type { CalendarOverride } from './types';
import { WorkCalendar } from './work-calendar';

/** The default calendar: `chinese-days` data plus the admin's overrides and imported years. */
export function buildWorkCalendar(overrides: readonly CalendarOverride[] = [], coveredYears: readonly number[] = []): WorkCalendar {
  return new WorkCalendar({ base: loadChineseDaysData(), overrides, coveredYears });
}
