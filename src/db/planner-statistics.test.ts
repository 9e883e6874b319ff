import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { refreshPlannerStatistics, refreshStatisticsAtStart } from './planner-statistics';
import { openStorage } from './connect';
import { migrate } from './migrations';
import { plannerStatisticsJob } from '../jobs/planner-statistics-job';
import { createContext } from '../app/context';

/** Rows of one kind straight into `records`: what the statistics are about, not how rows arrive. */
async function fill(s: TestStorage, n: number): Promise<void> {
  const org = await s.db.insertInto('org_units').values({ code: 't', name: '甲镇', level: '镇', parent_id: null, path: '/1/' }).returning('id').executeTakeFirstOrThrow();
  const dept = await s.db.insertInto('departments').values({ org_id: org.id, name: '司法所' }).returning('id').executeTakeFirstOrThrow();
  const at = '2025-01-01T00:00:00.000Z';
  await sql`with recursive c(i) as (select 1 union all select i + 1 from c where i < ${n})
    insert into records (kind, org_id, dept_id, occurred_on, data, version, created_at, updated_at)
    select 'training', ${org.id}, ${dept.id}, '2025-01-01', jsonb(json_object('trainingType', case when i % 10 = 0 then '执法人员培训' else '其他' end, 'attendees', i % 50)), 1, ${at}, ${at} from c`.execute(s.db);
}

const stat = async (s: TestStorage, table: 'sqlite_stat1' | 'sqlite_stat4') => {
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_schema where name = ${table}`.execute(s.db);
  if (!Number(exists.rows[0]!.n)) return 0;
  return Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where tbl = 'records'`.execute(s.db)).rows[0]!.n);
};

describe('planner statistics on SQLite', () => {
  let s: TestStorage;
  afterEach(async () => s?.dispose());

  it('the server analyses a table it never analysed and keeps the per-index counts, never the histograms', async () => {
    s = await openTestStorage('sqlite');
    await fill(s, 2000);
    expect(await stat(s, 'sqlite_stat1')).toBe(0);
    await refreshPlannerStatistics(s);
    expect(await stat(s, 'sqlite_stat1')).toBeGreaterThan(0);
    expect(await stat(s, 'sqlite_stat4')).toBe(0);
  });

  it('a complete ANALYZE (after a bulk load) would write histograms; they are emptied in the same step', async () => {
    s = await openTestStorage('sqlite');
    await fill(s, 2000);
    // What plain ANALYZE does in this build (SQLITE_ENABLE_STAT4), so that the test below means something.
    await sql`analyze`.execute(s.db);
    expect(await stat(s, 'sqlite_stat4')).toBeGreaterThan(0);
    await refreshPlannerStatistics(s, { full: true });
    expect(await stat(s, 'sqlite_stat1')).toBeGreaterThan(0);
    expect(await stat(s, 'sqlite_stat4')).toBe(0);
  });

  it('runs as the periodic job and says so in Chinese; the interval comes from FAZHI_STATISTICS_HOURS', async () => {
    s = await openTestStorage('sqlite');
    await fill(s, 500);
    const job = plannerStatisticsJob({ FAZHI_STATISTICS_HOURS: '12' });
    expect(job.intervalMs).toBe(12 * 3_600_000);
    expect(await job.run(createContext(s))).toMatch(/^查询统计信息已更新（\d+ ms）$/);
    expect(await stat(s, 'sqlite_stat1')).toBeGreaterThan(0);
    expect(() => plannerStatisticsJob({ FAZHI_STATISTICS_HOURS: '0' })).toThrow('FAZHI_STATISTICS_HOURS 必须是正数');
    expect(() => plannerStatisticsJob({ FAZHI_STATISTICS_HOURS: '每天' })).toThrow('FAZHI_STATISTICS_HOURS 必须是正数');
  });
});

describe('planner statistics at a start', () => {
  it('a database another process keeps write-locked does not stop the start: the operator is told', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-stats-'));
    const storage = openStorage({ dataDir: dir, databaseUrl: '' });
    const other = new Database(path.join(dir, 'fazhi.db'));
    try {
      await migrate(storage.db, storage.dialect);
      storage.sqlite!.pragma('busy_timeout = 50'); // the server waits 5 s; the test need not
      other.exec('begin immediate');
      const told: string[] = [];
      await refreshStatisticsAtStart(storage, (m) => told.push(m));
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/^查询统计信息未能在启动时更新（稍后由定时任务更新）：.*locked/);
      other.exec('rollback');
      // Once the lock is gone the same call updates them and says nothing.
      await refreshStatisticsAtStart(storage, (m) => told.push(m));
      expect(told).toHaveLength(1);
    } finally {
      other.close();
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testDialects().filter((d) => d === 'postgres'))('planner statistics on %s', (dialect) => {
  it('leaves PostgreSQL to autovacuum: nothing is run', async () => {
    const s = await openTestStorage(dialect);
    try {
      const before = await sql<{ n: string }>`select count(*) as n from pg_stat_user_tables where last_analyze is not null`.execute(s.db);
      await refreshPlannerStatistics(s);
      const after = await sql<{ n: string }>`select count(*) as n from pg_stat_user_tables where last_analyze is not null`.execute(s.db);
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    } finally {
      await s.dispose();
    }
  });
});
