import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import type { DB } from './schema';
import { blindIndexName, blindIndexedFields } from './field-indexes';
import { createContext, systemActor } from '../app/context';
import { seedOrgsAndUsers } from '../app/seed';
import { importLines, type ExchangeLine } from '../app/exchange';
import { listRecords } from '../app/records';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';

const N = 3000; // per town: enough rows that the planner's choice says something

interface Captured {
  sql: string;
  params: readonly unknown[];
}

/** Petitions of N different people (a few write twice), so a name matches one or two records. */
function petitionLines(seed: number): ExchangeLine[] {
  const out: ExchangeLine[] = [];
  for (let i = 0; i < N; i++) {
    const day = new Date(Date.UTC(2023 + (i % 2), 0, 1 + ((i * 7 + seed) % 360))).toISOString().slice(0, 10);
    out.push({ line: i + 1, value: { kind: 'petition', dept: '信访办', registeredOn: day, channel: '来信', petitioner: `居民${seed}-${i % (N - 10)}`, subject: `事项${i}` } });
  }
  return out;
}

/**
 * Equality filters on a personal field compare its keyed blind index in `records.pii_index`
 * (the value itself is ciphertext): an expression index per field (`rp_<kind>__<field>`) keeps
 * them off a scan of every record of the kind, on both databases.
 */
describe.each(testDialects())('blind-index indexes on %s', (dialect) => {
  let s: TestStorage;
  let logged: Kysely<DB>;
  let pool: pg.Pool | undefined;
  const captured: Captured[] = [];

  beforeAll(async () => {
    s = await openTestStorage(dialect);
    const ctx = createContext(s);
    await seedOrgsAndUsers(
      ctx,
      [
        { code: 'dist', name: '测试区', level: '区', depts: ['信访办'] },
        { code: 'town_a', name: '甲镇', level: '镇', parent: 'dist', depts: ['信访办'] },
        { code: 'town_b', name: '乙镇', level: '镇', parent: 'dist', depts: ['信访办'] },
      ],
      [],
    );
    await importLines(ctx, systemActor(), 'town_a', petitionLines(1));
    await importLines(ctx, systemActor(), 'town_b', petitionLines(2));
    await sql`analyze`.execute(s.db);
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

  async function plan(c: Captured): Promise<string[]> {
    if (dialect === 'sqlite') return (s.sqlite!.prepare(`explain query plan ${c.sql}`).all(...(c.params as unknown[])) as { detail: string }[]).map((r) => r.detail);
    const r = await pool!.query(`explain (format json) ${c.sql}`, c.params as unknown[]);
    const out: string[] = [];
    const walk = (n: Record<string, unknown>) => {
      out.push([n['Node Type'], n['Relation Name'] ? `on ${String(n['Relation Name'])}` : '', n['Index Name'] ? `using ${String(n['Index Name'])}` : ''].filter(Boolean).join(' '));
      for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((r.rows[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0]!.Plan);
    return out;
  }

  it('creates one for every scalar personal field of every built-in kind', async () => {
    const r =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'records'`.execute(s.db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'records'`.execute(s.db);
    const names = new Set(r.rows.map((x) => x.name));
    const wanted = BUILTIN_LEDGERS.flatMap((d) => blindIndexedFields(d).map((f) => blindIndexName(d.kind, f.key)));
    expect(wanted).toEqual(expect.arrayContaining(['rp_petition__petitioner', 'rp_disclosure_request__applicant', 'rp_enforcement_case__party']));
    for (const n of wanted) expect(names, n).toContain(n);
  });

  it('an equality filter on a personal field reads its blind-index index, count and page, and finds the right records', async () => {
    captured.length = 0;
    const name = '居民1-7'; // lines 7 and 2997 of town_a (i % 2990)
    const res = await listRecords(createContext({ ...s, db: logged }), systemActor(), 'petition', { page: 1, pageSize: 20, filters: { petitioner: name } });
    expect(res.total).toBe(2);
    expect(res.items.map((x) => x.data.petitioner)).toEqual([name, name]);
    // The kind's size (db/kind-sizes.ts, counted once a minute to choose how the list counts) aside.
    const reads = captured.filter((c) => /"records"\."kind" = 'petition'/.test(c.sql) && !/as "kind_size"/.test(c.sql));
    expect(reads).toHaveLength(2);
    for (const c of reads) {
      const p = await plan(c);
      const scan = p.filter((l) => (dialect === 'sqlite' ? /^SCAN records\b/.test(l) : /^Seq Scan on records/.test(l)));
      expect(scan, p.join('\n')).toEqual([]);
      const used = p.some((l) => (dialect === 'sqlite' ? l.startsWith('SEARCH records USING') && l.includes('INDEX rp_petition__petitioner ') : l.endsWith('using rp_petition__petitioner')));
      expect(used, p.join('\n')).toBe(true);
    }
  });
});
