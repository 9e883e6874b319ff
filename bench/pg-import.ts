/**
 * Issue 13 benchmark: importing 100,000 records into PostgreSQL through the one import path (validation,
 * deadlines, personal fields sealed, audit entry, summary marks) with its rows going through COPY —
 * target at least 40,000 records/s — printed as a ratio to a raw COPY of the same rows (no validation),
 * and beside the same import through batched INSERTs (the path without COPY).
 * Run alone: `npx tsx bench/pg-import.ts` with FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL set.
 */
import { performance } from 'node:perf_hooks';
import type { Storage } from '../src/db/connect';
import { createContext, systemActor } from '../src/app/context';
import { seedOrgsAndUsers } from '../src/app/seed';
import { importLines, type ExchangeLine } from '../src/app/exchange';
import { copyRows } from '../src/db/copy-records';
import { mixedLines } from './foundation';
import { createPgDatabase, fmt, report } from './util';

const N = 100_000;
const DEPTS = ['司法所', '综合行政执法队', '党政办公室', '平安办', '信访办公室'];

async function imported(storage: Storage, lines: ExchangeLine[]): Promise<number> {
  const ctx = createContext(storage);
  await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: DEPTS }], []);
  const t = performance.now();
  const r = await importLines(ctx, systemActor(), 'town', lines, { source: 'bench' });
  const ms = performance.now() - t;
  if (r.created !== lines.length) throw new Error(`created ${r.created}`);
  return ms;
}

/** The same rows as plain columns straight into COPY, in one transaction: the physical limit. */
async function rawCopy(storage: Storage, lines: ExchangeLine[]): Promise<number> {
  const org = await storage.db.selectFrom('org_units').select('id').where('code', '=', 'town').executeTakeFirstOrThrow();
  const depts = new Map((await storage.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
  const at = new Date().toISOString();
  const rows = lines.map((l) => {
    const { kind, dept, ...data } = l.value as Record<string, unknown>;
    return { kind, org_id: org.id, dept_id: depts.get(dept as string)!, occurred_on: (data.heldOn ?? data.consultedOn ?? data.decidedOn ?? data.receivedOn) as string, data: JSON.stringify(data), version: 1, created_at: at, updated_at: at };
  });
  const cols = Object.keys(rows[0]!);
  const t = performance.now();
  await storage.db.transaction().execute(async (trx) => {
    if (!(await copyRows(storage, trx, 'records', cols, rows))) throw new Error('no COPY connection');
  });
  return performance.now() - t;
}

export async function benchPgImport(): Promise<void> {
  const lines = mixedLines(N);
  const a = await createPgDatabase();
  if (!a) {
    console.log('PostgreSQL not configured (FAZHI_BENCH_PG_URL / FAZHI_TEST_PG_URL): skipped');
    return;
  }
  const b = await createPgDatabase();
  try {
    const copyMs = await imported(a.storage, lines);
    const rawMs = await rawCopy(a.storage, lines);
    const insertMs = await imported({ ...b!.storage, pgClientOf: undefined }, lines);
    const rate = (N / copyMs) * 1000;
    report(`PostgreSQL: import ${fmt(N)} mixed records through COPY (validation + deadlines + sealing + audit)`, `${fmt(rate)} records/s (${fmt(copyMs)} ms)`, 'target >= 40,000/s', rate >= 40_000);
    report('PostgreSQL: raw COPY of the same rows', `${fmt((N / rawMs) * 1000)} rows/s`, `the import is ${(copyMs / rawMs).toFixed(2)}x a raw COPY`, true);
    report('PostgreSQL: the same import through batched INSERTs', `${fmt((N / insertMs) * 1000)} records/s`, `COPY path ${(insertMs / copyMs).toFixed(2)}x faster`, true);
  } finally {
    await a.dispose();
    await b?.dispose();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await benchPgImport();
