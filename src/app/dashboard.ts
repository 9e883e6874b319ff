/**
 * The web home's figures, from a few aggregate queries (never by loading records):
 * records per kind and month, per department, on-time rates of kinds with a deadline, headline
 * figures with their change against last year, and a warning when the holiday calendar lacks a year.
 *
 * Scope: the 法治办, leaders, supervisors and admins see their org unit (and everything below it)
 * with the report's headline figures; a clerk sees only their own department's records, counted per
 * ledger (org-wide figures would show other departments' work); advisers have no dashboard figures.
 */
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from './context';
import { loadCalendar } from './calendar';
import { orgById } from './orgs';
import { computeOrgMetrics } from './metrics-service';
import { canReadReports, type Actor } from '../core/access/policy';
import { forbidden } from '../core/errors';
import { buildMetricCatalog, type MetricValue } from '../core/metrics';
import { shiftDate } from '../core/metrics/period';
import { todayShanghai } from '../core/time';

export interface DashboardFigure {
  key: string;
  label: string;
  value: number | null;
  yoy: number | null;
  unit: string;
  /** Whether a rise is good news (more trainings) or bad (more disputes), for the colour of 同比. */
  better: 'up' | 'down';
}

/** Figures of which fewer is better: disputes and petitions arising (the report's 矛盾纠纷、信访 下降). */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['dispute.count', 'petition.count']);

export interface Dashboard {
  orgId: number;
  year: number;
  /** `org`: the org unit's figures; `dept`: a clerk's own department. */
  scope: 'org' | 'dept';
  figures: DashboardFigure[];
  byMonth: Record<string, number[]>;
  byDept: { dept: string; count: number }[];
  onTime: { kind: string; label: string; rate: number | null; onTime: number; late: number }[];
  calendarWarning?: string;
  /**
   * What 同比 compares, in words: the current year up to today against the same days of last
   * year (截至12月1日，与去年同期相比), or a past year against the whole year before.
   */
  yoyPeriod: { label: string; from: string; to: string; previousFrom: string; previousTo: string };
}

/** Headline figures of the home page (those of the report a leader asks about first). */
export const HEADLINE_KEYS: readonly string[] = [
  'publicity_activity.count',
  'legal_consultation.persons',
  'beneficiaries',
  'enforcement_case.major_reviewed',
  'training.enforcement_attendees',
  'legality_review.count',
  'dispute.count',
  'petition.count',
];

function yoy(cur: number | null, last: number | null): number | null {
  return cur !== null && last !== null && last !== 0 ? (cur - last) / last : null;
}

const asNumber = (v: MetricValue | undefined): number | null => (typeof v === 'number' ? v : null);

export async function dashboard(ctx: AppContext, who: Actor, q: { orgId?: number; year: number }): Promise<Dashboard> {
  const db = ctx.storage.db;
  const org = await orgById(db, q.orgId ?? who.orgId);
  let deptId: number | null = null;
  if (who.role === 'clerk') {
    if (who.deptId === null || org.id !== who.orgId) throw forbidden('填报员只能查看本部门的统计');
    deptId = who.deptId;
  } else if (!canReadReports(who, org.path)) {
    throw forbidden(who.role === 'adviser' ? '法律顾问没有统计首页，请在“合法性审核”台账中查看经办事项' : `无权查看“${org.name}”的统计（不在您的数据范围内）`);
  }
  const { year } = q;
  // This year so far against the same days of last year; a past year against the whole year before.
  const today = todayShanghai(ctx.now());
  const running = Number(today.slice(0, 4)) === year;
  const curTo = running ? today : `${year}-12-31`;
  const lastTo = running ? shiftDate(today, -1) : `${year - 1}-12-31`;
  const yoyPeriod = {
    label: running ? `截至${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日，与去年同期相比` : `${year}年全年，与${year - 1}年全年相比`,
    from: `${year}-01-01`,
    to: curTo,
    previousFrom: `${year - 1}-01-01`,
    previousTo: lastTo,
  };
  const scope = (alias: string): RawBuilder<unknown> =>
    sql`o.path like ${`${org.path}%`} and ${sql.ref(`${alias}.deleted_at`)} is null${deptId !== null ? sql` and ${sql.ref(`${alias}.dept_id`)} = ${deptId}` : sql``}`;
  const inYears = (from: number, to: number) => sql`r.occurred_on >= ${`${from}-01-01`} and r.occurred_on <= ${`${to}-12-31`}`;

  const [months, depts, states, ledgers] = await Promise.all([
    sql<{ kind: string; ym: string; n: number | string }>`
      select r.kind as kind, substr(r.occurred_on, 1, 7) as ym, count(*) as n
      from records r join org_units o on o.id = r.org_id
      where ${scope('r')} and (${inYears(year, year)} or (r.occurred_on >= ${yoyPeriod.previousFrom} and r.occurred_on <= ${lastTo}))
      group by r.kind, substr(r.occurred_on, 1, 7)`.execute(db),
    sql<{ org: string; dept: string; n: number | string }>`
      select o.name as org, d.name as dept, count(*) as n
      from records r join org_units o on o.id = r.org_id join departments d on d.id = r.dept_id
      where ${scope('r')} and ${inYears(year, year)}
      group by o.name, d.id, d.name`.execute(db),
    sql<{ kind: string; state: string; n: number | string }>`
      select r.kind as kind, r.deadline_state as state, count(*) as n
      from records r join org_units o on o.id = r.org_id
      where ${scope('r')} and ${inYears(year, year)} and r.deadline_state in ('按期办结', '逾期办结')
      group by r.kind, r.deadline_state`.execute(db),
    ctx.registry.all(),
  ]);

  const byMonth: Record<string, number[]> = {};
  const perKind = new Map<string, { cur: number; last: number }>();
  for (const r of months.rows) {
    const n = Number(r.n);
    const y = Number(r.ym.slice(0, 4));
    const k = perKind.get(r.kind) ?? { cur: 0, last: 0 };
    if (y === year) {
      k.cur += n;
      const arr = (byMonth[r.kind] ??= new Array<number>(12).fill(0));
      arr[Number(r.ym.slice(5, 7)) - 1]! += n;
    } else k.last += n;
    perKind.set(r.kind, k);
  }

  const orgsSeen = new Set(depts.rows.map((r) => r.org));
  const byDept = depts.rows
    .map((r) => ({ dept: orgsSeen.size > 1 ? `${r.org}${r.dept}` : r.dept, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.dept.localeCompare(b.dept, 'zh'));

  const onTime: Dashboard['onTime'] = [];
  for (const l of ledgers) {
    if (!l.deadlines?.length) continue;
    const count = (s: string) => Number(states.rows.find((r) => r.kind === l.kind && r.state === s)?.n ?? 0);
    const on = count('按期办结');
    const late = count('逾期办结');
    onTime.push({ kind: l.kind, label: l.label, rate: on + late === 0 ? null : on / (on + late), onTime: on, late });
  }

  let figures: DashboardFigure[];
  if (deptId === null) {
    const { catalog } = buildMetricCatalog(ledgers);
    const keys = HEADLINE_KEYS.filter((k) => catalog.has(k));
    const [cur, last] = await Promise.all([
      computeOrgMetrics(ctx, org.id, year, keys),
      computeOrgMetrics(ctx, org.id, { from: yoyPeriod.previousFrom, to: lastTo }, keys),
    ]);
    // The figure is the year's (as the report gives it); 同比 compares the same days of both years.
    const curSoFar = running ? await computeOrgMetrics(ctx, org.id, { from: yoyPeriod.from, to: curTo }, keys) : cur;
    figures = keys.map((k) => {
      const def = catalog.get(k)!;
      const v = asNumber(cur.values[k]);
      return { key: k, label: def.label, value: v, yoy: yoy(asNumber(curSoFar.values[k]), asNumber(last.values[k])), unit: def.unit, better: LOWER_IS_BETTER.has(k) ? 'down' : 'up' };
    });
  } else {
    const { catalog } = buildMetricCatalog(ledgers);
    figures = ledgers
      .filter((l) => perKind.has(l.kind))
      .map((l) => {
        const k = perKind.get(l.kind)!;
        const key = `${l.kind}.count`;
        return { key, label: l.label, value: k.cur, yoy: yoy(k.cur, k.last), unit: catalog.get(key)?.unit ?? '件', better: LOWER_IS_BETTER.has(key) ? 'down' : 'up' };
      });
  }

  const out: Dashboard = { orgId: org.id, year, scope: deptId === null ? 'org' : 'dept', figures, byMonth, byDept, onTime, yoyPeriod };
  const warning = await calendarWarning(ctx);
  if (warning) out.calendarWarning = warning;
  return out;
}

/** The current year (and from November the next, whose schedule is then published) must have holiday data. */
async function calendarWarning(ctx: AppContext): Promise<string | undefined> {
  const today = todayShanghai(ctx.now());
  const y = Number(today.slice(0, 4));
  const cal = await loadCalendar(ctx.storage.db);
  const missing = cal.missingYears(y, Number(today.slice(5, 7)) >= 11 ? y + 1 : y);
  if (!missing.length) return undefined;
  return `${missing.join('、')}年的法定节假日安排尚未导入，相关期限暂按周六、周日休息推算（标为“暂定”）。请系统管理员在“工作日历”中更新。`;
}
