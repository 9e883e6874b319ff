/**
 * Metrics for the API and the CLI: the figures of an org unit and year with the filter behind each,
 * the records a figure counts (as record views, PII masked per role), and a town's own metric
 * definitions. Thin over the metric engine in src/db/metrics-query.ts.
 *
 * Who may see figures: the roles that read reports (admin, 法治办, leaders, supervisors) within their
 * org unit. Figures add up every department's records, so a clerk (one department) and an adviser
 * (only the reviews naming them) are refused here; the dashboard gives clerks their own department.
 */
import type { AppContext } from './context';
import { audit } from './audit';
import { orgById } from './orgs';
import { toRecView, type RecRow, type RecView, type RecordPage } from './record-view';
import { canReadReports, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import type { DateRange, MetricSource, MetricValue, PeriodSpec } from '../core/metrics';
import { buildMetricCatalog, describeRange, periodRange } from '../core/metrics';
import { computeMetrics, MetricError, metricRecords, type ComputedMetrics } from '../db/metrics-query';
import { loadMetricDefs, saveMetricDef } from '../db/metrics-defs';
import { recordRows } from '../db/records-repo';

export interface OrgRow {
  id: number;
  code: string;
  name: string;
  level: string;
  parent_id: number | null;
  path: string;
}

/** The org unit asked for (default the actor's own), refused when outside the actor's report scope. */
export async function readableOrg(ctx: AppContext, who: Actor, orgId: number | undefined, what = '统计数据'): Promise<OrgRow> {
  const org = await orgById(ctx.storage.db, orgId ?? who.orgId);
  if (!canReadReports(who, org.path)) {
    if (who.role === 'clerk' || who.role === 'adviser') throw forbidden(`无权查看全${org.level}${what}（仅法治办、领导和督察人员可以查看）`);
    throw forbidden(`无权查看“${org.name}”的${what}（不在您的数据范围内）`);
  }
  return org;
}

/** Metric engine errors the caller can fix (unknown key, bad period) become 400s. */
export async function metricCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MetricError) throw new AppError('BAD_REQUEST', e.message);
    throw e;
  }
}

export interface MetricDefInfo {
  label: string;
  unit: string;
  kind?: string;
  type: string;
}

/** A period as the API and CLI take it: a year, or a quarter or month of it, or a date range. */
export interface PeriodQuery {
  year: number;
  quarter?: number;
  month?: number;
  from?: string;
  to?: string;
}

/** The period a query names; one of quarter, month or from/to at most (400 otherwise). */
export function periodOf(q: PeriodQuery): PeriodSpec {
  const range = q.from !== undefined || q.to !== undefined;
  if ([q.quarter !== undefined, q.month !== undefined, range].filter(Boolean).length > 1)
    throw new AppError('BAD_REQUEST', '期间只能指定一种：季度（quarter）、月份（month）或日期范围（from、to）');
  let p: PeriodSpec = { year: q.year };
  if (q.quarter !== undefined) {
    if (![1, 2, 3, 4].includes(q.quarter)) throw new AppError('BAD_REQUEST', `季度无效：${q.quarter}（应为1至4）`);
    p = { year: q.year, quarter: q.quarter as 1 | 2 | 3 | 4 };
  } else if (q.month !== undefined) p = { year: q.year, month: q.month };
  else if (range) {
    if (q.from === undefined || q.to === undefined) throw new AppError('BAD_REQUEST', '日期范围需同时指定起始日期（from）和结束日期（to）');
    p = { from: q.from, to: q.to };
  }
  try {
    periodRange(p);
  } catch (e) {
    throw new AppError('BAD_REQUEST', (e as Error).message);
  }
  return p;
}

export interface MetricsView {
  orgId: number;
  orgName: string;
  /** The year asked for (for a date range, the year it starts in). */
  year: number;
  /** The calendar dates counted, and their Chinese name (2023年第一季度, 2023年3月, …). */
  period: DateRange;
  periodLabel: string;
  values: Record<string, MetricValue>;
  defs: Record<string, MetricDefInfo>;
  /** For each figure, the filter that produced it (with a Chinese explanation). */
  sources: Record<string, MetricSource>;
  warnings: { metricKey: string; message: string }[];
  /** Custom metrics left out because they no longer fit the ledgers. */
  problems: { key: string; message: string }[];
}

/** The figures of an org unit and everything below it, for a year (or any period). */
export async function computeOrgMetrics(ctx: AppContext, orgId: number, period: number | PeriodSpec, keys?: readonly string[]): Promise<ComputedMetrics> {
  const ledgers = await ctx.registry.all();
  const p = typeof period === 'number' ? { year: period } : period;
  return metricCall(() => computeMetrics(ctx.storage, { orgId, includeDescendants: true, period: p, ledgers, ...(keys ? { keys } : {}) }));
}

export async function getMetrics(ctx: AppContext, who: Actor, q: PeriodQuery & { orgId?: number; keys?: string[] }): Promise<MetricsView> {
  const period = periodOf(q);
  const org = await readableOrg(ctx, who, q.orgId);
  const m = await computeOrgMetrics(ctx, org.id, period, q.keys);
  const defs: Record<string, MetricDefInfo> = {};
  for (const [key, s] of Object.entries(m.sources)) defs[key] = { label: s.label, unit: s.unit, type: s.type, ...(s.kind ? { kind: s.kind } : {}) };
  return {
    orgId: org.id,
    orgName: org.name,
    year: Number(m.period.from.slice(0, 4)),
    period: m.period,
    periodLabel: describeRange(m.period),
    values: m.values,
    defs,
    sources: m.sources,
    warnings: m.warnings,
    problems: m.problems,
  };
}

/** `key[entry]` (a value of a `by_` metric, as report figures name it) → key and entry. */
export function splitFigureKey(raw: string): { key: string; entry?: string } {
  const m = /^(.+)\[(.+)\]$/.exec(raw);
  return m ? { key: m[1]!, entry: m[2]! } : { key: raw };
}

/** Record views for ids, in the order given; rows deleted since (or of unknown kinds) are skipped. */
export async function recordViews(ctx: AppContext, who: Actor, ids: readonly number[]): Promise<RecView[]> {
  if (ids.length === 0) return [];
  const rows = (await recordRows(ctx.storage.db, ctx.storage.dialect).where('records.id', 'in', [...ids]).execute()) as RecRow[];
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const out: RecView[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    const def = await ctx.registry.get(r.kind).catch(() => null);
    if (def) out.push(toRecView(def, r, who));
  }
  return out;
}

export type { RecordPage };

/** The records a figure counts (paginated); `value` narrows a `by_` metric to one of its values. */
export async function figureRecords(
  ctx: AppContext,
  who: Actor,
  rawKey: string,
  q: PeriodQuery & { orgId?: number; page: number; pageSize: number; value?: string; part?: 'numerator' | 'denominator' | 'previous' },
): Promise<RecordPage> {
  const period = periodOf(q);
  const org = await readableOrg(ctx, who, q.orgId);
  const { key, entry } = splitFigureKey(rawKey);
  const value = q.value ?? entry;
  const ledgers = await ctx.registry.all();
  const r = await metricCall(() =>
    metricRecords(
      ctx.storage,
      key,
      { orgId: org.id, includeDescendants: true, period, ledgers, ...(value !== undefined ? { value } : {}), ...(q.part ? { part: q.part } : {}) },
      { page: q.page, pageSize: q.pageSize },
    ),
  );
  return { items: await recordViews(ctx, who, r.ids), total: r.total, page: q.page, pageSize: q.pageSize };
}

/**
 * Every record id behind a figure (for a 定稿 snapshot): the engine pages at most 500 ids at a time,
 * so this walks the pages.
 */
export async function allFigureRecordIds(ctx: AppContext, orgId: number, year: number, rawKey: string): Promise<number[]> {
  const { key, entry } = splitFigureKey(rawKey);
  const ledgers = await ctx.registry.all();
  const ids: number[] = [];
  const pageSize = 500;
  for (let page = 1; ; page++) {
    const r = await metricCall(() =>
      metricRecords(ctx.storage, key, { orgId, includeDescendants: true, period: { year }, ledgers, ...(entry !== undefined ? { value: entry } : {}) }, { page, pageSize }),
    );
    ids.push(...r.ids);
    if (r.ids.length === 0 || page * pageSize >= r.total) break;
  }
  return [...new Set(ids)];
}

/** A town's own metric definitions (admin; the 法治办 sees those that apply to its org unit). */
export async function listMetricDefs(ctx: AppContext, who: Actor): Promise<{ items: Record<string, unknown>[]; problems: { key: string; message: string }[] }> {
  if (who.role !== 'admin' && who.role !== 'office') throw forbidden('只有系统管理员和法治办可以查看自定义指标');
  const rows = await ctx.storage.db.selectFrom('metric_defs').select(['key', 'org_id', 'definition', 'created_at']).orderBy('key').execute();
  const { defs, problems } = await loadMetricDefs(ctx.storage, who.role === 'admin' ? null : who.orgId);
  const visible = who.role === 'admin' ? rows : rows.filter((r) => defs.some((d) => d.key === r.key));
  // Definitions that no longer fit the ledgers (a field was removed) are listed with the reason.
  const { problems: stale } = buildMetricCatalog(await ctx.registry.all(), defs);
  return {
    items: visible.map((r) => ({ ...(JSON.parse(r.definition) as Record<string, unknown>), orgId: r.org_id, createdAt: r.created_at })),
    problems: [...problems, ...stale],
  };
}

/** Defines (or replaces) a metric; `orgId` null = for every org unit. Admin only. */
export async function defineMetric(ctx: AppContext, who: Actor, input: unknown, orgId: number | null = null): Promise<Record<string, unknown>> {
  if (who.role !== 'admin') throw forbidden('只有系统管理员可以定义指标');
  if (orgId !== null) await orgById(ctx.storage.db, orgId);
  const now = ctx.now();
  const r = await saveMetricDef(ctx.storage, input, { orgId, userId: who.userId || null, ledgers: await ctx.registry.all(), now });
  if (!r.ok) {
    // One problem reads fully in the message; several are listed one per field entry as well.
    const fields = r.errors.length > 1 ? r.errors.map((message) => ({ field: message.split('：')[0] ?? '', label: '指标定义', message })) : undefined;
    throw new AppError('VALIDATION', `指标定义有误：${r.errors.join('；')}`, fields ? { fields } : {});
  }
  await audit(ctx.storage.db, who, now.toISOString(), { action: 'define', entity: 'metric_def', entityId: r.def.key, orgId, after: r.def });
  return { ...r.def, orgId };
}
