import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from './context';
import type { DB } from '../db/schema';
import type { Actor } from '../core/access/policy';
import { isAdmin } from '../core/access/policy';
import type { LedgerDef } from '../core/ledgers/types';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  civilFromDays,
  daysFromCivil,
  fromDayNumber,
  parseCalendarImport,
  tryParseDate,
  type CalendarDayKind,
  type CalendarOverride,
  type DayStatus,
} from '../core/calendar';
import { changedOverrideDates, type CalendarChange } from '../core/deadlines';
import { AppError, forbidden } from '../core/errors';
import { todayShanghai } from '../core/time';
import { audit } from './audit';
import { bumpCalendarVersion, loadCalendar } from './calendar';
import { recomputeAfterCalendarChange, type RecomputeResult } from './recompute';

type Db = Kysely<DB> | Transaction<DB>;

export interface CalendarDayView {
  date: string;
  workday: boolean;
  status: DayStatus;
  name?: string;
  adjusted: boolean;
  override: boolean;
}

export interface CalendarYearView {
  year: number;
  hasData: boolean;
  days: CalendarDayView[];
  /** This year and next, where no official or imported schedule exists. */
  missingYears: number[];
}

/** Years (this one and the next) whose schedule is missing, for /api/health and the UI banner. */
export async function missingCalendarYears(ctx: AppContext): Promise<number[]> {
  const cal = await loadCalendar(ctx.storage.db);
  const y = Number(todayShanghai(ctx.now()).slice(0, 4));
  return cal.missingYears(y, y + 1);
}

/** The UI warning for missing years, or undefined when every needed year has data. */
export function calendarWarning(missing: readonly number[]): string | undefined {
  if (!missing.length) return undefined;
  return `${missing.join('、')}年节假日安排尚未录入，涉及该年的期限为暂定`;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new AppError('BAD_REQUEST', `年份应为${CALENDAR_FIRST_YEAR}—${CALENDAR_LAST_YEAR}之间的整数`);
  }
}

export async function getCalendarYear(ctx: AppContext, year: number): Promise<CalendarYearView> {
  checkYear(year);
  const cal = await loadCalendar(ctx.storage.db);
  const first = daysFromCivil(year, 1, 1);
  const last = daysFromCivil(year + 1, 1, 1);
  const days: CalendarDayView[] = [];
  for (let d = first; d < last; d++) {
    const info = cal.dayInfo(fromDayNumber(d));
    const v: CalendarDayView = { date: info.date, workday: info.workday, status: info.status, adjusted: info.adjusted, override: info.override };
    if (info.name !== undefined) v.name = info.name;
    days.push(v);
  }
  return { year, hasData: cal.hasData(year), days, missingYears: await missingCalendarYears(ctx) };
}

/** A real date within the calendar's years, or a 400 naming the problem. */
export function checkCalendarDate(date: string): string {
  const day = tryParseDate(date);
  if (Number.isNaN(day)) throw new AppError('BAD_REQUEST', `日期「${date}」无效，应为YYYY-MM-DD格式的真实日期`);
  const y = civilFromDays(day)[0];
  if (y < CALENDAR_FIRST_YEAR || y > CALENDAR_LAST_YEAR) {
    throw new AppError('BAD_REQUEST', `日期「${date}」超出工作日历范围（${CALENDAR_FIRST_YEAR}—${CALENDAR_LAST_YEAR}年）`);
  }
  return date;
}

function requireAdmin(who: Actor): void {
  if (!isAdmin(who)) throw forbidden('只有系统管理员可以修改工作日历');
}

async function overridesOf(db: Db, fromDate?: string, toDate?: string): Promise<CalendarOverride[]> {
  let q = db.selectFrom('calendar_overrides').select(['date', 'kind', 'name']);
  if (fromDate) q = q.where('date', '>=', fromDate);
  if (toDate) q = q.where('date', '<=', toDate);
  const rows = await q.orderBy('date').execute();
  return rows.map((o) => ({ date: o.date, kind: o.kind as CalendarDayKind, ...(o.name ? { name: o.name } : {}) }));
}

async function definitions(ctx: AppContext): Promise<Map<string, LedgerDef>> {
  // Read before the transaction: the registry queries outside it (SQLite has a single connection).
  return new Map((await ctx.registry.all()).map((d) => [d.kind, d]));
}

export interface CalendarChangeResult {
  recomputed: number;
  /** Ids of the open records whose due date or state changed. */
  recordIds: number[];
  missingYears: number[];
}

/** Up to this many changed record ids are written into the audit entry. */
const AUDIT_IDS = 200;

async function afterChange(
  ctx: AppContext,
  trx: Transaction<DB>,
  defs: Map<string, LedgerDef>,
  change: CalendarChange,
  today: string,
): Promise<RecomputeResult> {
  await bumpCalendarVersion(trx);
  // loadCalendar sees the new version inside the transaction and builds the changed calendar.
  await loadCalendar(trx);
  return recomputeAfterCalendarChange(trx, ctx.storage.dialect, defs, change, today);
}

/**
 * Sets (kind) or removes (null) the admin override of one day, then, in the same transaction,
 * recomputes the open deadlines that count that day.
 */
export async function setCalendarDay(
  ctx: AppContext,
  who: Actor,
  date: string,
  kind: CalendarDayKind | null,
  name?: string | null,
): Promise<CalendarChangeResult & { day: CalendarDayView }> {
  requireAdmin(who);
  checkCalendarDate(date);
  const cleanName = name?.trim() || null;
  if (cleanName && cleanName.length > 40) throw new AppError('BAD_REQUEST', '名称不能超过40个字');
  const defs = await definitions(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  const result = await ctx.storage.db.transaction().execute(async (trx) => {
    const before = await overridesOf(trx, date, date);
    if (kind === null) {
      if (!before.length) throw new AppError('NOT_FOUND', `${date}没有人工调整，无需取消`);
      await trx.deleteFrom('calendar_overrides').where('date', '=', date).execute();
    } else {
      const values = { kind, name: cleanName, updated_by: who.userId || null, updated_at: at };
      await trx
        .insertInto('calendar_overrides')
        .values({ date, ...values })
        .onConflict((oc) => oc.column('date').doUpdateSet(values))
        .execute();
    }
    const after = await overridesOf(trx, date, date);
    const r = await afterChange(ctx, trx, defs, { dates: changedOverrideDates(before, after) }, today);
    await audit(trx, who, at, {
      action: kind === null ? 'calendar_clear' : 'calendar_set',
      entity: 'calendar',
      entityId: date,
      before: before[0] ?? null,
      after: after[0] ?? null,
      detail: `重新计算期限${r.updated}件${r.ids.length ? `（记录 ${r.ids.slice(0, AUDIT_IDS).join(',')}${r.ids.length > AUDIT_IDS ? '…' : ''}）` : ''}`,
    });
    return r;
  });
  const cal = await loadCalendar(ctx.storage.db);
  const info = cal.dayInfo(date);
  const day: CalendarDayView = { date, workday: info.workday, status: info.status, adjusted: info.adjusted, override: info.override };
  if (info.name !== undefined) day.name = info.name;
  return { day, recomputed: result.updated, recordIds: result.ids, missingYears: await missingCalendarYears(ctx) };
}

export interface CalendarImportOutcome extends CalendarChangeResult {
  imported: number;
  years: number[];
  warnings: string[];
}

/**
 * Imports one or more years' complete schedule: the file's days replace the overrides of those
 * years (a day dropped from a corrected file stops being special), and the years are marked as
 * covered, so their deadlines are no longer provisional. All or nothing.
 */
export async function importCalendar(ctx: AppContext, who: Actor, text: string, format?: 'json' | 'csv'): Promise<CalendarImportOutcome> {
  requireAdmin(who);
  const parsed = parseCalendarImport(text, format);
  if (parsed.errors.length) {
    const shown = parsed.errors.slice(0, 20);
    const more = parsed.errors.length > shown.length ? `；另有${parsed.errors.length - shown.length}处错误` : '';
    throw new AppError('VALIDATION', `日历文件有误，未导入：${shown.join('；')}${more}`);
  }
  if (!parsed.years.length) throw new AppError('VALIDATION', '日历文件没有声明或包含任何年份');
  const defs = await definitions(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  const result = await ctx.storage.db.transaction().execute(async (trx) => {
    const oldCal = await loadCalendar(trx);
    const years = parsed.years;
    const inYears = (d: string) => years.includes(Number(d.slice(0, 4)));
    const entries = parsed.entries;
    const touched = [...new Set([...years.map(String), ...entries.map((e) => e.date.slice(0, 4))])].map(Number).sort((a, b) => a - b);
    const lo = `${String(touched[0]).padStart(4, '0')}-01-01`;
    const hi = `${String(touched[touched.length - 1]).padStart(4, '0')}-12-31`;
    const before = await overridesOf(trx, lo, hi);
    const keep = new Set(entries.map((e) => e.date));
    const stale = before.filter((o) => inYears(o.date) && !keep.has(o.date)).map((o) => o.date);
    for (let i = 0; i < stale.length; i += 500) await trx.deleteFrom('calendar_overrides').where('date', 'in', stale.slice(i, i + 500)).execute();
    for (const e of entries) {
      const values = { kind: e.kind, name: e.name ?? null, updated_by: who.userId || null, updated_at: at };
      await trx
        .insertInto('calendar_overrides')
        .values({ date: e.date, ...values })
        .onConflict((oc) => oc.column('date').doUpdateSet(values))
        .execute();
    }
    const newlyCovered = years.filter((y) => !oldCal.hasData(y));
    for (const y of years) {
      await trx
        .insertInto('calendar_years')
        .values({ year: y, declared_by: who.userId || null, declared_at: at })
        .onConflict((oc) => oc.column('year').doUpdateSet({ declared_by: who.userId || null, declared_at: at }))
        .execute();
    }
    const after = await overridesOf(trx, lo, hi);
    const r = await afterChange(ctx, trx, defs, { dates: changedOverrideDates(before, after), years: newlyCovered }, today);
    await audit(trx, who, at, {
      action: 'calendar_import',
      entity: 'calendar',
      entityId: years.join(','),
      before: { overrides: before.length },
      after: { years, days: entries.length, removed: stale },
      detail: `导入${years.join('、')}年节假日安排${entries.length}天，重新计算期限${r.updated}件`,
    });
    return r;
  });
  return {
    imported: parsed.entries.length,
    years: parsed.years,
    warnings: parsed.warnings,
    recomputed: result.updated,
    recordIds: result.ids,
    missingYears: await missingCalendarYears(ctx),
  };
}
