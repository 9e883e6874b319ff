/**
 * Computing metrics from the records: the planner's handful of aggregate queries, the records
 * behind a figure, and the side-by-side comparison of the towns of a district.
 */
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';
import {
  addRaw,
  buildMetricCatalog,
  checkConsistency,
  evaluatePlan,
  followUpGroupBys,
  ledgerMap,
  metricSources,
  periodRange,
  planMetrics,
  recordScope,
  type CatalogProblem,
  type ConsistencyWarning,
  type DateRange,
  type Filter,
  type MetricCatalog,
  type MetricDef,
  type MetricPlan,
  type MetricSource,
  type MetricValue,
  type PeriodSpec,
  type RawResults,
} from '../core/metrics';
import type { Storage } from './connect';
import { loadMetricDefs } from './metrics-defs';
import { recordIds, runGroup, runGroupBy, runList, type SqlOrgScope } from './metrics-sql';
import { readSummaries, refreshSummaries, summariesEnabled, summaryFor, summarySpecs, type KindSpecs } from './metric-summaries';

export interface MetricContext {
  /** Ledger definitions in force (built-in and the town's own kinds); default the built-ins. */
  ledgers?: readonly LedgerDef[];
  /** The town's own metric definitions; when absent they are loaded from `metric_defs`. */
  defs?: readonly MetricDef[];
  /** Read whole-month aggregates from the metric summaries (default unless FAZHI_METRIC_SUMMARIES=off). */
  summaries?: boolean;
}

export interface ComputeMetricsOptions extends MetricContext {
  orgId: number;
  /** Count the org unit and every unit below it (a district's towns). */
  includeDescendants?: boolean;
  period: PeriodSpec;
  /** Default: every metric of the catalog. */
  keys?: readonly string[];
}

export interface ComputedMetrics {
  period: DateRange;
  values: Record<string, MetricValue>;
  sources: Record<string, MetricSource>;
  rateParts: Record<string, { numerator: number; denominator: number }>;
  /** Consistency warnings (Chinese) for the report. */
  warnings: ConsistencyWarning[];
  /** Custom metrics left out because they no longer fit the ledgers. */
  problems: CatalogProblem[];
}

interface Prepared {
  catalog: MetricCatalog;
  ledgers: ReturnType<typeof ledgerMap>;
  problems: CatalogProblem[];
  /** What the metric summaries keep for these ledgers; null reads every figure from the records. */
  summaries: Map<string, KindSpecs> | null;
}

async function prepare(storage: Storage, ctx: MetricContext, orgId: number | null): Promise<Prepared> {
  const ledgers = ctx.ledgers ?? BUILTIN_LEDGERS;
  const defs = ctx.defs ?? (await loadMetricDefs(storage, orgId)).defs;
  const { catalog, problems } = buildMetricCatalog(ledgers, defs);
  const summaries = (ctx.summaries ?? summariesEnabled()) ? summarySpecs(ledgers) : null;
  return { catalog, ledgers: ledgerMap(ledgers), problems, summaries };
}

/** The org units whose records an org scope counts (for the summaries, which are kept per org unit). */
async function scopeOrgIds(storage: Storage, org: SqlOrgScope): Promise<number[]> {
  if (org.type === 'orgs') return [...org.orgIds];
  if (!org.includeDescendants) return [org.orgId];
  const self = await storage.db.selectFrom('org_units').select('path').where('id', '=', org.orgId).executeTakeFirst();
  if (!self) return [];
  return (await storage.db.selectFrom('org_units').select('id').where('path', 'like', `${self.path}%`).execute()).map((o) => o.id);
}

/** A query group's rows from the summaries: per org unit for an `orgs` scope, else one row summed. */
async function groupFromSummaries(
  storage: Storage,
  g: MetricPlan['groups'][number],
  answer: NonNullable<ReturnType<typeof summaryFor>>,
  org: SqlOrgScope,
  orgIds: number[],
): Promise<Map<number, Record<string, number | null>>> {
  const perOrg = await readSummaries(storage, g, answer, orgIds);
  if (org.type === 'orgs') return perOrg;
  // One row, as the aggregate without GROUP BY gives: null where no org unit has a value.
  const row: Record<string, number | null> = Object.fromEntries(g.aggs.map((a) => [a.alias, null]));
  for (const vals of perOrg.values()) for (const a of g.aggs) if (vals[a.alias] != null) row[a.alias] = (row[a.alias] ?? 0) + vals[a.alias]!;
  return new Map([[0, row]]);
}

function requestedKeys(keys: readonly string[] | undefined, catalog: MetricCatalog): string[] {
  if (!keys) return [...catalog.keys()];
  const unknown = keys.filter((k) => !catalog.has(k));
  if (unknown.length) throw new MetricError(`指标不存在：${unknown.join('、')}`);
  return [...keys];
}

/** A request the caller can fix (unknown metric, bad period): a 400, not a 500. */
export class MetricError extends Error {
  override name = 'MetricError';
}

function safeRange(period: PeriodSpec): DateRange {
  try {
    return periodRange(period);
  } catch (e) {
    throw new MetricError((e as Error).message);
  }
}

/**
 * Runs a plan: all aggregate and list queries concurrently, then group-bys for unexpected values.
 * Aggregate groups over whole months whose aggregates the summaries keep are read from the buckets
 * (after rebuilding the stale ones among the scope's org units); lists and group-bys read the records.
 */
async function runPlan(storage: Storage, plan: MetricPlan, org: SqlOrgScope, summaries: Map<string, KindSpecs> | null): Promise<Map<number, RawResults>> {
  const answers = new Map(plan.groups.map((g) => [g.id, summaries ? summaryFor(summaries, g) : null] as const));
  const summed = plan.groups.filter((g) => answers.get(g.id));
  const orgIds = summed.length ? await scopeOrgIds(storage, org) : [];
  if (summed.length) await refreshSummaries(storage, summaries!, orgIds, [...new Set(summed.map((g) => g.ledger.kind))]);
  const out = new Map<number, RawResults>();
  const slot = (town: number): RawResults => {
    let r = out.get(town);
    if (!r) {
      r = { aggs: new Map(), lists: new Map(), groupBys: new Map() };
      out.set(town, r);
    }
    return r;
  };
  const groupBy = async (gbs: MetricPlan['groupBys']): Promise<void> => {
    await Promise.all(
      gbs.map(async (gb) => {
        for (const [town, counts] of await runGroupBy(storage, gb, org)) slot(town).groupBys.set(gb.id, counts);
      }),
    );
  };
  await Promise.all([
    ...plan.groups.map(async (g) => {
      const answer = answers.get(g.id);
      const rows = answer ? await groupFromSummaries(storage, g, answer, org, orgIds) : await runGroup(storage, g, org);
      for (const [town, row] of rows) slot(town).aggs.set(g.id, row);
    }),
    ...plan.lists.map(async (l) => {
      for (const [town, list] of await runList(storage, l, org)) slot(town).lists.set(l.id, list);
    }),
    groupBy(plan.groupBys),
  ]);
  const followUps = new Map<string, MetricPlan['groupBys'][number]>();
  for (const raw of out.values()) for (const gb of followUpGroupBys(plan, raw)) followUps.set(gb.id, gb);
  if (followUps.size) await groupBy([...followUps.values()]);
  return out;
}

/**
 * The figures of an org unit for a period, each with the filter that produced it. All requested
 * metrics come from one aggregate query per (kind, date field, period) plus one per list metric.
 */
export async function computeMetrics(storage: Storage, opts: ComputeMetricsOptions): Promise<ComputedMetrics> {
  const range = safeRange(opts.period);
  const prep = await prepare(storage, opts, opts.orgId);
  const keys = requestedKeys(opts.keys, prep.catalog);
  const plan = planMetrics(keys, prep.catalog, prep.ledgers, range);
  const includeDescendants = opts.includeDescendants ?? false;
  const raw = (await runPlan(storage, plan, { type: 'org', orgId: opts.orgId, includeDescendants }, prep.summaries)).get(0) ?? addRaw([]);
  const ev = evaluatePlan(plan, raw);
  return {
    period: range,
    values: ev.values,
    sources: metricSources(plan, prep.catalog, range, { orgId: opts.orgId, includeDescendants }),
    rateParts: ev.rateParts,
    warnings: checkConsistency({ values: ev.values, rateParts: ev.rateParts, missing: ev.missing, catalog: prep.catalog, ledgers: prep.ledgers }),
    problems: prep.problems,
  };
}

export interface MetricRecordsOptions extends MetricContext {
  orgId: number;
  includeDescendants?: boolean;
  period: PeriodSpec;
  /** For `by` metrics: only the records with this value (是/否 for bools). */
  value?: string;
  /**
   * Which records of a rate or year-on-year figure: the rate's numerator (default) or denominator,
   * the current period (default) or the same period a year before.
   */
  part?: 'numerator' | 'denominator' | 'previous';
}

export interface MetricRecords {
  /** Record ids in date order; for a composite, grouped by the part they come from. */
  ids: number[];
  total: number;
  /** For a composite or yoy: the kinds the records come from. */
  kinds: string[];
}

/**
 * The records a figure counts (paginated): the matching records of a count, sum, list or `by`
 * metric, a rate's numerator, the current-period records of a yoy, every part of a composite.
 */
export async function metricRecords(
  storage: Storage,
  key: string,
  opts: MetricRecordsOptions,
  page: { page?: number; pageSize?: number } = {},
): Promise<MetricRecords> {
  const range = safeRange(opts.period);
  const prep = await prepare(storage, opts, opts.orgId);
  if (!prep.catalog.has(key)) throw new MetricError(`指标不存在：${key}`);
  const pageSize = Math.min(Math.max(Math.trunc(page.pageSize ?? 20), 1), 500);
  const pageNo = Math.max(Math.trunc(page.page ?? 1), 1);
  const org = { type: 'org' as const, orgId: opts.orgId, includeDescendants: opts.includeDescendants ?? false };

  // Leaf metrics (kind + filters) behind the figure, in order.
  const leaves: { def: Exclude<MetricDef, { type: 'yoy' | 'composite' }>; filters: Filter[] }[] = [];
  let shift = 0;
  const collect = (k: string, seen: Set<string>): void => {
    const def = prep.catalog.get(k);
    if (!def || seen.has(k)) return;
    seen.add(k);
    if (def.type === 'yoy') {
      if (opts.part === 'previous') shift = -1;
      return collect(def.of, seen);
    }
    if (def.type === 'composite') return def.of.forEach((p) => collect(p, seen));
    const base = def.filters ?? [];
    if (def.type === 'sum') leaves.push({ def, filters: [...base, { field: def.field, present: true }] });
    else if (def.type === 'rate') leaves.push({ def, filters: [...base, ...(opts.part === 'denominator' ? def.denominator : def.numerator)] });
    else if (def.type === 'by' && opts.value !== undefined) {
      const ledger = prep.ledgers.get(def.kind);
      const isBool = ledger?.fields.find((f) => f.key === def.field)?.type === 'bool';
      const v: string | boolean = isBool ? opts.value === '是' : opts.value;
      leaves.push({ def, filters: [...base, { field: def.field, eq: v }] });
    } else if (def.type === 'by' || def.type === 'list') {
      const field = def.type === 'by' ? def.field : (def.field ?? prep.ledgers.get(def.kind)?.titleField);
      leaves.push({ def, filters: field ? [...base, { field, present: true }] : base });
    } else leaves.push({ def, filters: base });
  };
  collect(key, new Set());

  // Page through the leaves one after another (a composite's parts may be of different kinds).
  let skip = (pageNo - 1) * pageSize;
  let want = pageSize;
  const ids: number[] = [];
  let total = 0;
  for (const { def, filters } of leaves) {
    const ledger = prep.ledgers.get(def.kind);
    if (!ledger) continue;
    const scope = recordScope(def, ledger, range, shift);
    const r = await recordIds(storage, scope, org, [filters], { limit: want, offset: skip });
    total += r.total;
    ids.push(...r.ids);
    skip = Math.max(0, skip - r.total);
    want = pageSize - ids.length;
    if (want <= 0) want = 0;
  }
  return { ids: [...new Set(ids)], total, kinds: [...new Set(leaves.map((l) => l.def.kind))] };
}

export interface TownColumn {
  orgId: number;
  code: string;
  name: string;
  values: Record<string, MetricValue>;
  /** Rank among the towns per numeric metric: 1 = highest; ties share a rank; null without a figure. */
  ranks: Record<string, number | null>;
}

export interface TownComparison {
  districtId: number;
  period: DateRange;
  keys: string[];
  labels: Record<string, { label: string; unit: string }>;
  towns: TownColumn[];
  /** The towns together (rates and yoy recomputed from summed counts, not averaged). */
  totals: Record<string, MetricValue>;
}

/** The metrics of every town under a district side by side, with totals and ranks. */
export async function compareTowns(
  storage: Storage,
  districtId: number,
  period: PeriodSpec,
  keys?: readonly string[],
  ctx: MetricContext = {},
): Promise<TownComparison> {
  const range = safeRange(period);
  const [prep, towns] = await Promise.all([
    prepare(storage, ctx, districtId),
    storage.db.selectFrom('org_units').select(['id', 'code', 'name', 'path']).where('parent_id', '=', districtId).orderBy('code').execute(),
  ]);
  // Every org unit under each town (a town's villages count for the town).
  const below = towns.length
    ? await storage.db
        .selectFrom('org_units')
        .select(['id', 'path'])
        .where((eb) => eb.or(towns.map((t) => eb('path', 'like', `${t.path}%`))))
        .execute()
    : [];
  const townOf = new Map<number, number>();
  for (const o of below) {
    const t = towns.find((x) => o.path.startsWith(x.path));
    if (t) townOf.set(o.id, t.id);
  }
  const ks = requestedKeys(keys, prep.catalog);
  const plan = planMetrics(ks, prep.catalog, prep.ledgers, range);
  const byOrg = await runPlan(storage, plan, { type: 'orgs', orgIds: [...townOf.keys()] }, prep.summaries);
  const perTown = new Map<number, RawResults[]>();
  for (const [orgId, r] of byOrg) {
    const t = townOf.get(orgId);
    if (t !== undefined) perTown.set(t, [...(perTown.get(t) ?? []), r]);
  }
  const raw = new Map([...perTown].map(([t, rs]) => [t, addRaw(rs)]));
  const empty = addRaw([]);
  const columns: TownColumn[] = towns.map((t) => ({
    orgId: t.id,
    code: t.code,
    name: t.name,
    values: evaluatePlan(plan, raw.get(t.id) ?? empty).values,
    ranks: {},
  }));
  for (const k of ks) {
    const nums = columns.map((c) => c.values[k]).filter((v): v is number => typeof v === 'number');
    for (const c of columns) {
      const v = c.values[k];
      c.ranks[k] = typeof v === 'number' ? 1 + nums.filter((x) => x > v).length : null;
    }
  }
  const totals = evaluatePlan(plan, addRaw(towns.map((t) => raw.get(t.id) ?? empty))).values;
  const labels: TownComparison['labels'] = {};
  for (const k of ks) {
    const def = prep.catalog.get(k);
    if (def) labels[k] = { label: def.label, unit: def.unit };
  }
  return { districtId, period: range, keys: ks, labels, towns: columns, totals };
}
