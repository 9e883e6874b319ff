/**
 * Issue 8 benchmark: what encryption at rest costs a list and an export. Two custom kinds with the same
 * fields and the same records, one with the person field marked PII (sealed with SM4 + HMAC-SM3, opened
 * per row), one without; the list of the PII kind may cost at most 1.5x the plain one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStorage, type Storage } from '../src/db/connect';
import { migrate } from '../src/db/migrations';
import { createContext, systemActor } from '../src/app/context';
import { seedOrgsAndUsers } from '../src/app/seed';
import { importLines, exportLines } from '../src/app/exchange';
import { listRecords } from '../src/app/records';
import { createPgDatabase, fmt, median, report } from './util';

const N = 20_000;

const kindDef = (kind: string, pii: boolean) => ({
  kind,
  label: pii ? '来访登记（加密）' : '来访登记（对照）',
  occurredOn: 'visitedOn',
  titleField: 'subject',
  fields: [
    { key: 'visitedOn', label: '来访日期', type: 'date', required: true },
    { key: 'visitor', label: '来访人', type: 'person', required: true, pii },
    { key: 'phone', label: '联系电话', type: 'text', pii },
    { key: 'subject', label: '事项', type: 'text', required: true },
    { key: 'channel', label: '方式', type: 'enum', options: ['来信', '来访', '网上'], required: true },
  ],
});

async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function benchOne(label: string, storage: Storage): Promise<void> {
  await migrate(storage.db, storage.dialect);
  const ctx = createContext(storage);
  await seedOrgsAndUsers(ctx, [{ code: 'town', name: '测试镇', level: '镇', depts: ['信访办'] }], []);
  const at = new Date().toISOString();
  for (const pii of [false, true]) await ctx.registry.define(storage.db, kindDef(pii ? 'visit_sealed' : 'visit_plain', pii), null, at);
  for (const kind of ['visit_plain', 'visit_sealed']) {
    const lines = Array.from({ length: N }, (_, i) => ({
      line: i + 1,
      value: { kind, dept: '信访办', visitedOn: `2024-${String((i % 12) + 1).padStart(2, '0')}-10`, visitor: `来访人${i}`, phone: `1390000${String(i).padStart(4, '0')}`, subject: `事项${i}`, channel: '来访' },
    }));
    await importLines(ctx, systemActor(), 'town', lines);
  }
  const sys = systemActor();
  const list = (kind: string) => () => listRecords(ctx, sys, kind, { page: 3, pageSize: 100 });
  const exp = (kind: string) => async () => {
    let n = 0;
    for await (const _ of exportLines(ctx, sys, { orgCode: 'town', kind })) n++;
    return n;
  };
  await time(list('visit_plain'), 3);
  await time(list('visit_sealed'), 3);
  const lp = await time(list('visit_plain'), 30);
  const ls = await time(list('visit_sealed'), 30);
  const ep = await time(exp('visit_plain'), 3);
  const es = await time(exp('visit_sealed'), 3);
  report(`${label}: list page of 100 (of ${fmt(N)}), PII sealed vs plain`, `${ls.toFixed(1)} ms vs ${lp.toFixed(1)} ms`, `ratio ${(ls / lp).toFixed(2)}, target ≤ 1.5`, ls / lp <= 1.5);
  report(`${label}: export of ${fmt(N)} records, PII sealed vs plain`, `${fmt(es)} ms vs ${fmt(ep)} ms`, `ratio ${(es / ep).toFixed(2)}`, true);
}

export async function benchPii(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-bench-pii-'));
  const s = openStorage({ dataDir: dir, databaseUrl: '' });
  try {
    await benchOne('SQLite', s);
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
    await benchOne('PostgreSQL', pg.storage);
  } finally {
    await pg.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPii();
