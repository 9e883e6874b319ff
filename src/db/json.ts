import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './connect';

/**
 * Expressions over a field of `records.data`. The two databases spell JSON access differently;
 * everything else in the storage layer is plain kysely.
 *
 * The JSON path (SQLite) and the key (PostgreSQL) are written as SQL literals, not bound parameters:
 * the field indexes (`db/field-indexes.ts`) are built on these very expressions, and a planner uses
 * an expression index only when the query's expression is the same text — a `?` in place of
 * `'$.heldOn'` is not. Keys are checked against KEY_RE first, so the literal cannot carry SQL.
 * `table = ''` gives the unqualified column, as an index definition needs.
 */
export function jsonText(dialect: Dialect, key: string, table = 'records'): RawBuilder<string | null> {
  return dialect === 'sqlite'
    ? sql<string | null>`json_extract(${dataRef(table)}, ${pathLiteral(key)})`
    : sql<string | null>`(${dataRef(table)} ->> ${keyLiteral(key)})`;
}

/** Numeric value of a field (null when absent). */
export function jsonNum(dialect: Dialect, key: string, table = 'records'): RawBuilder<number | null> {
  return dialect === 'sqlite'
    ? sql<number | null>`json_extract(${dataRef(table)}, ${pathLiteral(key)})`
    : sql<number | null>`(${dataRef(table)} ->> ${keyLiteral(key)})::numeric`;
}

/** Boolean field as 1/0/null on both databases. */
export function jsonBool(dialect: Dialect, key: string, table = 'records'): RawBuilder<number | null> {
  return dialect === 'sqlite'
    ? sql<number | null>`json_extract(${dataRef(table)}, ${pathLiteral(key)})`
    : sql<number | null>`(case (${dataRef(table)} ->> ${keyLiteral(key)}) when 'true' then 1 when 'false' then 0 end)`;
}

/** Whether a multi-value (array) field contains a value. */
export function jsonArrayContains(dialect: Dialect, key: string, value: string, table = 'records'): RawBuilder<boolean> {
  return dialect === 'sqlite'
    ? sql<boolean>`exists (select 1 from json_each(${dataRef(table)}, ${pathLiteral(key)}) where value = ${value})`
    : sql<boolean>`((${dataRef(table)} -> ${keyLiteral(key)}) @> ${JSON.stringify([value])}::jsonb)`;
}

/**
 * The blind index of a personal field's value in `records.pii_index` (app/crypto/pii-codec.ts), as text:
 * the expression of the `rp_` indexes and of the equality filters on scalar personal fields.
 * `pii_index` is text on both databases (JSON written by the codec).
 */
export function blindText(dialect: Dialect, key: string, table = 'records'): RawBuilder<string | null> {
  const col = sql.ref(table ? `${table}.pii_index` : 'pii_index');
  return dialect === 'sqlite' ? sql<string | null>`json_extract(${col}, ${pathLiteral(key)})` : sql<string | null>`(${col}::jsonb ->> ${keyLiteral(key)})`;
}

const KEY_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
function assertKey(key: string): void {
  // Field keys come from definitions, which are validated; this is the guard that makes the literals below safe.
  if (!KEY_RE.test(key)) throw new Error(`invalid field key ${key}`);
}
const pathLiteral = (key: string) => (assertKey(key), sql.raw(`'$.${key}'`));
const keyLiteral = (key: string) => (assertKey(key), sql.raw(`'${key}'`));
const dataRef = (table: string) => sql.ref(table ? `${table}.data` : 'data');

/**
 * How `records.data` is stored and read. SQLite keeps it as JSONB (its binary JSON, parsed once on
 * write, so metrics extract fields without re-parsing text); PostgreSQL as jsonb. Rows written as
 * JSON text (older rows) read the same way: SQLite's JSON functions accept both.
 */
export function dataValue(dialect: Dialect, json: string): string | RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`jsonb(${json})` : json;
}

/** `records.data` as JSON text (SQLite) or a jsonb value the driver parses (PostgreSQL). */
export function dataColumn(dialect: Dialect, table = 'records'): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`json(${sql.ref(`${table}.data`)})` : sql`${sql.ref(`${table}.data`)}`;
}
