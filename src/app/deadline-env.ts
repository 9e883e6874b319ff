import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Duration } from '../core/ledgers/types';
import { DEFAULT_NEAR_DAYS } from '../core/deadlines';
import { CALENDAR_VERSION_KEY, calendarAtVersion } from './calendar';
import type { DeadlineEnv } from './derive';

type Db = Kysely<DB> | Transaction<DB>;

export const NEAR_DAYS_KEY = 'deadline_near_days';
/** Per-org periods of configurable rules: settings key `deadline_periods:<orgId>` = {kind: {rule: Duration}}. */
export const periodsKey = (orgId: number) => `deadline_periods:${orgId}`;

export interface OrgDeadlineEnv {
  base: Omit<DeadlineEnv, 'periodOverrides'>;
  /** Overrides for a kind of an org unit. */
  forKind(orgId: number, kind: string): Record<string, Duration> | undefined;
}

/** Everything deadline computation needs, read once per command. */
export async function loadDeadlineEnv(db: Db, today: string, orgIds: number[]): Promise<OrgDeadlineEnv> {
  // One query for the calendar's version and the deadline settings: every read of a record with a
  // deadline comes here, and the calendar itself is rebuilt only when its version changed.
  const keys = [CALENDAR_VERSION_KEY, NEAR_DAYS_KEY, ...orgIds.map(periodsKey)];
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  const calendar = await calendarAtVersion(db, rows.find((r) => r.key === CALENDAR_VERSION_KEY)?.value);
  const near = rows.find((r) => r.key === NEAR_DAYS_KEY);
  const periods = new Map<number, Record<string, Record<string, Duration>>>();
  for (const r of rows) {
    if (r.key.startsWith('deadline_periods:')) periods.set(Number(r.key.split(':')[1]), JSON.parse(r.value) as Record<string, Record<string, Duration>>);
  }
  return {
    base: { today, calendar, nearDays: near ? Number(near.value) : DEFAULT_NEAR_DAYS },
    forKind: (orgId, kind) => periods.get(orgId)?.[kind],
  };
}

export function envFor(e: OrgDeadlineEnv, orgId: number, kind: string): DeadlineEnv {
  const o = e.forKind(orgId, kind);
  return o ? { ...e.base, periodOverrides: o } : e.base;
}

/** Largest 临期 window an admin may set, in working days (a month of work). */
export const MAX_NEAR_DAYS = 22;

/** Writes one setting (insert or replace), inside the caller's transaction; null deletes it. */
export async function writeSetting(db: Db, key: string, value: string | null): Promise<void> {
  if (value === null) {
    await db.deleteFrom('settings').where('key', '=', key).execute();
    return;
  }
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** An org unit's own periods of configurable rules: {kind: {rule: Duration}}. */
export async function readPeriodOverrides(db: Db, orgId: number): Promise<Record<string, Record<string, Duration>>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', periodsKey(orgId)).executeTakeFirst();
  return row ? (JSON.parse(row.value) as Record<string, Record<string, Duration>>) : {};
}
