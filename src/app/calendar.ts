import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { buildWorkCalendar, type WorkCalendar } from '../core/calendar';
import type { CalendarOverride } from '../core/calendar/types';

type Db = Kysely<DB> | Transaction<DB>;

/** Setting whose value changes on every calendar edit, so each instance knows when to rebuild. */
export const CALENDAR_VERSION_KEY = 'calendar_version';

let cached: { version: string; calendar: WorkCalendar } | null = null;

/**
 * The working-day calendar in force: chinese-days data plus the admin's overrides and declared years.
 * Rebuilt only when another edit (on any instance) has changed the stored version.
 */
export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const v = await db.selectFrom('settings').select('value').where('key', '=', CALENDAR_VERSION_KEY).executeTakeFirst();
  return calendarAtVersion(db, v?.value);
}

/** The calendar for a stored version read by the caller (with its other settings, in one query). */
export async function calendarAtVersion(db: Db, storedVersion: string | undefined): Promise<WorkCalendar> {
  const version = storedVersion ?? '0';
  if (cached && cached.version === version) return cached.calendar;
  const overrides = await db.selectFrom('calendar_overrides').select(['date', 'kind', 'name']).orderBy('date').execute();
  const years = await db.selectFrom('calendar_years').select('year').execute();
  const calendar = buildWorkCalendar(
    overrides.map((o) => ({ date: o.date, kind: o.kind as CalendarOverride['kind'], ...(o.name ? { name: o.name } : {}) })),
    years.map((y) => y.year),
  );
  cached = { version, calendar };
  return calendar;
}

/** Marks the calendar changed (inside the transaction of the change). */
export async function bumpCalendarVersion(db: Db): Promise<void> {
  const value = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const r = await db.updateTable('settings').set({ value }).where('key', '=', CALENDAR_VERSION_KEY).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await db.insertInto('settings').values({ key: CALENDAR_VERSION_KEY, value }).execute();
}
