import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import type { DB } from './schema';
import { fieldColumnName, fieldIndexName, hasFieldColumn, indexedFields, syncFieldIndexes } from './field-indexes';
import { migrate } from './migrations';
import { refreshPlannerStatistics } from './planner-statistics';
import { createContext, systemActor } from '../app/context';
import { seedOrgsAndUsers } from '../app/seed';
import { importLines, type ExchangeLine } from '../app/exchange';
import { listRecords, type ListQuery } from '../app/records';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import { training } from '../core/ledgers/kinds/training';

const TYPES = ['执法人员培训', '领导干部学法', '工作人员培训', '警示教育', '以案释法', '其他'];
const N = 3000; // per town: enough rows that a planner's choice of index says something

interface Captured {
  sql: string;
  params: readonly unknown[];
}

function trainingLines(seed: number): ExchangeLine[] {
  const out: ExchangeLine[] = [];
  for (let i = 0; i < N; i++) {
    const day = new Date(Date.UTC(2022 + (i % 3), 0, 1 + ((i * 7 + seed) % 360))).toISOString().slice(0, 10);
    // The two values the tests filter on are rare (2.5% each), as a filter worth an index is: with a
    // value every sixth record has, a planner rightly prefers to walk the date index and stop at the page.
    const trainingType = i % 40 === 0 ? '执法人员培训' : i % 40 === 1 ? '警示教育' : TYPES[2 + ((i * 5 + seed) % 4)];
    out.push({ line: i + 1, value: { kind: 'training', dept: '司法所', title: `培训${seed}-${i}`, heldOn: day, trainingType, attendees: (i * 13) % 97, hours: i % 8 } });
  }
  return out;
}

async function indexNames(s: TestStorage): Promise<string[]> {
  const r =
    s.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'records'`.execute(s.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'records'`.execute(s.db);
  return r.rows.map((x) => x.name);
}

describe.each(testDialects())('field indexes on %s', (dialect) => {
  let s: TestStorage;
  let logged: Kysely<DB>;
  let pool: pg.Pool | undefined;
  const captured: Captured[] = [];
  let townId = 0;

  beforeAll(async () => {
    s = await openTestStorage(dialect);
    const ctx = createContext(s);
    await seedOrgsAndUsers(
      ctx,
      [
        { code: 'dist', name: '测试区', level: '区', depts: ['司法所'] },
        { code: 'town_a', name: '甲镇', level: '镇', parent: 'dist', depts: ['司法所'] },
        { code: 'town_b', name: '乙镇', level: '镇', parent: 'dist', depts: ['司法所'] },
      ],
      [],
    );
    await importLines(ctx, systemActor(), 'town_a', trainingLines(1));
    await importLines(ctx, systemActor(), 'town_b', trainingLines(2));
    // The statistics the server keeps after a bulk load: on SQLite its own `PRAGMA optimize`, histograms
    // left out (db/planner-statistics.ts); on PostgreSQL what autovacuum would do.
    if (dialect === 'sqlite') await refreshPlannerStatistics(s);
    else await sql`analyze`.execute(s.db);
    townId = (await s.db.selectFrom('org_units').select('id').where('code', '=', 'town_a').executeTakeFirstOrThrow()).id;
    // A second handle on the same database that records every statement the list runs.
    const log = (e: LogEvent) => {
      if (e.level === 'query') captured.push({ sql: e.query.sql, params: e.query.parameters });
    };
    if (dialect === 'sqlite') logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: s.sqlite! }), log });
    else {
      pool = new pg.Pool({ connectionString: s.url!, max: 1 });
      logged = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
    }
  }, 120_000);
  afterAll(async () => {
    if (pool) await logged.destroy();
    await s.dispose();
  });

  /** The plan of a statement: SQLite's EXPLAIN QUERY PLAN lines, or PostgreSQL's plan nodes as "Node Type on relation using index". */
  async function plan(c: Captured, pgSettings = ''): Promise<string[]> {
    if (dialect === 'sqlite') return (s.sqlite!.prepare(`explain query plan ${c.sql}`).all(...(c.params as unknown[])) as { detail: string }[]).map((r) => r.detail);
    const client = await pool!.connect();
    let r: pg.QueryResult;
    try {
      if (pgSettings) await client.query(pgSettings);
      r = await client.query(`explain (format json) ${c.sql}`, c.params as unknown[]);
    } finally {
      if (pgSettings) await client.query('reset all');
      client.release();
    }
    const out: string[] = [];
    const walk = (n: Record<string, unknown>) => {
      out.push([n['Node Type'], n['Relation Name'] ? `on ${String(n['Relation Name'])}` : '', n['Index Name'] ? `using ${String(n['Index Name'])}` : ''].filter(Boolean).join(' '));
      for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((r.rows[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0]!.Plan);
    return out;
  }

  /** Runs a list as the system and returns the plans of the statements that read the kind (the count and the page of ids). */
  async function listPlans(q: Partial<ListQuery>, pgSettings = '') {
    captured.length = 0;
    const res = await listRecords(createContext({ ...s, db: logged }), systemActor(), 'training', { page: 2, pageSize: 20, ...q });
    // The kind's size (db/kind-sizes.ts, counted once a minute to choose how the list counts) aside.
    const reads = captured.filter((c) => /"records"\."kind" = 'training'/.test(c.sql) && !/as "kind_size"/.test(c.sql));
    expect(reads).toHaveLength(2); // the count, then the page of ids
    return { res, count: await plan(reads[0]!, pgSettings), page: await plan(reads[1]!, pgSettings) };
  }

  const fullScan = (lines: string[]) =>
    lines.filter((l) => (dialect === 'sqlite' ? /^SCAN records\b/.test(l) : /^Seq Scan on records/.test(l)));
  const usesIndex = (lines: string[], name: string) =>
    lines.some((l) => (dialect === 'sqlite' ? l.startsWith('SEARCH records USING') && l.includes(`INDEX ${name} `) : l.endsWith(`using ${name}`)));

  it('creates an index for every filterable, non-personal field of every built-in kind', async () => {
    const names = new Set(await indexNames(s));
    for (const def of BUILTIN_LEDGERS) for (const f of indexedFields(def)) expect(names, `${def.kind}.${f.key}`).toContain(fieldIndexName(def.kind, f.key));
    // Personal data and the kind's date field (read from occurred_on) get none.
    const enforcement = BUILTIN_LEDGERS.find((d) => d.kind === 'enforcement_case')!;
    for (const f of enforcement.fields.filter((x) => x.pii)) expect(names).not.toContain(fieldIndexName('enforcement_case', f.key));
    expect(names).not.toContain(fieldIndexName('training', 'heldOn'));
    expect(indexedFields(training).map((f) => f.key)).toEqual(['trainingType', 'attendees', 'hours', 'organizer']);
  });

  it('a field filter with the date-field sort and a year reads one range of the field index, count included', async () => {
    const { res, count, page } = await listPlans({ orgId: townId, year: 2023, filters: { trainingType: '执法人员培训' }, sort: 'heldOn', order: 'desc' });
    for (const p of [count, page]) {
      expect(fullScan(p), p.join('\n')).toEqual([]);
      expect(usesIndex(p, 'rf_training__trainingType'), p.join('\n')).toBe(true);
    }
    // The date field sorts by the occurred_on column, which the index holds in order after the field
    // and the town: SQLite reads the page in order with no sort step (PostgreSQL may still choose to
    // sort a few hundred matches of a bitmap read at this size; at 100,000 it reads backwards).
    expect(captured.find((c) => /limit/.test(c.sql) && /order by "records"\."occurred_on" desc/.test(c.sql))).toBeDefined();
    if (dialect === 'sqlite') expect(page.filter((l) => /TEMP B-TREE/.test(l)), page.join('\n')).toEqual([]);
    // And the answer is right: the same page computed from the imported lines.
    const expected = trainingLines(1)
      .map((l) => l.value as { title: string; heldOn: string; trainingType: string })
      .filter((v) => v.trainingType === '执法人员培训' && v.heldOn.startsWith('2023'));
    expect(res.total).toBe(expected.length);
    const got = res.items.map((r) => r.data.heldOn as string);
    const want = expected.map((v) => v.heldOn).sort().reverse().slice(20, 40);
    expect(got).toEqual(want);
  });

  it('the count of a field filter is answered from the field index alone', async () => {
    // PostgreSQL answers from an index alone only for pages its visibility map marks all-visible, as
    // autovacuum leaves them after a load.
    if (dialect === 'postgres') await sql`vacuum analyze records`.execute(s.db);
    // SQLite reads its expression index as covering. PostgreSQL can read the index on the generated
    // column without visiting the table; with an expression index it could not, whatever its costs. At
    // this test's few matches it may still prefer a bitmap read by cost, so bitmaps are set aside to
    // ask whether the index-only path exists (at the benchmark's 8,000 matches it is the one chosen).
    const { res, count } = await listPlans({ orgId: townId, year: 2023, filters: { trainingType: '执法人员培训' } }, 'set enable_bitmapscan = off');
    const indexOnly = dialect === 'sqlite' ? /^SEARCH records USING COVERING INDEX rf_training__trainingType / : /^Index Only Scan on records using rf_training__trainingType$/;
    expect(count.some((l) => indexOnly.test(l)), count.join('\n')).toBe(true);
    expect(res.total).toBe(trainingLines(1)
        .map((l) => l.value as { trainingType: string; heldOn: string })
        .filter((v) => v.trainingType === '执法人员培训' && v.heldOn.startsWith('2023')).length);
  });

  it('on PostgreSQL the built-in kinds keep their indexed fields in generated columns, custom kinds and SQLite none', async () => {
    const type = training.fields.find((f) => f.key === 'trainingType')!;
    expect(hasFieldColumn(dialect, 'training', type)).toBe(dialect === 'postgres');
    expect(hasFieldColumn(dialect, 'patrol_log', type)).toBe(false);
    const cols = (
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from pragma_table_info('records')`.execute(s.db)
        : await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'records'`.execute(s.db)
    ).rows.map((r) => r.name);
    const expected = dialect === 'postgres' ? BUILTIN_LEDGERS.flatMap((d) => indexedFields(d).map((f) => fieldColumnName(d.kind, f.key))) : [];
    expect(cols.filter((c) => c.startsWith('fv_')).sort()).toEqual(expected.sort());
    if (dialect !== 'postgres') return;
    // The column holds the field's value for its own kind (a bool as 1/0, a number as a number), null for any other.
    const row = await sql<{ t: string | null; a: string | null; other: string | null }>`
      select ${sql.ref(fieldColumnName('training', 'trainingType'))} as t, ${sql.ref(fieldColumnName('training', 'attendees'))} as a,
             ${sql.ref(fieldColumnName('task', 'area'))} as other, data->>'trainingType' as dt, data->>'attendees' as da
      from records where kind = 'training' limit 1`.execute(s.db);
    const r = row.rows[0] as unknown as { t: string; a: string; other: string | null; dt: string; da: string };
    expect(r.t).toBe(r.dt);
    expect(Number(r.a)).toBe(Number(r.da));
    expect(r.other).toBeNull();
  });

  it('an upgrade replaces an index of the expression form by the same field\'s index of the current form', async () => {
    const name = fieldIndexName('training', 'trainingType');
    const defOf = async () =>
      dialect === 'sqlite'
        ? (await sql<{ d: string }>`select sql as d from sqlite_master where name = ${name}`.execute(s.db)).rows[0]?.d
        : (await sql<{ d: string }>`select indexdef as d from pg_indexes where indexname = ${name}`.execute(s.db)).rows[0]?.d;
    const current = await defOf();
    // As an older release left it: on PostgreSQL on the expression over data, without the generated
    // column; SQLite's form has not changed.
    await sql`drop index ${sql.id(name)}`.execute(s.db);
    if (dialect === 'sqlite') await sql.raw(current!).execute(s.db);
    else {
      await sql`alter table records drop column ${sql.id(fieldColumnName('training', 'trainingType'))}`.execute(s.db);
      await sql`create index ${sql.id(name)} on records ((data ->> 'trainingType'), org_id, occurred_on, id) where kind = 'training' and deleted_at is null`.execute(s.db);
      expect(await defOf()).not.toBe(current);
    }
    await s.db.deleteFrom('settings').where('key', '=', 'field_indexes').execute();
    await syncFieldIndexes(s.db, s.dialect, BUILTIN_LEDGERS);
    expect(await defOf()).toBe(current);
    const { res } = await listPlans({ orgId: townId, filters: { trainingType: '警示教育' } });
    expect(res.total).toBe(trainingLines(1).filter((l) => (l.value as { trainingType: string }).trainingType === '警示教育').length);
  });

  it('a field filter with a sort on another field reads the filter field index range, never the whole kind', async () => {
    // Sorted by a plain text field (no index of its own): the filter's index range, then a sort of its matches.
    // (Sorted by another indexed field, a planner may instead walk that field's index in order and stop
    // at the page — its choice by cost, which the first test's date sort shows needs no sort at all.)
    const { res, count, page } = await listPlans({ orgId: townId, filters: { trainingType: '警示教育' }, sort: 'title', order: 'asc' });
    for (const p of [count, page]) {
      expect(fullScan(p), p.join('\n')).toEqual([]);
      expect(usesIndex(p, 'rf_training__trainingType'), p.join('\n')).toBe(true);
    }
    const titles = res.items.map((r) => r.data.title as string);
    expect(titles).toEqual([...titles].sort());
    expect(res.items.every((r) => r.data.trainingType === '警示教育')).toBe(true);
  });

  it('a numeric range filter across towns uses the numeric field index', async () => {
    // Sorted by a field without an index (plain text), so the only ordered path would be the whole kind.
    const { res, count, page } = await listPlans({ filters: { 'attendees.from': '95' }, sort: 'title', order: 'desc' });
    for (const p of [count, page]) {
      expect(fullScan(p), p.join('\n')).toEqual([]);
      expect(usesIndex(p, 'rf_training__attendees'), p.join('\n')).toBe(true);
    }
    const all = [...trainingLines(1), ...trainingLines(2)].filter((l) => (l.value as { attendees: number }).attendees >= 95);
    expect(res.total).toBe(all.length);
  });

  it('a filter on the date field reads occurred_on', async () => {
    const { res, page } = await listPlans({ orgId: townId, filters: { 'heldOn.from': '2024-12-01', 'heldOn.to': '2024-12-31' } });
    expect(fullScan(page), page.join('\n')).toEqual([]);
    expect(res.items.length).toBeGreaterThan(0);
    expect(res.items.every((r) => (r.data.heldOn as string) >= '2024-12-01' && (r.data.heldOn as string) <= '2024-12-31')).toBe(true);
  });

  it('a custom kind gets its indexes when defined, a new version adds those of its new fields, and a field that becomes personal loses its index', async () => {
    const ctx = createContext(s);
    const base = {
      kind: 'patrol_log',
      label: '巡查记录',
      occurredOn: 'patrolledOn',
      fields: [
        { key: 'patrolledOn', label: '巡查日期', type: 'date', required: true },
        { key: 'area', label: '片区', type: 'enum', options: ['东', '西'] },
        { key: 'note', label: '备注', type: 'text' },
        { key: 'inspector', label: '巡查人', type: 'person', pii: true },
      ],
    };
    await s.db.transaction().execute((trx) => ctx.registry.define(trx, base, null, '2026-01-01T00:00:00Z'));
    let names = await indexNames(s);
    expect(names).toContain(fieldIndexName('patrol_log', 'area'));
    expect(names).not.toContain(fieldIndexName('patrol_log', 'note')); // plain text is not searchable unless declared
    expect(names).not.toContain(fieldIndexName('patrol_log', 'inspector'));
    const v2 = { ...base, fields: [...base.fields, { key: 'road', label: '路段', type: 'text', searchable: true }, { key: 'issues', label: '问题数', type: 'int' }] };
    await s.db.transaction().execute((trx) => ctx.registry.define(trx, v2, null, '2026-01-02T00:00:00Z'));
    names = await indexNames(s);
    expect(names).toContain(fieldIndexName('patrol_log', 'road'));
    expect(names).toContain(fieldIndexName('patrol_log', 'issues'));
    // Starting again (migrate) keeps them; a definition that no longer asks for one drops it.
    await migrate(s.db, s.dialect);
    expect(await indexNames(s)).toContain(fieldIndexName('patrol_log', 'road'));
    const withoutArea = { ...training, fields: training.fields.map((f) => (f.key === 'hours' ? { ...f, pii: true } : f)) };
    await syncFieldIndexes(s.db, s.dialect, [...BUILTIN_LEDGERS.filter((d) => d.kind !== 'training'), withoutArea]);
    expect(await indexNames(s)).not.toContain(fieldIndexName('training', 'hours'));
    await syncFieldIndexes(s.db, s.dialect, BUILTIN_LEDGERS);
    expect(await indexNames(s)).toContain(fieldIndexName('training', 'hours'));
  });
});
