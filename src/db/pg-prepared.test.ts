import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import { PLAN_PER_CALL, preparedStatementsEnabled } from './pg-prepared';

const pg = testDialects().includes('postgres');

describe('named prepared statements', () => {
  it('are on unless FAZHI_PG_PREPARE=0', () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ FAZHI_PG_PREPARE: '1' })).toBe(true);
    expect(preparedStatementsEnabled({ FAZHI_PG_PREPARE: '0' })).toBe(false);
  });
});

describe.runIf(pg)('named prepared statements on PostgreSQL', () => {
  let s: TestStorage;
  beforeAll(async () => {
    s = await openTestStorage('postgres');
  });
  afterAll(async () => s?.dispose());

  /** The named statements of the connection a transaction runs on, and what a statement there answers. */
  async function onOneConnection<T>(fn: (trx: Parameters<Parameters<ReturnType<TestStorage['db']['transaction']>['execute']>[0]>[0]) => Promise<T>) {
    return s.db.transaction().execute(async (trx) => {
      const out = await fn(trx);
      const named = (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)).rows;
      return { out, named };
    });
  }

  it('names a data statement once per connection and reuses it, with the right answers each time', async () => {
    const { out, named } = await onOneConnection(async (trx) => {
      const a = await trx.selectFrom('org_units').select('id').where('id', '>', -1).where('code', '=', 'x-none').execute();
      const b = await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(trx);
      const c = await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(trx);
      const d = await sql<{ n: number }>`select ${1}::int + 1 as n`.execute(trx);
      return [a.length, b.rows[0]!.n, c.rows[0]!.n, d.rows[0]!.n];
    });
    expect(out).toEqual([0, 42, 42, 2]);
    const plus = named.filter((n) => n.statement.includes('::int + 1'));
    expect(plus).toHaveLength(1); // one name for the text, whatever its parameters
    expect(plus[0]!.name).toMatch(/^fz\d+$/);
    expect(named.some((n) => /^begin/i.test(n.statement))).toBe(false); // utility statements stay unnamed
  });

  it('leaves a statement marked to be planned per call unnamed', async () => {
    const { out, named } = await onOneConnection(async (trx) => {
      const q = () => trx.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', 0).modifyEnd(PLAN_PER_CALL).executeTakeFirstOrThrow();
      await q();
      return Number((await q()).n);
    });
    expect(out).toBeGreaterThanOrEqual(0);
    expect(named.filter((n) => n.statement.includes('plan per call'))).toEqual([]);
  });

  it('names at most 256 texts per connection and sends the rest unnamed, still answering them', async () => {
    const { out, named } = await onOneConnection(async (trx) => {
      const answers: number[] = [];
      for (let i = 0; i < 300; i++) answers.push((await sql<{ n: number }>`select ${i}::int + ${sql.lit(i)} as n`.execute(trx)).rows[0]!.n);
      return answers;
    });
    expect(out).toEqual(Array.from({ length: 300 }, (_, i) => 2 * i));
    expect(named.length).toBeLessThanOrEqual(256);
    expect(named.filter((n) => /::int \+ \d+ as n/.test(n.statement)).length).toBeGreaterThan(200);
  });

  it('answers with the table as it is after a change of the table a named statement selects * from', async () => {
    await sql`create table prep_probe (a int)`.execute(s.db);
    await sql`insert into prep_probe values (1)`.execute(s.db);
    const rows = await s.db.connection().execute(async (c) => {
      const read = () => sql<Record<string, number>>`select * from prep_probe where a = ${1}`.execute(c);
      for (let i = 0; i < 6; i++) await read(); // past the plan cache's custom plans
      await sql`alter table prep_probe add column b int default 7`.execute(c);
      // PostgreSQL analyses a protocol-level prepared statement again after the change: the new column is there.
      const first = await read().then((r) => r.rows, (e: { code?: string }) => e.code);
      const again = await read();
      return { first, again: again.rows };
    });
    expect(rows.first).toEqual([{ a: 1, b: 7 }]);
    expect(rows.again).toEqual([{ a: 1, b: 7 }]);
  });
});
