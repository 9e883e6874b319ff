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

  const summaryTriggers = async () =>
    dialect === 'sqlite'
      ? (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'records' order by name`.execute(s.db)).rows
      : (await sql<{ name: string; sql: string }>`select tgname as name, pg_get_triggerdef(oid) as sql from pg_trigger where tgrelid = 'records'::regclass and not tgisinternal order by tgname`.execute(s.db)).rows;
  const marks = async (kind: string) => (await s.db.selectFrom('metric_dirty').select('org_id').where('kind', '=', kind).execute()).map((m) => m.org_id);

  it('leaves the summary marks the row-by-row trigger would, and the trigger itself as it was', async () => {
    const before = await summaryTriggers();
    expect(before.some((t) => t.name.startsWith('records_summary_ins'))).toBe(true); // _insert on PostgreSQL
    const org = await s.db.selectFrom('org_units').select('id').where('code', '=', 'town').executeTakeFirstOrThrow();
    await s.db.deleteFrom('metric_dirty').where('kind', '=', 'dispute').execute();
    const r = await importLines(ctx, systemActor(), 'town', disputes(BULK_REBUILD_MIN + 5, '甲'));
    expect(r.created).toBe(BULK_REBUILD_MIN + 5);
    // The org unit is marked (on SQLite once, by the import itself while the trigger was away; on
    // PostgreSQL once per statement of the COPY).
    const marked = await marks('dispute');
    expect(new Set(marked)).toEqual(new Set([org.id]));
    if (dialect === 'sqlite') expect(marked).toHaveLength(1);
    expect(await summaryTriggers()).toEqual(before);
    // The trigger is back: a single write marks again.
    await s.db.deleteFrom('metric_dirty').where('kind', '=', 'dispute').execute();
    await sql`update records set version = version where id = (select max(id) from records where kind = 'dispute')`.execute(s.db);
    expect(await marks('dispute')).toContain(org.id);
  }, 120_000);

  it('keeps the trigger, and writes neither rows nor marks, when a bulk import fails inside its write', async () => {
    const before = await summaryTriggers();
    await s.db.deleteFrom('metric_dirty').where('kind', '=', 'dispute').execute();
    const count = async () => Number((await s.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'dispute').executeTakeFirstOrThrow()).n);
    const held = await count();
    const lines = disputes(BULK_REBUILD_MIN + 5, '丙');
    (lines.at(-1)!.value as Record<string, unknown>).disputeType = 'BOOM';
    // The database refuses the file's last row: on SQLite after the trigger went away.
    if (dialect === 'sqlite')
      await sql`create trigger bulk_guard before insert on records when json_extract(new.data, '$.disputeType') = 'BOOM' begin select raise(abort, 'guard'); end`.execute(s.db);
    else {
      await sql`create function bulk_guard() returns trigger language plpgsql as $$ begin raise exception 'guard'; end $$`.execute(s.db);
      await sql`create trigger bulk_guard before insert on records for each row when (new.data ->> 'disputeType' = 'BOOM') execute function bulk_guard()`.execute(s.db);
    }
    try {
      await expect(importLines(ctx, systemActor(), 'town', lines)).rejects.toThrow(/guard/);
    } finally {
      await sql`drop trigger bulk_guard${sql.raw(dialect === 'postgres' ? ' on records' : '')}`.execute(s.db);
    }
    expect((await summaryTriggers()).filter((t) => t.name !== 'bulk_guard')).toEqual(before);
    expect(await marks('dispute')).toEqual([]);
    expect(await count()).toBe(held);
  }, 120_000);
});

function disputes(n: number, party: string) {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    value: { kind: 'dispute', dept: '司法所', registeredOn: `2025-0${(i % 9) + 1}-10`, source: '群众申请', disputeType: `邻里纠纷${party}${i}`, partiesCount: 2 },
  }));
}
