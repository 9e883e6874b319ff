import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './connect';

/**
 * Expressions over a field of `records.data`. The two databases spell JSON access differently;
 * everything else in the storage layer is plain kysely.
 */
export function jsonText(dialect: Dialect, key: string, table = 'records'): RawBuilder<string | null> {
  assertKey(key);
  return dialect === 'sqlite'
    ? sql<string | null>`json_extract(${sql.ref(`${table}.data`)}, ${'$.' + key})`
    : sql<string | null>`(${sql.ref(`${table}.data`)} ->> ${key})`;
}

/** Numeric value of a field (null when absent). */
export function jsonNum(dialect: Dialect, key: string, table = 'records'): RawBuilder<number | null> {
  assertKey(key);
  return dialect === 'sqlite'
    ? sql<number | null>`json_extract(${sql.ref(`${table}.data`)}, ${'$.' + key})`
    : sql<number | null>`(${sql.ref(`${table}.data`)} ->> ${key})::numeric`;
}

/** Boolean field as 1/0/null on both databases. */
export function jsonBool(dialect: Dialect, key: string, table = 'records'): RawBuilder<number | null> {
  assertKey(key);
  return dialect === 'sqlite'
    ? sql<number | null>`json_extract(${sql.ref(`${table}.data`)}, ${'$.' + key})`
    : sql<number | null>`(case (${sql.ref(`${table}.data`)} ->> ${key}) when 'true' then 1 when 'false' then 0 end)`;
}

/** Whether a multi-value (array) field contains a value. */
export function jsonArrayContains(dialect: Dialect, key: string, value: string, table = 'records'): RawBuilder<boolean> {
  assertKey(key);
  return dialect === 'sqlite'
    ? sql<boolean>`exists (select 1 from json_each(${sql.ref(`${table}.data`)}, ${'$.' + key}) where value = ${value})`
    : sql<boolean>`((${sql.ref(`${table}.data`)} -> ${key}) @> ${JSON.stringify([value])}::jsonb)`;
}

const KEY_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
function assertKey(key: string): void {
  // Field keys come from definitions, which are validated; this is a second guard against injection via JSON paths.
  if (!KEY_RE.test(key)) throw new Error(`invalid field key ${key}`);
}

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
