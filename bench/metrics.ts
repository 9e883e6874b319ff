/**
 * Metric benchmark: one town-year of 100,000 records (all 16 kinds, fields filled from their
 * definitions) on SQLite and PostgreSQL — every built-in metric should take < 200 ms — and a district
 * of 20 towns × 100,000 records, whose side-by-side roll-up should take < 2 s. Each figure is printed
 * with its ratio to one hand-written aggregate scan over the same rows (the practical lower bound).
 *
 * Run alone: `npx tsx bench/metrics.ts` (PostgreSQL when FAZHI_TEST_PG_URL is set).
 */
import { pathToFileURL } from 'node:url';
import { DISTRICT_METRIC_KEYS } from '../src/app/district';
import { DEFAULT_TEMPLATE, templateMetricKeys } from '../src/core/report';
import { sql } from 'kysely';
import { BUILTIN_LEDGERS } from '../src/core/ledgers/kinds';
import type { FieldDef, LedgerDef } from '../src/core/ledgers/types';
import { createRng, type Rng } from '../src/demo/prng';
import type { Dialect, Storage } from '../src/db/connect';
import { compareTowns, computeMetrics } from '../src/db/metrics-query';
import { openTestStorage, testDialects } from '../src/db/testing';

const RECORDS_PER_TOWN = 100_000;
const TOWNS = 20;
const DISTRICT = 1;
const FIRST_TOWN = 2;
const YEAR = 2023;

/** Share of each kind in a town's records (consultations and publicity dominate, as in real ledgers). */
const WEIGHTS: Record<string, number> = {
  legal_consultation: 30,
  publicity_activity: 15,
  dispute: 12,
  petition: 10,
  enforcement_case: 10,
  legality_review: 5,
  training: 4,
  enterprise_service: 4,
  disclosure_request: 2,
  indicator: 2,
  work_event: 2,
  task: 1,
  deputy_suggestion: 1,
  procuratorial_recommendation: 0.5,
  litigation: 1,
  normative_document: 0.5,
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function fieldValue(f: FieldDef, rng: Rng, occurred: string): unknown {
  switch (f.type) {
    case 'date':
      return addDays(occurred, rng.int(0, 40));
    case 'month':
      return occurred.slice(0, 7);
    case 'int':
      return rng.int(0, 60);
    case 'number':
      return rng.int(0, 500);
    case 'money':
      return rng.int(0, 100000) / 100;
    case 'bool':
      return rng.chance(0.4);
    case 'enum':
      return rng.pick(f.options ?? ['']);
    case 'multienum':
      return rng.sample(f.options ?? [], rng.int(1, 2));
    case 'dept':
      return '司法所';
    case 'depts':
      return ['司法所'];
    case 'ref':
      return 1;
    case 'files':
      return [];
    default:
      return `${f.label}${rng.int(1, 9999)}`;
  }
}

interface Row {
  kind: string;
  occurred_on: string;
  closed_on: string | null;
  deadline_state: string | null;
  data: string;
}

/** A town's records, generated from the ledger definitions: ~85% in the year, the rest around it. */
function generateTown(rng: Rng, n: number): Row[] {
  const ledgers = BUILTIN_LEDGERS.map((l): [LedgerDef, number] => [l, WEIGHTS[l.kind] ?? 1]);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const ledger = rng.weighted(ledgers);
    const year = rng.weighted([[YEAR, 85], [YEAR - 1, 12], [YEAR + 1, 3]] as const);
    const occurred = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const data: Record<string, unknown> = {};
    for (const f of ledger.fields) {
      if (f.key === ledger.occurredOn) data[f.key] = f.type === 'month' ? occurred.slice(0, 7) : occurred;
      else if (f.required || rng.chance(0.7)) data[f.key] = fieldValue(f, rng, occurred);
    }
    const closed = ledger.closedOnField && typeof data[ledger.closedOnField] === 'string' ? (data[ledger.closedOnField] as string) : null;
    const state = ledger.deadlines?.length ? (closed ? rng.weighted([['按期办结', 9], ['逾期办结', 1]] as const) : rng.weighted([['正常', 8], ['临期', 1], ['逾期', 1]] as const)) : null;
    rows.push({
      kind: ledger.kind,
      occurred_on: ledger.fields.find((f) => f.key === ledger.occurredOn)?.type === 'month' ? `${occurred.slice(0, 7)}-01` : occurred,
      closed_on: closed,
      deadline_state: state,
      data: JSON.stringify(data),
    });
  }
  return rows;
}

async function seedOrgs(s: Storage, towns = TOWNS): Promise<void> {
  const orgs = [{ id: DISTRICT, code: 'D00', name: '宝山区', level: '区', parent_id: null, path: `/${DISTRICT}/` }];
  for (let t = 0; t < towns; t++) {
    const id = FIRST_TOWN + t;
    orgs.push({ id, code: `T${String(t + 1).padStart(2, '0')}`, name: `第${t + 1}镇`, level: '镇', parent_id: DISTRICT as never, path: `/${DISTRICT}/${id}/` });
  }
  await s.db.insertInto('org_units').values(orgs).execute();
  await s.db.insertInto('departments').values(orgs.map((o) => ({ id: o.id, org_id: o.id, name: '司法所' }))).execute();
}

/** Batched multi-row raw inserts (parameter limits: SQLite 32766, PostgreSQL 65535). */
async function insertRows(s: Storage, orgId: number, rows: Row[]): Promise<void> {
  const batch = s.dialect === 'sqlite' ? 3000 : 6000;
  const now = '2024-01-15T00:00:00.000Z';
  await s.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += batch) {
      // The data column in the format the engine stores it in (db/json.ts dataValue: JSONB on SQLite).
      const data = (d: string) => (s.dialect === 'postgres' ? sql`${d}::jsonb` : sql`jsonb(${d})`);
      const values = rows
        .slice(i, i + batch)
        .map((r) => sql`(${r.kind}, ${orgId}, ${orgId}, ${r.occurred_on}, ${r.closed_on}, ${r.deadline_state}, ${data(r.data)}, ${now}, ${now})`);
      await sql`insert into records (kind, org_id, dept_id, occurred_on, closed_on, deadline_state, data, created_at, updated_at) values ${sql.join(values)}`.execute(trx);
    }
  });
}

/** The other towns get the first town's rows, copied inside the database (fast, still real rows). */
async function copyTown(s: Storage, orgId: number): Promise<void> {
  await sql`insert into records (kind, org_id, dept_id, occurred_on, closed_on, deadline_state, data, created_at, updated_at)
    select kind, ${orgId}, ${orgId}, occurred_on, closed_on, deadline_state, data, created_at, updated_at from records where org_id = ${FIRST_TOWN}`.execute(s.db);
}

async function analyze(s: Storage): Promise<void> {
  await sql`analyze`.execute(s.db);
}

/** Median wall time of `runs` runs after one warm-up. */
async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)] ?? 0;
}

/** The limit: one scan of the year's rows with a single grouped aggregate over a JSON field. */
function handScan(d: Dialect, orgFilter: ReturnType<typeof sql>) {
  const persons = d === 'sqlite' ? sql`json_extract(data, '$.persons')` : sql`(data ->> 'persons')::numeric`;
  return sql`select kind, count(*) as n, sum(${persons}) as p from records where ${orgFilter} and deleted_at is null and occurred_on between ${`${YEAR}-01-01`} and ${`${YEAR}-12-31`} group by kind`;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function benchDialect(dialect: Dialect): Promise<void> {
  const s = await openTestStorage(dialect);
  try {
    await seedOrgs(s);
    const rows = generateTown(createRng(20230101), RECORDS_PER_TOWN);
    let t0 = performance.now();
    await insertRows(s, FIRST_TOWN, rows);
    await analyze(s);
    console.log(`[${dialect}] inserted ${RECORDS_PER_TOWN.toLocaleString()} records for one town in ${fmt(performance.now() - t0)}`);

    const opts = { orgId: FIRST_TOWN, period: { year: YEAR }, defs: [] };
    const first = await computeMetrics(s, opts);
    const n = Object.keys(first.values).length;
    const town = await time(5, () => computeMetrics(s, opts));
    const townScan = await time(5, () => handScan(dialect, sql`org_id = ${FIRST_TOWN}`).execute(s.db));
    console.log(
      `[${dialect}] one town-year, all ${n} built-in metrics: ${fmt(town)} (target < 200 ms) ${town < 200 ? 'OK' : 'SLOW'}; hand-written scan ${fmt(townScan)}; ratio ${(town / townScan).toFixed(1)}x`,
    );

    t0 = performance.now();
    for (let t = 1; t < TOWNS; t++) await copyTown(s, FIRST_TOWN + t);
    await analyze(s);
    console.log(`[${dialect}] district of ${TOWNS} towns × ${RECORDS_PER_TOWN.toLocaleString()} records ready in ${fmt(performance.now() - t0)}`);
    // The metric summaries (src/db/metric-summaries.ts): the first roll-up builds every town's buckets,
    // later ones read them; a write in one town makes the next roll-up rebuild that town's kind only.
    t0 = performance.now();
    await compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [] });
    const cold = performance.now() - t0;
    const district = await time(3, () => compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [] }));
    const fromRecords = await time(1, () => compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [], summaries: false }));
    await sql`update records set updated_at = ${new Date().toISOString()} where id = (select min(id) from records where org_id = ${FIRST_TOWN + 3} and kind = 'training')`.execute(s.db);
    t0 = performance.now();
    await compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [] });
    const afterWrite = performance.now() - t0;
    const target = dialect === 'postgres' ? 1000 : 2000;
    console.log(
      `[${dialect}] district roll-up from the metric summaries (all metrics, ${TOWNS} towns): ${fmt(district)} (target < ${target / 1000} s) ${district < target ? 'OK' : 'SLOW'}; ` +
        `first roll-up, building the summaries ${fmt(cold)}; after one write in one town ${fmt(afterWrite)}; from the records alone ${fmt(fromRecords)}`,
    );
    // The district view's own comparison (the metrics src/app/district.ts shows side by side), and the
    // metrics of the default report template for every town.
    const view = await time(3, () => compareTowns(s, DISTRICT, { year: YEAR }, DISTRICT_METRIC_KEYS, { defs: [] }));
    console.log(
      `[${dialect}] district comparison of the district view (${DISTRICT_METRIC_KEYS.length} metrics, ${TOWNS} towns): ${fmt(view)} (target < 2 s) ${view < 2000 ? 'OK' : 'SLOW'}`,
    );
    const reportKeys = templateMetricKeys(DEFAULT_TEMPLATE);
    const reportRollup = await time(3, () => compareTowns(s, DISTRICT, { year: YEAR }, reportKeys, { defs: [] }));
    console.log(
      `[${dialect}] district roll-up of the default report's metrics (${reportKeys.length} metrics, ${TOWNS} towns): ${fmt(reportRollup)} (target < 2 s) ${reportRollup < 2000 ? 'OK' : 'SLOW'}`,
    );
    const scanAll = sql`org_id in (select id from org_units where path like ${`/${DISTRICT}/%`})`;
    const districtScan = await time(3, () => handScan(dialect, scanAll).execute(s.db));
    console.log(
      `[${dialect}] district roll-up (${TOWNS} towns side by side, totals, ranks; ${n} metrics): ${fmt(district)} (target < ${target / 1000} s) ${district < target ? 'OK' : 'SLOW'}; hand-written scan ${fmt(districtScan)}; ratio ${(district / districtScan).toFixed(1)}x`,
    );
  } finally {
    await s.dispose();
  }
}

const CITY_TOWNS = 200;
const CITY_RECORDS_PER_TOWN = 20_000;

/**
 * A city on one PostgreSQL (issue 13): 200 towns × 20,000 records, all built-in metrics side by side
 * from the metric summaries, target < 5 s; printed beside the first roll-up (which builds them) and
 * the hand-written scan.
 */
export async function benchCity(): Promise<void> {
  if (!testDialects().includes('postgres')) {
    console.log('[postgres] city skipped: set FAZHI_TEST_PG_URL to a PostgreSQL superuser URL to include it');
    return;
  }
  const s = await openTestStorage('postgres');
  try {
    await seedOrgs(s, CITY_TOWNS);
    // The bulk path of a throwaway database: the per-field list indexes (db/field-indexes.ts) serve
    // filtered lists, never a roll-up, and maintaining some 60 of them row by row dominates loading the
    // 4,000,000 rows on 2 cores; so they are dropped first, and the other 199 towns are
    // one INSERT … SELECT over generate_series.
    const fieldIndexes = await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'records' and schemaname = current_schema() and indexname like 'rf\\_%' escape '\\'`.execute(s.db);
    for (const { name } of fieldIndexes.rows) await sql`drop index ${sql.id(name)}`.execute(s.db);
    let t0 = performance.now();
    await insertRows(s, FIRST_TOWN, generateTown(createRng(20230102), CITY_RECORDS_PER_TOWN));
    await s.db.transaction().execute(async (trx) => {
      // Nor per-row foreign-key checks (the towns and departments were just written) or the summary
      // triggers: in this fresh database no summary is built yet, so the first roll-up builds every
      // pair from the records anyway (db/metric-summaries.ts rebuilds never-built pairs).
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`insert into records (kind, org_id, dept_id, occurred_on, closed_on, deadline_state, data, created_at, updated_at)
        select r.kind, t.id, t.id, r.occurred_on, r.closed_on, r.deadline_state, r.data, r.created_at, r.updated_at
        from records r cross join generate_series(${FIRST_TOWN + 1}::int, ${FIRST_TOWN + CITY_TOWNS - 1}::int) as t(id) where r.org_id = ${FIRST_TOWN}`.execute(trx);
    });
    await analyze(s);
    console.log(
      `[postgres] city of ${CITY_TOWNS} towns × ${CITY_RECORDS_PER_TOWN.toLocaleString()} records ready in ${fmt(performance.now() - t0)} ` +
        `(${fieldIndexes.rows.length} list indexes on fields dropped for the load: roll-ups never use them)`,
    );
    t0 = performance.now();
    const first = await compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [] });
    const cold = performance.now() - t0;
    const warm = await time(3, () => compareTowns(s, DISTRICT, { year: YEAR }, undefined, { defs: [] }));
    const scan = await time(1, () => handScan('postgres', sql`org_id in (select id from org_units where path like ${`/${DISTRICT}/%`})`).execute(s.db));
    console.log(
      `[postgres] city roll-up from the metric summaries (${first.keys.length} metrics, ${CITY_TOWNS} towns): ${fmt(warm)} (target < 5 s) ${warm < 5000 ? 'OK' : 'SLOW'}; ` +
        `first roll-up, building the summaries ${fmt(cold)}; hand-written scan ${fmt(scan)}; ratio ${(warm / scan).toFixed(2)}x`,
    );
  } finally {
    await s.dispose();
  }
}

export async function benchMetrics(): Promise<void> {
  const dialects = testDialects();
  if (!dialects.includes('postgres')) console.log('[postgres] skipped: set FAZHI_TEST_PG_URL to a PostgreSQL superuser URL to include it');
  for (const d of dialects) await benchDialect(d);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchMetrics().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
