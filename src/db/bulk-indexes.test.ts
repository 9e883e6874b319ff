import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import { createContext, systemActor, type AppContext } from '../app/context';
import { seedOrgsAndUsers } from '../app/seed';
import { importLines } from '../app/exchange';
import { listRecords } from '../app/records';
import { BULK_REBUILD_MIN } from './bulk-indexes';

describe.each(testDialects())('a bulk import and the field indexes on %s', (dialect) => {
  let s: TestStorage;
  let ctx: AppContext;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    ctx = createContext(s, () => new Date('2025-12-20T02:00:00Z'));
    await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: ['司法所', '党政办公室'] }], []);
  });
  afterAll(async () => s?.dispose());

  const indexes = async () =>
    dialect === 'sqlite'
      ? (await sql<{ name: string; sql: string; rootpage?: number }>`select name, sql, rootpage from sqlite_master where type = 'index' and name like 'rf_training%' order by name`.execute(s.db)).rows
      : (await sql<{ name: string; sql: string; rootpage?: number }>`select indexname as name, indexdef as sql from pg_indexes where indexname like 'rf_training%' order by indexname`.execute(s.db)).rows;

  it('leaves every field index of the kind as it was, and the lists that use them give the imported rows', async () => {
    const before = await indexes();
    expect(before.length).toBeGreaterThan(2);
    const n = BULK_REBUILD_MIN + 10;
    const lines = Array.from({ length: n }, (_, i) => ({
      line: i + 1,
      value: { kind: 'training', dept: i % 2 ? '司法所' : '党政办公室', title: `培训${i}`, heldOn: `2025-0${(i % 9) + 1}-15`, trainingType: i % 3 ? '警示教育' : '以案释法', attendees: i % 40 },
    }));
    expect((await importLines(ctx, systemActor(), 'town', lines)).created).toBe(n);
    // Dropped and built again inside the import on SQLite (db/bulk-indexes.ts: new B-trees, so new root
    // pages, from the same definitions), untouched on PostgreSQL.
    const after = await indexes();
    const defs = (xs: typeof before) => xs.map((x) => [x.name, x.sql]);
    expect(defs(after)).toEqual(defs(before));
    if (dialect === 'sqlite') expect(after.every((x, i) => x.rootpage !== before[i]!.rootpage)).toBe(true);
    const byType = await listRecords(ctx, systemActor(), 'training', { page: 1, pageSize: 1, filters: { trainingType: '以案释法' } });
    expect(byType.total).toBe(lines.filter((l) => l.value.trainingType === '以案释法').length);
    const byCount = await listRecords(ctx, systemActor(), 'training', { page: 1, pageSize: 1, filters: { 'attendees.from': '39' } });
    expect(byCount.total).toBe(lines.filter((l) => l.value.attendees >= 39).length);
  }, 120_000); // thousands of rows written twice: minutes on a loaded machine, not the default 30 s
});
