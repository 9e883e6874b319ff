import type pg from 'pg';
import { sql } from 'kysely';

/**
 * Named prepared statements on PostgreSQL, one set per pool connection.
 *
 * Kysely sends every statement unnamed, so PostgreSQL plans it anew on every call. On `records`
 * planning is a large part of a short statement's cost: the planner weighs each of the table's
 * partial indexes (one per filterable field of every kind) against the WHERE clause, 0.7–1.2 ms
 * for a list's count or page. A named statement is parsed once per connection, and after five
 * executions PostgreSQL's plan cache may keep a generic plan (it does when that plan costs no more
 * than the custom ones), so a repeated list, read or session check is planned no more. The kind is
 * written into the SQL as a literal (db/records-repo.ts kindIs), so a generic plan still proves
 * the kind's partial indexes usable.
 *
 * Only data statements are named (utility statements such as BEGIN gain nothing). A connection
 * names at most MAX_NAMED different texts — an IN list of each length is a text of its own — and
 * sends the rest unnamed, so neither the client's nor the server's per-connection memory grows
 * without bound. PostgreSQL analyses and plans a named statement again by itself when a table or
 * index it uses changes (a migration, a kind's new field indexes), `select *` included (test beside);
 * should it ever refuse one ("cached plan must not change result type", 0A000), that text loses its
 * name, so its next call is prepared anew.
 *
 * Off with FAZHI_PG_PREPARE=0 (for a pooler in transaction mode that cannot keep named
 * statements across transactions).
 */

const MAX_NAMED = 256;

/**
 * Written into a statement whose best plan depends on its values, so that it stays unnamed and is
 * planned on every call. A list's capped count (a LIMIT over the matches) is one: a generic plan cannot
 * see how many records match a field value (it guesses a few hundred), and at a million records it
 * walked the index row by row where the real 83,000 matches need a bitmap read (213 ms against 128 ms).
 */
const PLAN_PER_CALL_TEXT = '/* plan per call */';
export const PLAN_PER_CALL = sql.raw(PLAN_PER_CALL_TEXT);
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

type QueryFn = (...args: unknown[]) => unknown;

export function preparedStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FAZHI_PG_PREPARE !== '0';
}

/** Makes the client name its data statements (called once per new pool connection). */
export function namePreparedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let next = 0;
  const original = client.query.bind(client) as QueryFn;
  const named: QueryFn = (...args) => {
    const [text, values] = args;
    // Kysely's call: (sql, parameters). Config objects, cursors and callbacks pass through unchanged.
    if (typeof text !== 'string' || !Array.isArray(values) || args.length !== 2 || !DATA_STATEMENT.test(text) || text.includes(PLAN_PER_CALL_TEXT)) return original(...args);
    let name = names.get(text);
    if (name === undefined) {
      if (names.size >= MAX_NAMED) return original(text, values);
      name = `fz${++next}`;
      names.set(text, name);
    }
    const result = original({ name, text, values }) as Promise<unknown>;
    return result.catch((e: unknown) => {
      if ((e as { code?: string }).code === '0A000') names.delete(text);
      throw e;
    });
  };
  (client as unknown as { query: QueryFn }).query = named;
}
