/**
 * Issue 14 benchmark (`npm run bench -- load`): the platform side by side with the physical limit —
 * a bare fastify server over one indexed table holding the same records (bench/bare-server.ts) —
 * each in its own process, driven by autocannon (20 connections × 20 s, loopback) for the filtered,
 * sorted list page, a record read and a create; requests/s, p50, p99 and the ratio to the bare
 * server; then the per-request overhead, one metric against its own query, and the same page at
 * 1,000,000 records; on SQLite and on PostgreSQL (a throwaway cluster, see run.ts).
 * FAZHI_BENCH_SECONDS shortens every run while developing, FAZHI_BENCH_BIG the large table.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon, { type Result } from 'autocannon';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { DB } from '../src/db/schema';
import { listRecords, type ListQuery } from '../src/app/records';
import { authenticate, login as loginInProcess } from '../src/app/users';
import { getMetrics } from '../src/app/metrics-service';
import { loadDeadlineEnv } from '../src/app/deadline-env';
import { todayShanghai } from '../src/core/time';
import { createContext } from '../src/app/context';
import { migrate } from '../src/db/migrations';
import { fieldExpression, fieldIndexName } from '../src/db/field-indexes';
import { training } from '../src/core/ledgers/kinds/training';
import { analyze, clientHeaders, createBenchDb, login, OFFICE_USER, PASSWORD, seconds, startBare, startPlatform, type BenchDb, type Child } from './load-setup';
import { benchDialects, fmt, median, report } from './util';

const PAGE = 'f.trainingType=执法人员培训&year=2023&sort=heldOn&order=desc&page=3';
const METRIC = 'training.sum_attendees';

/** The figures of issue 14, measured on this machine before this work: the reference they are, not a result. */
const PEERS = [
  ['Fazhi before issue 14', '17–23', '765–975 ms', '2.0–6.6 s'],
  ['NocoDB 0.301', '25–34', '564–813 ms', '735–985 ms'],
  ['Directus 12.4', '43', '437–463 ms', '613–688 ms'],
  ['fastify + better-sqlite3, indexed columns', '4,150–4,430', '3–4 ms', '10–12 ms'],
];

function printPeers(): void {
  console.log('Reference (issue 14, 100,000 training records, 20 clients × 20 s, the filtered sorted page):');
  for (const [who, rps, p50, p99] of PEERS) console.log(`  ${who!.padEnd(44)} ${rps!.padStart(12)} req/s   p50 ${p50!.padStart(11)}   p99 ${p99}`);
}

function row(label: string, r: Result, bare?: Result): string {
  const ratio = bare ? `  ${((r.requests.average / bare.requests.average) * 100).toFixed(0)}% of bare` : '';
  const bad = r.errors + r.timeouts + r.non2xx;
  return `  ${label.padEnd(34)} ${fmt(r.requests.average).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(5)} ms  ${bad ? `${bad} errors/non-2xx` : '0 errors'}${ratio}`;
}

async function cannon(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; paths?: () => string } = {}): Promise<Result> {
  const headers = { ...clientHeaders(base), ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const paths = opts.paths;
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections: 20,
      duration,
      timeout: 10,
      requests: [{ method: opts.method ?? 'GET', path, headers, ...(opts.body ? { body: opts.body } : {}), ...(paths ? { setupRequest: (req) => ({ ...req, path: paths() }) } : {}) }],
    });
  // A short unmeasured run first, for both servers alike: the JIT and the caches warm up as they would in service.
  await run(2);
  return run(seconds(20));
}

/** bare_training: the same training records as typed, indexed columns. */
async function createBareTable(db: BenchDb): Promise<void> {
  const d = db.storage.db;
  const id = db.dialect === 'sqlite' ? 'integer primary key' : 'serial primary key';
  await sql`create table bare_training (id ${sql.raw(id)}, org_id integer not null, dept_id integer not null, training_type text not null, held_on text not null, title text not null, attendees integer not null, hours integer, version integer not null, created_at text not null)`.execute(d);
  const x = (k: string) => (db.dialect === 'sqlite' ? sql`json_extract(data, ${sql.raw(`'$.${k}'`)})` : sql`(data ->> ${sql.raw(`'${k}'`)})`);
  const n = (k: string) => (db.dialect === 'sqlite' ? x(k) : sql`${x(k)}::int`);
  await sql`insert into bare_training (id, org_id, dept_id, training_type, held_on, title, attendees, hours, version, created_at)
    select id, org_id, dept_id, ${x('trainingType')}, ${x('heldOn')}, ${x('title')}, ${n('attendees')}, ${n('hours')}, version, created_at from records where kind = 'training'`.execute(d);
  if (db.dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('bare_training', 'id'), (select max(id) from bare_training))`.execute(d);
  await sql`create index bare_training_page on bare_training (org_id, training_type, held_on)`.execute(d);
  if (db.dialect === 'postgres') await sql`vacuum analyze bare_training`.execute(d);
  else await sql`analyze bare_training`.execute(d);
}

/** A second handle on the database that records every statement, to time a request's own SQL alone. */
function loggingDb(db: BenchDb): { db: Kysely<DB>; captured: CompiledQuery[]; close(): Promise<void> } {
  const captured: CompiledQuery[] = [];
  const log = (e: LogEvent) => {
    if (e.level === 'query') captured.push(e.query);
  };
  if (db.dialect === 'sqlite') {
    const k = new Kysely<DB>({ dialect: new SqliteDialect({ database: db.storage.sqlite! }), log });
    return { db: k, captured, close: async () => undefined };
  }
  const k = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.env.DATABASE_URL!, max: 1 }) }), log });
  return { db: k, captured, close: () => k.destroy() };
}

export async function timeMs(n: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n + 3; i++) {
    const t = performance.now();
    await fn();
    if (i >= 3) xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Two ways of doing the same work timed in alternation, so the machine's other load hits both alike. */
export async function timePair(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const xa: number[] = [];
  const xb: number[] = [];
  // A longer warm-up than timeMs: the first calls of a code path compile it (tens of ms each).
  const warm = 30;
  for (let i = 0; i < n + warm; i++) {
    let t = performance.now();
    await a();
    if (i >= warm) xa.push(performance.now() - t);
    t = performance.now();
    await b();
    if (i >= warm) xb.push(performance.now() - t);
  }
  return [median(xa), median(xb)];
}

/** Item 2: what a request costs besides its SQL, when nothing changed. */
export async function overhead(label: string, db: BenchDb): Promise<{ listSqlMs: number }> {
  const ctx = db.ctx;
  const { token } = await loginInProcess(ctx, OFFICE_USER, PASSWORD, '127.0.0.1');
  const session = await timeMs(200, () => authenticate(ctx, token, '127.0.0.1'));
  const who = (await authenticate(ctx, token, '127.0.0.1'))!.actor;
  const defs = await timeMs(1000, () => ctx.registry.get('training'));
  const calendar = await timeMs(200, () => loadDeadlineEnv(ctx.storage.db, todayShanghai(new Date()), [db.townId]));
  const log = loggingDb(db);
  const lctx = createContext({ ...db.storage, db: log.db });
  const q: ListQuery = { page: 3, pageSize: 20, year: 2023, sort: 'heldOn', order: 'desc', filters: { trainingType: '执法人员培训' } };
  // A first call fills what the next ones find cached (the kind's size, counted once a minute).
  await listRecords(lctx, who, 'training', q);
  log.captured.length = 0;
  await listRecords(lctx, who, 'training', q);
  const listSql = [...log.captured];
  // FAZHI_BENCH_SHOW_SQL=1: the list's statements one by one, to see which costs what.
  if (process.env.FAZHI_BENCH_SHOW_SQL === '1')
    for (const c of listSql) {
      const ms = await timeMs(50, () => ctx.storage.db.executeQuery(c));
      console.log(`  ${ms.toFixed(3)} ms  ${c.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  const [listApp, listRaw] = await timePair(
    50,
    () => listRecords(ctx, who, 'training', q),
    async () => {
      for (const c of listSql) await ctx.storage.db.executeQuery(c);
    },
  );
  // The first call may rebuild the metric summaries (writes); the statements of a call that finds them fresh are the query.
  await getMetrics(lctx, who, { year: 2023, keys: [METRIC] });
  log.captured.length = 0;
  await getMetrics(lctx, who, { year: 2023, keys: [METRIC] });
  const metricSql = log.captured.filter((c) => /^\s*(select|with)\b/i.test(c.sql));
  const [metricApp, metricRaw] = await timePair(
    20,
    () => getMetrics(ctx, who, { year: 2023, keys: [METRIC] }),
    async () => {
      for (const c of metricSql) await ctx.storage.db.executeQuery(c);
    },
  );
  await log.close();
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  report(`${label}: session check (authenticate)`, us(session), 'target well under 1 ms', session < 1);
  report(`${label}: ledger definition (registry.get)`, us(defs), 'target well under 1 ms', defs < 1);
  report(`${label}: calendar and deadline settings (loadDeadlineEnv)`, us(calendar), 'target well under 1 ms', calendar < 1);
  report(
    `${label}: list page in the app layer beyond its ${listSql.length} statements (scope, org resolution, parsing, views)`,
    `${us(Math.max(0, listApp - listRaw))} (${listApp.toFixed(2)} ms app, ${listRaw.toFixed(2)} ms SQL)`,
    'target well under 1 ms',
    listApp - listRaw < 1,
  );
  report(
    `${label}: metric ${METRIC} in the app layer beyond its ${metricSql.length} statements (definitions, planning)`,
    `${us(Math.max(0, metricApp - metricRaw))} (${metricApp.toFixed(2)} ms app, ${metricRaw.toFixed(2)} ms SQL)`,
    'target well under 1 ms',
    metricApp - metricRaw < 1,
  );
  metricSqlMs.set(label, metricRaw);
  return { listSqlMs: listRaw };
}
/** Each database's metric SQL time, for the comparison with the API. */
const metricSqlMs = new Map<string, number>();

async function sequentialMs(base: string, path: string, cookie: string, n = 30): Promise<number> {
  return timeMs(n, async () => {
    const r = await fetch(base + path, { headers: { ...clientHeaders(base), cookie } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  });
}

async function side(label: string, db: BenchDb, workers: number): Promise<void> {
  await createBareTable(db);
  await overhead(label, db);
  const platform = await startPlatform(db, workers);
  let bare: Child | undefined;
  try {
    bare = await startBare(db);
    const cookie = await login(platform.url, OFFICE_USER);
    const ids = (await db.storage.db.selectFrom('records').select('id').where('kind', '=', 'training').execute()).map((r) => r.id);
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const deptId = db.deptIds.get('司法所')!;
    const year = 2023;
    const bareList = `/training?orgId=${db.townId}&type=${encodeURIComponent('执法人员培训')}&year=${year}&page=3`;
    const body = JSON.stringify({ deptId, data: { title: '压测新增培训', heldOn: '2025-06-01', trainingType: '警示教育', attendees: 12 } });
    const bareBody = JSON.stringify({ orgId: db.townId, deptId, title: '压测新增培训', heldOn: '2025-06-01', trainingType: '警示教育', attendees: 12 });
    console.log(`${label}: 20 connections × ${seconds(20)} s each, platform with ${workers} worker process(es)`);
    // Alternating platform and bare run by run, so that the machine's other load hits both alike.
    const pList = await cannon(platform.url, `/api/records/training?${encodeURI(PAGE)}`, { headers: { cookie } });
    const bList = await cannon(bare.url, bareList);
    console.log(row('filtered sorted list (platform)', pList, bList));
    console.log(row('filtered sorted list (bare)', bList));
    const pRead = await cannon(platform.url, '/api/records/training/1', { headers: { cookie }, paths: () => `/api/records/training/${pick()}` });
    const bRead = await cannon(bare.url, '/training/1', { paths: () => `/training/${pick()}` });
    console.log(row('record read (platform)', pRead, bRead));
    console.log(row('record read (bare)', bRead));
    const pCreate = await cannon(platform.url, '/api/records/training', { method: 'POST', headers: { cookie }, body });
    const bCreate = await cannon(bare.url, '/training', { method: 'POST', body: bareBody });
    console.log(row('create (platform)', pCreate, bCreate));
    console.log(row('create (bare)', bCreate));
    const share = pList.requests.average / bList.requests.average;
    if (db.dialect === 'sqlite') {
      report(`${label}: list at 100,000 records, share of the bare server`, `${(share * 100).toFixed(0)}%`, 'target >= 50%', share >= 0.5);
      report(`${label}: list at 100,000 records, p99 with 20 clients`, `${pList.latency.p99} ms`, 'target < 50 ms', pList.latency.p99 < 50);
    } else {
      report(`${label}: list at 100,000 records, requests/s with 20 clients`, `${fmt(pList.requests.average)} req/s`, 'target >= 1,000', pList.requests.average >= 1000);
    }
    const bad = [pList, pRead, pCreate].reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
    report(`${label}: errors and non-2xx answers of the platform`, String(bad), 'target 0', bad === 0);
    const metricApi = await sequentialMs(platform.url, `/api/metrics?year=${year}&keys=${METRIC}`, cookie);
    const metricSql = metricSqlMs.get(label)!;
    report(`${label}: one metric through the API (${METRIC}, 1 client)`, `${metricApi.toFixed(2)} ms, its SQL ${metricSql.toFixed(2)} ms (${(metricApi / metricSql).toFixed(2)}x)`, 'target < 2x its query, peers 20–30 ms', metricApi < 2 * metricSql && metricApi < 20);
    // Not a target: what one request costs this client at all (fetch, loopback, fastify), so the metric's
    // time can be read beside the floor no API answer goes below — the bare server's record read.
    const floor = await sequentialMs(bare.url, `/training/${pick()}`, '');
    console.log(`  (the same client's round trip to the bare server, a record read: ${floor.toFixed(2)} ms; the metric is ${(metricApi - floor).toFixed(2)} ms above it)`);
  } finally {
    await bare?.stop();
    await platform.stop();
  }
  if (db.dialect === 'postgres') await ginVersusBtree(db);
  // The same page at 1,000,000 records: the town's training copied nine more times (same years and
  // types, so the matching range grows tenfold with the table).
  const t = performance.now();
  const n = await growTo(db, Number(process.env.FAZHI_BENCH_BIG ?? 1_000_000));
  console.log(`${label}: grown to ${fmt(n)} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const big = await startPlatform(db, 1);
  try {
    const cookie = await login(big.url, OFFICE_USER);
    const page = await sequentialMs(big.url, `/api/records/training?${encodeURI(PAGE)}`, cookie);
    report(`${label}: the filtered sorted page at ${fmt(n)} records, one request at a time, through the API`, `${page.toFixed(2)} ms median`, 'target < 10 ms', page < 10);
    const metric = await sequentialMs(big.url, `/api/metrics?year=2023&keys=${METRIC}`, cookie, 10);
    console.log(`  (one metric ${METRIC} at ${fmt(n)} records through the API: ${metric.toFixed(1)} ms; 433 ms before)`);
  } finally {
    await big.stop();
  }
}

/**
 * PostgreSQL: the field's B-tree of db/field-indexes.ts (on its generated column) against a GIN index on `data`
 * (jsonb_path_ops, the containment form `data @> '{"trainingType": …}'`) for the same count and page.
 */
async function ginVersusBtree(db: BenchDb): Promise<void> {
  const d = db.storage.db;
  const where = (cond: ReturnType<typeof sql>) =>
    sql`kind = 'training' and org_id = ${db.townId} and occurred_on between '2023-01-01' and '2023-12-31' and deleted_at is null and ${cond}`;
  const run = (cond: ReturnType<typeof sql>) => async () => {
    await sql`select count(*) from (select id from records where ${where(cond)} limit 100001) m`.execute(d);
    await sql`select id from records where ${where(cond)} order by occurred_on desc, id desc limit 20 offset 40`.execute(d);
  };
  // The condition the list writes: on the field's generated column, which its B-tree indexes.
  const column = fieldExpression('postgres', training.fields.find((f) => f.key === 'trainingType')!, 'records', 'training');
  const btree = run(sql`${column} in (${'执法人员培训'})`);
  const btreeMs = await timeMs(30, btree);
  await sql`drop index ${sql.id(fieldIndexName('training', 'trainingType'))}`.execute(d);
  await sql`create index bench_gin on records using gin (data jsonb_path_ops) where kind = 'training' and deleted_at is null`.execute(d);
  await sql`analyze records`.execute(d);
  const ginMs = await timeMs(30, run(sql`data @> ${JSON.stringify({ trainingType: '执法人员培训' })}::jsonb`));
  await sql`drop index bench_gin`.execute(d);
  await syncFieldIndexesAgain(db);
  report('PostgreSQL: count + page with the field B-tree vs a GIN index on data', `${btreeMs.toFixed(2)} ms vs ${ginMs.toFixed(2)} ms`, 'B-tree chosen', btreeMs <= ginMs);
}

/** Recreates the field indexes (the digest in settings would otherwise say nothing changed). */
async function syncFieldIndexesAgain(db: BenchDb): Promise<void> {
  await db.storage.db.deleteFrom('settings').where('key', '=', 'field_indexes').execute();
  await migrate(db.storage.db, db.storage.dialect);
}

/**
 * Copies the records until there are at least `target`. The indexes these rows go into are dropped
 * first and built again afterwards (a bulk build is far faster than 900,000 insertions into each),
 * from their own definitions as the database reports them, so the page reads exactly the indexes it would.
 */
async function growTo(db: BenchDb, target: number): Promise<number> {
  const d = db.storage.db;
  const count = async () => Number((await d.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const indexes =
    db.dialect === 'sqlite'
      ? (await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master where type = 'index' and tbl_name = 'records' and sql is not null`.execute(d)).rows
      : (await sql<{ name: string; ddl: string }>`select indexname as name, indexdef as ddl from pg_indexes where tablename = 'records' and schemaname = current_schema() and indexname <> 'records_pkey'`.execute(d)).rows;
  // Other kinds' field indexes stay: partial on their kind, they take none of these rows.
  const rebuilt = indexes.filter((ix) => !ix.name.startsWith('rf_') || ix.name.startsWith('rf_training__'));
  for (const ix of rebuilt) await sql`drop index ${sql.id(ix.name)}`.execute(d);
  const cols = sql.raw('kind, org_id, dept_id, occurred_on, status, due_on, closed_on, deadline_state, deadline_rule, data, clock, version, deleted_at, created_by, created_at, updated_by, updated_at');
  const have = await count();
  const maxId = (await d.selectFrom('records').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m as number;
  for (let total = have; total < target; total += have) await sql`insert into records (${cols}) select ${cols} from records where id <= ${maxId}`.execute(d);
  for (const ix of rebuilt) await sql.raw(ix.ddl).execute(d);
  await analyze(db.storage);
  return count();
}

export async function benchLoad(): Promise<void> {
  printPeers();
  const workers = process.env.FAZHI_WORKERS ? Number(process.env.FAZHI_WORKERS) : os.availableParallelism();
  console.log(`Machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other users' load makes these figures noisy)`);
  for (const dialect of benchDialects()) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const db = await createBenchDb(dialect, 100_000, 0);
    if (!db) {
      console.log(`${label}: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL, or run through npm run bench)`);
      continue;
    }
    try {
      await side(label, db, workers);
    } finally {
      await db.dispose();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLoad();
