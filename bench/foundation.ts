/**
 * Issue 2 benchmark: the batched import path (validation included) and a filtered list page, on
 * SQLite and PostgreSQL, with the ratio to a raw batched INSERT of the same rows through the driver.
 * Run alone: `npx tsx bench/foundation.ts` (PostgreSQL part when FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL is set).
 */
import { refreshPlannerStatistics } from '../src/db/planner-statistics';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openStorage, type Storage } from '../src/db/connect';
import { migrate } from '../src/db/migrations';
import { createContext, systemActor } from '../src/app/context';
import { seedOrgsAndUsers } from '../src/app/seed';
import { importLines, type ExchangeLine } from '../src/app/exchange';
import { listRecords } from '../src/app/records';
import { createPgDatabase, fmt, median, report } from './util';

const DEPTS = ['司法所', '综合行政执法队', '党政办公室', '平安办', '信访办公室'];

/** Mixed, valid exchange lines (kinds without and with deadlines), deterministic. */
export function mixedLines(n: number, year = 2025): ExchangeLine[] {
  const out: ExchangeLine[] = [];
  const day = (i: number, plus = 0) => {
    const d = new Date(Date.UTC(year, 0, 1 + (i % 365) + plus));
    return d.toISOString().slice(0, 10);
  };
  for (let i = 0; i < n; i++) {
    const dept = DEPTS[i % DEPTS.length]!;
    let v: Record<string, unknown>;
    switch (i % 5) {
      case 0:
        v = { kind: 'training', dept, title: `专题培训第${i}期`, heldOn: day(i), trainingType: '执法人员培训', attendees: 10 + (i % 40) };
        break;
      case 1:
        v = { kind: 'publicity_activity', dept, title: `法治宣传活动${i}`, heldOn: day(i), activityType: '法律进社区', participants: 50 + (i % 100), materials: i % 300 };
        break;
      case 2:
        v = { kind: 'legal_consultation', dept, consultedOn: day(i), channel: '热线', topic: '劳动争议', persons: 1 + (i % 5) };
        break;
      case 3:
        v = { kind: 'enforcement_case', dept, caseNumber: `执罚${i}号`, cause: '违法搭建', actionType: '行政处罚', decidedOn: day(i), isMajor: i % 50 === 3, party: '张三' };
        break;
      default:
        v = { kind: 'legality_review', dept, title: `合同审核${i}`, reviewType: '政府合同', submitDept: dept, receivedOn: day(i), completedOn: day(i, 3) };
    }
    out.push({ line: i + 1, value: v });
  }
  return out;
}

async function setup(storage: Storage) {
  await migrate(storage.db, storage.dialect);
  const ctx = createContext(storage);
  await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: DEPTS }], []);
  return ctx;
}

/** The physical limit: the same rows through the driver in batched multi-row INSERTs, no validation. */
async function rawInsert(storage: Storage, lines: ExchangeLine[], orgId: number, deptIds: Map<string, number>): Promise<number> {
  const at = new Date().toISOString();
  const rows = lines.map((l) => {
    const { kind, dept, ...data } = l.value as Record<string, unknown>;
    return {
      kind: kind as string,
      org_id: orgId,
      dept_id: deptIds.get(dept as string)!,
      occurred_on: (data.heldOn ?? data.consultedOn ?? data.decidedOn ?? data.receivedOn) as string,
      status: null,
      due_on: null,
      closed_on: null,
      deadline_state: null,
      deadline_rule: null,
      data: JSON.stringify(data),
      clock: null,
      version: 1,
      deleted_at: null,
      created_by: null,
      created_at: at,
      updated_by: null,
      updated_at: at,
    };
  });
  const t = performance.now();
  if (storage.sqlite) {
    const cols = Object.keys(rows[0]!);
    const stmt = storage.sqlite.prepare(`insert into records (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
    storage.sqlite.transaction(() => {
      for (const r of rows) stmt.run(Object.values(r));
    })();
  } else {
    // The fastest batched INSERT through the driver: one statement per 5,000 rows from arrays.
    const cols = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
    const types: Record<string, string> = { org_id: 'int[]', dept_id: 'int[]', version: 'int[]', created_by: 'int[]', updated_by: 'int[]', data: 'text[]::jsonb[]' };
    await storage.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 5000) {
        const b = rows.slice(i, i + 5000);
        const arrays = cols.map((c) => sql`${b.map((r) => r[c] ?? null)}::${sql.raw(types[c] ?? 'text[]')}`);
        await sql`insert into records (${sql.join(cols.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
      }
    });
  }
  return performance.now() - t;
}

async function benchOne(label: string, storage: Storage, targetPerSec: number): Promise<void> {
  const ctx = await setup(storage);
  const N = 100_000;
  const lines = mixedLines(N);
  const t0 = performance.now();
  await importLines(ctx, systemActor(), 'town', lines, { source: 'bench' });
  const importMs = performance.now() - t0;
  const org = await storage.db.selectFrom('org_units').select('id').where('code', '=', 'town').executeTakeFirstOrThrow();
  const depts = new Map((await storage.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
  const rawMs = await rawInsert(storage, lines, org.id, depts);
  const rate = (N / importMs) * 1000;
  const rawRate = (N / rawMs) * 1000;
  report(`${label}: import ${fmt(N)} mixed records (validation + deadlines + audit)`, `${fmt(rate)} records/s`, `target >= ${fmt(targetPerSec)}/s`, rate >= targetPerSec);
  report(`${label}: raw batched INSERT of the same rows`, `${fmt(rawRate)} rows/s`, `engine is ${(rawRate / rate).toFixed(2)}x slower (aim <= 4x)`, rawRate / rate <= 4);

  // Grow to 1,000,000 records by raw inserts (the list does not care how rows arrived).
  const more = 1_000_000 - 2 * N;
  const chunk = mixedLines(N, 2024);
  for (let done = 0; done < more; done += N) await rawInsert(storage, chunk.slice(0, Math.min(N, more - done)), org.id, depts);
  // As autovacuum would after a bulk load: the visibility map lets counts use index-only scans.
  if (storage.dialect === 'postgres') await sql`vacuum analyze records`.execute(storage.db);
  else await refreshPlannerStatistics(storage, { full: true });
  const sys = systemActor();
  const deptId = depts.get('司法所')!;
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 25; i++) {
    const t = performance.now();
    const r = await listRecords(ctx, sys, 'training', { page: 1, pageSize: 20, orgId: org.id, deptId, year: 2025 });
    times.push(performance.now() - t);
    total = r.total;
  }
  const med = median(times.slice(5));
  report(`${label}: list page 1 of training, filtered by department and year, at 1,000,000 records (total ${fmt(total)})`, `${med.toFixed(2)} ms median`, 'target < 10 ms', med < 10);
}

export async function benchFoundation(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-bench-'));
  const s = openStorage({ dataDir: dir, databaseUrl: '' });
  try {
    await benchOne('SQLite', s, 60_000);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pg = await createPgDatabase();
  if (!pg) {
    console.log('PostgreSQL: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL to a superuser URL)');
    return;
  }
  try {
    await benchOne('PostgreSQL', pg.storage, 40_000);
  } finally {
    await pg.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFoundation();
