/**
 * Report benchmark (issue 4): one town-year of 100,000 records on SQLite and PostgreSQL — the 庙行镇
 * fixture (every kind) plus the foundation benchmark's mixed lines, imported through the app — then
 * the figures of the default template (< 200 ms) and the whole report to .docx (< 500 ms), each with
 * its ratio to one hand-written aggregate scan over the same rows (the practical lower bound).
 *
 * Run alone: `npx tsx bench/report.ts` (PostgreSQL part when FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL is set).
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createContext, systemActor, type AppContext } from '../src/app/context';
import { importLines, parseJsonl } from '../src/app/exchange';
import { seedOrgsAndUsers } from '../src/app/seed';
import { computeOrgMetrics } from '../src/app/metrics-service';
import { reportDocumentFor } from '../src/app/reports';
import { compileTemplate, DEFAULT_TEMPLATE_SOURCE, templateMetricKeys } from '../src/core/report';
import type { Storage } from '../src/db/connect';
import { openTestStorage } from '../src/db/testing';
import { MIAOHANG } from '../src/demo/town';
import { writeReport } from '../src/documents/report-output';
import { mixedLines } from './foundation';
import { createPgDatabase, fmt, median, report } from './util';

const YEAR = 2023;
const RECORDS = 100_000;
const FIXTURE = new URL('../test/fixtures/miaohang-2022-2023.jsonl', import.meta.url);
const EXTRA_DEPTS = ['司法所', '综合行政执法队', '党政办公室', '平安办', '信访办公室'];

async function seed(storage: Storage): Promise<{ ctx: AppContext; orgId: number }> {
  const ctx = createContext(storage, () => new Date('2024-01-20T02:00:00Z'));
  const depts = [...new Set([...MIAOHANG.depts, ...EXTRA_DEPTS])];
  await seedOrgsAndUsers(ctx, [
    { code: 'baoshan', name: '宝山区', level: '区', depts: ['区司法局'] },
    { code: MIAOHANG.code, name: MIAOHANG.name, level: '镇', parent: 'baoshan', depts },
  ], []);
  const fixture = parseJsonl(fs.readFileSync(FIXTURE, 'utf8')).lines;
  const t0 = performance.now();
  await importLines(ctx, systemActor(), MIAOHANG.code, fixture);
  await importLines(ctx, systemActor(), MIAOHANG.code, mixedLines(RECORDS - fixture.length, YEAR));
  await sql`analyze`.execute(storage.db);
  const orgId = (await storage.db.selectFrom('org_units').select('id').where('code', '=', MIAOHANG.code).executeTakeFirstOrThrow()).id;
  const n = await storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  console.log(`  ${fmt(Number(n.n))} records imported in ${fmt((performance.now() - t0) / 1000)} s`);
  return { ctx, orgId };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

async function benchOne(label: string, storage: Storage): Promise<void> {
  console.log(`${label}:`);
  const { ctx, orgId } = await seed(storage);
  const compiled = compileTemplate(DEFAULT_TEMPLATE_SOURCE);
  if (!compiled.ok) throw new Error('default template does not compile');
  const keys = templateMetricKeys(compiled.template);
  // The limit: one scan of the town-year's rows computing one aggregate over the JSON data.
  const json = storage.dialect === 'postgres' ? sql`(data->>'attendees')::numeric` : sql`json_extract(data, '$.attendees')`;
  const scan = await timed(5, () =>
    sql`select count(*) as n, sum(${json}) as s from records where org_id = ${orgId} and deleted_at is null and occurred_on between ${`${YEAR}-01-01`} and ${`${YEAR}-12-31`}`.execute(storage.db),
  );
  const metrics = await timed(5, () => computeOrgMetrics(ctx, orgId, YEAR, keys));
  const docx = await timed(5, async () => writeReport((await reportDocumentFor(ctx, MIAOHANG.code, YEAR)).document, 'docx'));
  report(`  hand-written aggregate scan (${YEAR})`, `${scan.toFixed(1)} ms`, 'the limit', true);
  report(`  figures of the default template (${keys.length} metrics)`, `${metrics.toFixed(1)} ms`, `target < 200 ms, ${(metrics / scan).toFixed(1)}× the scan`, metrics < 200);
  report('  whole report to .docx', `${docx.toFixed(1)} ms`, `target < 500 ms, ${(docx / scan).toFixed(1)}× the scan`, docx < 500);
}

export async function benchReport(): Promise<void> {
  const lite = await openTestStorage('sqlite');
  try {
    await benchOne('SQLite', lite);
  } finally {
    await lite.dispose();
  }
  const pg = await createPgDatabase();
  if (!pg) {
    console.log('PostgreSQL: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL)');
    return;
  }
  try {
    await benchOne('PostgreSQL', pg.storage);
  } finally {
    await pg.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchReport();
