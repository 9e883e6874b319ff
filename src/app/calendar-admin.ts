import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from './context';
import type { DB } from '../db/schema';
import type { Actor } from '../core/access/policy';
import { canReadOrgSettings, isAdmin } from '../core/access/policy';
import type { Duration, LedgerDef } from '../core/ledgers/types';
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
import { changedOverrideDates, DEFAULT_NEAR_DAYS, findRule, periodText, validatePeriodOverride, type CalendarChange } from '../core/deadlines';
import { AppError, forbidden } from '../core/errors';
import { todayShanghai } from '../core/time';
import { audit } from './audit';
import { bumpCalendarVersion, loadCalendar } from './calendar';
import { recomputeAfterCalendarChange, recomputeKindAtOrg, recomputeNearWindow, type RecomputeResult } from './recompute';
import { loadDeadlineEnv, MAX_NEAR_DAYS, NEAR_DAYS_KEY, periodsKey, readPeriodOverrides, writeSetting } from './deadline-env';
import { orgById } from './orgs';

type Db = Kysely<DB> | Transaction<DB>;

export interface CalendarDayView {
  date: string;
  workday: boolean;
  status: DayStatus;
  name?: string;
  adjusted: boolean;
  override: boolean;
  /** Where the day's status comes from: the State Council data shipped, a year's imported schedule, or a single-day edit. */
  source: 'official' | 'imported' | 'override';
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

/** Whether the year's schedule was imported as a whole (its days are the official schedule, entered here). */
async function yearImported(db: Db, year: number): Promise<boolean> {
  return Boolean(await db.selectFrom('calendar_years').select('year').where('year', '=', year).executeTakeFirst());
}

export async function getCalendarYear(ctx: AppContext, year: number): Promise<CalendarYearView> {
  checkYear(year);
  const cal = await loadCalendar(ctx.storage.db);
  const first = daysFromCivil(year, 1, 1);
  const last = daysFromCivil(year + 1, 1, 1);
  const days: CalendarDayView[] = [];
  const imported = await yearImported(ctx.storage.db, year);
  for (let d = first; d < last; d++) {
    const info = cal.dayInfo(fromDayNumber(d));
    const source = !info.override ? 'official' : imported ? 'imported' : 'override';
    const v: CalendarDayView = { date: info.date, workday: info.workday, status: info.status, adjusted: info.adjusted, override: info.override, source };
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
  const source = !info.override ? 'official' : (await yearImported(ctx.storage.db, Number(date.slice(0, 4)))) ? 'imported' : 'override';
  const day: CalendarDayView = { date, workday: info.workday, status: info.status, adjusted: info.adjusted, override: info.override, source };
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

export interface ConfigurableRuleView {
  kind: string;
  kindLabel: string;
  rule: string;
  label: string;
  basis: string;
  /** The definition's period. */
  default: Duration;
  /** The period in force at the org unit. */
  period: Duration;
  overridden: boolean;
}

export interface DeadlineSettingsView {
  /** 临期 when due within this many working days. */
  nearDays: number;
  orgId: number;
  orgName: string;
  /** Rules whose period an org unit may set (the spec's "configurable"), with the unit's values. */
  rules: ConfigurableRuleView[];
}

/** The 临期 window and an org unit's periods of configurable rules (readable by every user). */
export async function getDeadlineSettings(ctx: AppContext, who: Actor, orgId?: number): Promise<DeadlineSettingsView> {
  const db = ctx.storage.db;
  const org = await orgById(db, orgId ?? who.orgId);
  if (!canReadOrgSettings(who, org.path)) throw forbidden('无权查看该组织的期限设置（不在您的数据范围内）');
  const env = await loadDeadlineEnv(db, todayShanghai(ctx.now()), [org.id]);
  const rules: ConfigurableRuleView[] = [];
  for (const def of await ctx.registry.all()) {
    const own = env.forKind(org.id, def.kind);
    for (const r of def.deadlines ?? []) {
      if (!r.configurable) continue;
      const o = own?.[r.key];
      rules.push({ kind: def.kind, kindLabel: def.label, rule: r.key, label: r.label, basis: r.basis, default: r.period, period: o ?? r.period, overridden: !!o });
    }
  }
  return { nearDays: env.base.nearDays ?? DEFAULT_NEAR_DAYS, orgId: org.id, orgName: org.name, rules };
}

function requireSettingsAdmin(who: Actor): void {
  if (!isAdmin(who)) throw forbidden('只有系统管理员可以修改期限设置');
}

/** Sets the 临期 window (working days) and moves open records between 正常 and 临期 at once. */
export async function setNearDays(ctx: AppContext, who: Actor, nearDays: number): Promise<{ nearDays: number; recomputed: number }> {
  requireSettingsAdmin(who);
  if (!Number.isInteger(nearDays) || nearDays < 0 || nearDays > MAX_NEAR_DAYS) {
    throw new AppError('VALIDATION', `临期天数应为0至${MAX_NEAR_DAYS}之间的整数（工作日）`);
  }
  const defs = await definitions(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  const recomputed = await ctx.storage.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('settings').select('value').where('key', '=', NEAR_DAYS_KEY).executeTakeFirst();
    await writeSetting(trx, NEAR_DAYS_KEY, String(nearDays));
    const cal = await loadCalendar(trx);
    const n = await recomputeNearWindow(trx, ctx.storage.dialect, defs, today, cal.addWorkingDays(today, nearDays));
    await audit(trx, who, at, {
      action: 'settings_set',
      entity: 'settings',
      entityId: NEAR_DAYS_KEY,
      before: { nearDays: before ? Number(before.value) : DEFAULT_NEAR_DAYS },
      after: { nearDays },
      detail: `临期提醒天数设为${nearDays}个工作日，重新判定期限状态${n}件`,
    });
    return n;
  });
  return { nearDays, recomputed };
}

/**
 * Sets (or with null restores to the definition's) an org unit's period of a configurable rule,
 * e.g. 合法性审核 10 working days instead of 7, and recomputes that kind's open records there.
 */
export async function setRulePeriod(
  ctx: AppContext,
  who: Actor,
  input: { orgId?: number; kind: string; rule: string; period: Duration | null },
): Promise<{ orgId: number; kind: string; rule: string; period: Duration; overridden: boolean } & CalendarChangeResult> {
  requireSettingsAdmin(who);
  const def = await ctx.registry.get(input.kind);
  const rule = findRule(def, input.rule);
  if (!rule) throw new AppError('NOT_FOUND', `“${def.label}”没有名为“${input.rule}”的期限`);
  if (input.period !== null) {
    const errors = validatePeriodOverride(def, input.rule, input.period);
    if (errors.length) throw new AppError('VALIDATION', errors.join('；'));
  } else if (!rule.configurable) throw new AppError('VALIDATION', `“${rule.label}”是法定期限，不能修改`);
  const org = await orgById(ctx.storage.db, input.orgId ?? who.orgId);
  const defs = await definitions(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  const r = await ctx.storage.db.transaction().execute(async (trx) => {
    const all = await readPeriodOverrides(trx, org.id);
    const before = all[def.kind]?.[rule.key] ?? null;
    const forKind = { ...(all[def.kind] ?? {}) };
    if (input.period === null) delete forKind[rule.key];
    else forKind[rule.key] = { amount: input.period.amount, unit: input.period.unit };
    if (Object.keys(forKind).length) all[def.kind] = forKind;
    else delete all[def.kind];
    await writeSetting(trx, periodsKey(org.id), Object.keys(all).length ? JSON.stringify(all) : null);
    const res = await recomputeKindAtOrg(trx, ctx.storage.dialect, defs, def.kind, org.id, today);
    await audit(trx, who, at, {
      action: 'settings_set',
      entity: 'settings',
      entityId: `${periodsKey(org.id)}:${def.kind}.${rule.key}`,
      kind: def.kind,
      orgId: org.id,
      before,
      after: input.period,
      detail: `${org.name}${def.label}${rule.label}${input.period ? '设为' + periodText(input.period) : '恢复为默认' + periodText(rule.period)}，重新计算期限${res.updated}件`,
    });
    return res;
  });
  const period = input.period ?? rule.period;
  return {
    orgId: org.id,
    kind: def.kind,
    rule: rule.key,
    period,
    overridden: input.period !== null,
    recomputed: r.updated,
    recordIds: r.ids,
    missingYears: await missingCalendarYears(ctx),
  };
}

