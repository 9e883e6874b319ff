/**
 * Metric summaries: per org unit, kind, date field and month, the aggregates (conditional counts and
 * sums) that the built-in and generic metrics need, so that roll-ups over many towns read a few
 * thousand small rows instead of every record.
 *
 * - What is kept (`SummarySpec`) derives from the metric catalog of the ledgers in force: every
 *   aggregate the planner would put in a query group, per (kind, date field). A town's own metric
 *   definitions may need aggregates that are not kept; their groups are read from the records.
 * - Freshness: triggers on `records` (migration 0090) mark an (org unit, kind) dirty in the very
 *   transaction that changes its records, whatever the path. Before a read, the dirty or never-built
 *   pairs among those asked for are rebuilt, each from one grouped scan of that pair's records with the
 *   planner's own SQL (`runGroupByMonth`), so a figure from the summaries equals the figure from the
 *   records (test/api/metric-summaries.test.ts compares every built-in metric on random data).
 * - Only whole months can be summed from monthly buckets; any other range reads the records.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { LedgerDef } from '../core/ledgers/types';
import { buildMetricCatalog, ledgerMap, planMetrics, type DateRange } from '../core/metrics';
import type { AggSpec, DateColumn, QueryGroup } from '../core/metrics/plan';
import type { Storage } from './connect';
import { runGroupByMonth } from './metrics-sql';

type AggValues = Record<string, number | null>;

/** The aggregates kept for one (kind, date field). */
export interface SummarySpec {
  kind: string;
  /** `dateField|dateColumn`. */
  key: string;
  ledger: LedgerDef;
  dateField: string;
  dateColumn: DateColumn;
  /** Signature of each kept aggregate → its position in a bucket's `vals`. */
  index: Map<string, number>;
  aggs: AggSpec[];
}

export interface KindSpecs {
  specs: Map<string, SummarySpec>;
  /** Changes when what is kept for the kind changes (definitions, fields, code). */
  hash: string;
}

/** The planner's signature of an aggregate (plan.ts shares identical aggregates by the same key). */
export function aggSignature(a: Pick<AggSpec, 'op' | 'field' | 'filters'>): string {
  return JSON.stringify([a.op, a.field ?? null, a.filters]);
}

const cache = new Map<string, Map<string, KindSpecs>>();

/** What is kept per kind for these ledgers (cached per set of definitions). */
export function summarySpecs(ledgers: readonly LedgerDef[]): Map<string, KindSpecs> {
  const cacheKey = ledgers.map((l) => `${l.kind}@${l.version}`).join(',');
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const { catalog } = buildMetricCatalog(ledgers);
  // Any whole year: the groups, not their ranges, are what is kept.
  const plan = planMetrics([...catalog.keys()], catalog, ledgerMap(ledgers), { from: '2000-01-01', to: '2000-12-31' });
  const byKind = new Map<string, Map<string, SummarySpec>>();
  for (const g of plan.groups) {
    const key = `${g.dateField}|${g.dateColumn}`;
    const specs = byKind.get(g.ledger.kind) ?? new Map<string, SummarySpec>();
    byKind.set(g.ledger.kind, specs);
    let spec = specs.get(key);
    if (!spec) {
      spec = { kind: g.ledger.kind, key, ledger: g.ledger, dateField: g.dateField, dateColumn: g.dateColumn, index: new Map(), aggs: [] };
      specs.set(key, spec);
    }
    for (const a of g.aggs) {
      const sig = aggSignature(a);
      if (spec.index.has(sig)) continue;
      spec.index.set(sig, spec.aggs.length);
      spec.aggs.push({ ...a, alias: `s${spec.aggs.length}` });
    }
  }
  const out = new Map<string, KindSpecs>();
  for (const [kind, specs] of byKind) {
    const ledger = ledgers.find((l) => l.kind === kind)!;
    const content = JSON.stringify({
      fields: ledger.fields.map((f) => [f.key, f.type]),
      specs: [...specs.values()].map((s) => [s.key, [...s.index.keys()]]),
    });
    out.set(kind, { specs, hash: crypto.createHash('sha256').update(content).digest('hex').slice(0, 32) });
  }
  cache.set(cacheKey, out);
  return out;
}

/** A range the monthly buckets can answer: from the first of a month to the last day of a month. */
export function monthRange(range: DateRange): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})-01$/.exec(range.from);
  const n = /^(\d{4})-(\d{2})-(\d{2})$/.exec(range.to);
  if (!m || !n) return null;
  const lastDay = new Date(Date.UTC(Number(n[1]), Number(n[2]), 0)).getUTCDate();
  if (Number(n[3]) !== lastDay) return null;
  return { from: range.from.slice(0, 7), to: range.to.slice(0, 7) };
}

/** The spec and value positions that answer a query group from the buckets, or null (read the records). */
export function summaryFor(specs: Map<string, KindSpecs>, g: QueryGroup): { spec: SummarySpec; positions: number[]; months: { from: string; to: string } } | null {
  const months = monthRange(g.range);
  if (!months) return null;
  const spec = specs.get(g.ledger.kind)?.specs.get(`${g.dateField}|${g.dateColumn}`);
  if (!spec) return null;
  const positions: number[] = [];
  for (const a of g.aggs) {
    const p = spec.index.get(aggSignature(a));
    if (p === undefined) return null;
    positions.push(p);
  }
  return { spec, positions, months };
}

/**
 * Rebuilds the buckets of one (org unit, kind) from its records. The first statement writes, so on
 * SQLite the transaction holds the write lock before it reads the marks and the records (no mark can
 * be skipped by a concurrent writer); on PostgreSQL an advisory lock keeps two instances from
 * rebuilding the same pair at once, and only the marks read here are consumed.
 */
async function rebuild(storage: Storage, orgId: number, kind: string, ks: KindSpecs, now: string): Promise<void> {
  await storage.db.transaction().execute(async (trx) => {
    if (storage.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${727090}, hashtext(${`${orgId}:${kind}`}))`.execute(trx);
    await trx.deleteFrom('metric_buckets').where('kind', '=', kind).where('org_id', '=', orgId).execute();
    const marks = await trx.selectFrom('metric_dirty').select('id').where('kind', '=', kind).where('org_id', '=', orgId).execute();
    const tx: Storage = { ...storage, db: trx };
    const rows: { org_id: number; kind: string; spec_key: string; month: string; vals: string }[] = [];
    for (const spec of ks.specs.values()) {
      const g: QueryGroup = {
        id: spec.key,
        ledger: spec.ledger,
        dateField: spec.dateField,
        dateColumn: spec.dateColumn,
        range: { from: '0000-01-01', to: '9999-12-31' },
        aggs: spec.aggs,
      };
      for (const [month, vals] of await runGroupByMonth(tx, g, orgId)) {
        rows.push({ org_id: orgId, kind, spec_key: spec.key, month, vals: JSON.stringify(spec.aggs.map((a) => vals[a.alias] ?? null)) });
      }
    }
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('metric_buckets').values(rows.slice(i, i + 500)).execute();
    await trx
      .insertInto('metric_built')
      .values({ org_id: orgId, kind, hash: ks.hash, built_at: now })
      .onConflict((oc) => oc.columns(['kind', 'org_id']).doUpdateSet({ hash: ks.hash, built_at: now }))
      .execute();
    const ids = marks.map((m) => m.id);
    for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('metric_dirty').where('id', 'in', ids.slice(i, i + 500)).execute();
  });
}

/** Rebuilds the pairs among `orgIds` × `kinds` whose records changed or that were built with other specs. */
export async function refreshSummaries(storage: Storage, specs: Map<string, KindSpecs>, orgIds: readonly number[], kinds: readonly string[]): Promise<number> {
  const wanted = kinds.filter((k) => specs.has(k));
  if (orgIds.length === 0 || wanted.length === 0) return 0;
  const stale: [number, string][] = [];
  for (let i = 0; i < orgIds.length; i += 500) {
    const ids = orgIds.slice(i, i + 500);
    const [built, dirty] = await Promise.all([
      storage.db.selectFrom('metric_built').select(['org_id', 'kind', 'hash']).where('kind', 'in', wanted).where('org_id', 'in', ids).execute(),
      storage.db.selectFrom('metric_dirty').select(['org_id', 'kind']).distinct().where('kind', 'in', wanted).where('org_id', 'in', ids).execute(),
    ]);
    const fresh = new Set(built.filter((b) => b.hash === specs.get(b.kind)!.hash).map((b) => `${b.org_id}:${b.kind}`));
    for (const d of dirty) fresh.delete(`${d.org_id}:${d.kind}`);
    for (const o of ids) for (const k of wanted) if (!fresh.has(`${o}:${k}`)) stale.push([o, k]);
  }
  const now = new Date().toISOString();
  // PostgreSQL rebuilds a few pairs at once over the pool; SQLite has one writer anyway.
  const width = storage.dialect === 'postgres' ? 4 : 1;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, stale.length) }, async () => {
      while (next < stale.length) {
        const [o, k] = stale[next++]!;
        await rebuild(storage, o, k, specs.get(k)!, now);
      }
    }),
  );
  return stale.length;
}

/**
 * The values of query groups from the buckets, per org unit (`perOrg`) or summed over all of them.
 * Null semantics follow SQL's sum(): a value is null when no bucket holds a non-null value for it.
 */
export async function readSummaries(
  storage: Storage,
  g: QueryGroup,
  answer: NonNullable<ReturnType<typeof summaryFor>>,
  orgIds: readonly number[],
): Promise<Map<number, AggValues>> {
  const out = new Map<number, (number | null)[]>();
  for (let i = 0; i < orgIds.length; i += 500) {
    const rows = await storage.db
      .selectFrom('metric_buckets')
      .select(['org_id', 'vals'])
      .where('kind', '=', g.ledger.kind)
      .where('spec_key', '=', answer.spec.key)
      .where('org_id', 'in', orgIds.slice(i, i + 500))
      .where('month', '>=', answer.months.from)
      .where('month', '<=', answer.months.to)
      .execute();
    for (const r of rows) {
      const vals = JSON.parse(r.vals) as (number | null)[];
      const acc = out.get(r.org_id) ?? answer.positions.map(() => null);
      answer.positions.forEach((p, j) => {
        const v = vals[p];
        if (v !== null && v !== undefined) acc[j] = (acc[j] ?? 0) + v;
      });
      out.set(r.org_id, acc);
    }
  }
  const result = new Map<number, AggValues>();
  for (const [org, acc] of out) result.set(org, Object.fromEntries(g.aggs.map((a, j) => [a.alias, acc[j] ?? null])));
  return result;
}

/** Whether roll-ups use the summaries (FAZHI_METRIC_SUMMARIES=off reads every figure from the records). */
export function summariesEnabled(): boolean {
  return process.env.FAZHI_METRIC_SUMMARIES !== 'off';
}
