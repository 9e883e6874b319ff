import { sql, type Kysely, type Transaction, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { DB } from './schema';
import type { Dialect } from './connect';
import { blindText, dataColumn, jsonArrayContains, jsonText } from './json';
import { fieldExpression, MULTI_VALUE_TYPES } from './field-indexes';
import { copyRows } from './copy-records';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';

type Db = Kysely<DB> | Transaction<DB>;

/** Records joined with their org unit, department and authors' names. */
export function recordRows(db: Db, dialect: Dialect) {
  return db
    .selectFrom('records')
    .innerJoin('org_units', 'org_units.id', 'records.org_id')
    .innerJoin('departments', 'departments.id', 'records.dept_id')
    .leftJoin('users as cu', 'cu.id', 'records.created_by')
    .leftJoin('users as uu', 'uu.id', 'records.updated_by')
    .select([
      'records.id',
      'records.kind',
      'records.org_id',
      'records.dept_id',
      'records.occurred_on',
      'records.status',
      'records.due_on',
      'records.closed_on',
      'records.deadline_state',
      'records.deadline_rule',
      dataColumn(dialect).as('data'),
      'records.clock',
      'records.version',
      'records.deleted_at',
      'records.created_by',
      'records.created_at',
      'records.updated_by',
      'records.updated_at',
      'org_units.name as org_name',
      'org_units.path as org_path',
      'departments.name as dept_name',
      'cu.display_name as created_by_name',
      'uu.display_name as updated_by_name',
    ]);
}

export type FilterOp = 'eq' | 'in' | 'from' | 'to' | 'contains';
export interface FieldFilter {
  field: FieldDef;
  op: FilterOp;
  value: string | number | boolean | (string | number | boolean)[];
  /** A personal (encrypted) field: the blind indexes of the values, matched in `records.pii_index`. */
  blind?: string[];
}

/**
 * Equality on a personal field through its blind index (HMAC-SM3), never through the sealed value:
 * a scalar field compares the expression its `rp_` index is built on (db/field-indexes.ts); a
 * multi-value one looks into the array of blind indexes.
 */
function blindCondition(dialect: Dialect, field: FieldDef, blind: string[]): Expression<SqlBool> {
  const key = field.key;
  if (!MULTI_VALUE_TYPES.has(field.type)) return sql<SqlBool>`${blindText(dialect, key)} in (${sql.join(blind)})`;
  const col = sql.ref('records.pii_index');
  // One value or an array of them: json_each and `?|` both treat a scalar as a one-element set.
  return dialect === 'sqlite'
    ? sql<SqlBool>`exists (select 1 from json_each(${col}, ${'$.' + key}) where value in (${sql.join(blind)}))`
    : sql<SqlBool>`((${col}::jsonb -> ${key}) ?| ${blind}::text[])`;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** A condition on a kind's field, as SQL for either database. Values are always bound parameters. */
export function fieldCondition(dialect: Dialect, f: FieldFilter, def?: LedgerDef): Expression<SqlBool> {
  const key = f.field.key;
  const numeric = ['int', 'money', 'number', 'ref'].includes(f.field.type);
  const values = Array.isArray(f.value) ? f.value : [f.value];
  if (f.blind) return blindCondition(dialect, f.field, f.blind);
  // A personal field's value in `data` is ciphertext: comparing it would silently match nothing.
  if (f.field.pii) throw new Error(`field ${key} is personal: filter it through its blind index`);
  if (f.field.type === 'multienum' || f.field.type === 'depts') {
    const parts = values.map((v) => jsonArrayContains(dialect, key, String(v)));
    return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
  }
  const onDate = def && key === def.occurredOn && f.op !== 'contains' ? occurredOnCondition(f, values) : null;
  if (onDate) return onDate;
  const x = fieldExpression(dialect, f.field, 'records', def?.kind);
  if (f.field.type === 'bool') {
    const b = values.map((v) => (v === true || v === 'true' || v === '是' ? 1 : 0));
    return sql<SqlBool>`${x} in (${sql.join(b)})`;
  }
  const value = (v: string | number | boolean) => (numeric ? Number(v) : String(v));
  switch (f.op) {
    case 'eq':
    case 'in':
      return sql<SqlBool>`${x} in (${sql.join(values.map(value))})`;
    case 'from':
      return sql<SqlBool>`${x} >= ${value(values[0]!)}`;
    case 'to':
      return sql<SqlBool>`${x} <= ${value(values[0]!)}`;
    case 'contains':
      return sql<SqlBool>`${jsonText(dialect, key)} like ${'%' + likeEscape(String(values[0])) + '%'} escape '\\'`;
  }
}

/**
 * The kind's date field is also the indexed `occurred_on` column (derive.ts writes it from the field
 * on every write; a month `2023-05` is stored as `2023-05-01`), so conditions on it read that column.
 */
function occurredOnCondition(f: FieldFilter, values: (string | number | boolean)[]): Expression<SqlBool> | null {
  if (f.field.type !== 'date' && f.field.type !== 'month') return null;
  const day = (v: string | number | boolean) => (f.field.type === 'month' ? `${String(v)}-01` : String(v));
  const col = sql.ref('records.occurred_on');
  if (f.op === 'from') return sql<SqlBool>`${col} >= ${day(values[0]!)}`;
  if (f.op === 'to') return sql<SqlBool>`${col} <= ${day(values[0]!)}`;
  return sql<SqlBool>`${col} in (${sql.join(values.map(day))})`;
}

/** What a list sorts a field by: the `occurred_on` column for the kind's date field, else the field's indexed expression. */
export function orderExpression(dialect: Dialect, field: FieldDef, def?: LedgerDef) {
  return def && field.key === def.occurredOn ? sql.ref('records.occurred_on') : fieldExpression(dialect, field, 'records', def?.kind);
}

/**
 * `records.kind = '<kind>'` with the kind as a literal: the field indexes are partial on the kind, and
 * SQLite matches a partial index's WHERE only against a literal, never a bound parameter.
 * Callers pass a kind the registry knows; the pattern check keeps the literal safe regardless.
 */
export function kindIs(kind: string): Expression<SqlBool> {
  if (!/^[a-z][a-z0-9_]*$/.test(kind)) throw new Error(`invalid kind ${kind}`);
  return sql<SqlBool>`${sql.ref('records.kind')} = ${sql.lit(kind)}`;
}

export type RecordsEB = ExpressionBuilder<DB & { cu: DB['users']; uu: DB['users'] }, 'records' | 'org_units' | 'departments'>;

export type NewRecordRow = Omit<import('./schema').RecordTable, 'id'> & { data: string };

const COLS = [
  'kind', 'org_id', 'dept_id', 'occurred_on', 'status', 'due_on', 'closed_on', 'deadline_state', 'deadline_rule',
  'data', 'pii_index', 'clock', 'version', 'deleted_at', 'created_by', 'created_at', 'updated_by', 'updated_at',
] as const;

/** Rows per INSERT statement of the SQLite bulk path: 1,800 parameters, far below SQLite's 32,766. */
const ROWS_PER_INSERT = 100;

/**
 * Bulk insert for imports. On SQLite prepared statements on the driver handle (the same connection
 * as the surrounding kysely transaction), ROWS_PER_INSERT rows each: every execution of an INSERT
 * opens a cursor on each of the table's indexes — the partial ones of every other kind included,
 * whose WHERE then excludes the row — and on `records` that costs about twice the insert itself
 * (the exchange benchmark's rows: 31.4 µs a row one at a time, 18.5 µs in statements of 100;
 * records-repo.test.ts checks that every row arrives whole, in order).
 * PostgreSQL gets COPY on the transaction's connection.
 */
export async function insertRecordRows(storage: import('./connect').Storage, trx: Transaction<DB>, rows: NewRecordRow[]): Promise<void> {
  if (storage.sqlite) {
    const one = `(${COLS.map((c) => (c === 'data' ? 'jsonb(?)' : '?')).join(', ')})`;
    const insertOf = (n: number) => storage.sqlite!.prepare(`insert into records (${COLS.join(', ')}) values ${Array<string>(n).fill(one).join(', ')}`);
    const values = (batch: NewRecordRow[]) => batch.flatMap((r) => COLS.map((c) => r[c] as unknown));
    const whole = rows.length >= ROWS_PER_INSERT ? insertOf(ROWS_PER_INSERT) : undefined;
    let i = 0;
    for (; whole && i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) whole.run(values(rows.slice(i, i + ROWS_PER_INSERT)));
    if (i < rows.length) insertOf(rows.length - i).run(values(rows.slice(i)));
    return;
  }
  // PostgreSQL: COPY on the transaction's own connection (db/copy-records.ts).
  if (await copyRows(storage, trx, 'records', COLS, rows)) return;
  // Without a known connection (never on a storage from openStorage): one INSERT … SELECT FROM
  // unnest(arrays) per batch — 18 parameters instead of 18 per row.
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    const arrays = COLS.map((c) => sql`${batch.map((r) => r[c] ?? null)}::${sql.raw(PG_ARRAY_TYPE[c])}`);
    await sql`insert into records (${sql.join(COLS.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
  }
}

const PG_ARRAY_TYPE: Record<(typeof COLS)[number], string> = {
  kind: 'text[]', org_id: 'int[]', dept_id: 'int[]', occurred_on: 'text[]', status: 'text[]', due_on: 'text[]', closed_on: 'text[]',
  deadline_state: 'text[]', deadline_rule: 'text[]', data: 'text[]::jsonb[]', pii_index: 'text[]', clock: 'text[]', version: 'int[]', deleted_at: 'text[]',
  created_by: 'int[]', created_at: 'text[]', updated_by: 'int[]', updated_at: 'text[]',
};

/**
 * Live records of one kind in one org unit, a keyset page at a time (id order), with their data
 * as stored for the dialect (parse it with app/record-view's parseData). The import reads them to
 * find records by natural key and rows it already holds.
 */
export function liveRecordsPage(db: Db, dialect: Dialect, q: { orgId: number; kind: string; afterId: number; limit: number }) {
  return db
    .selectFrom('records')
    .select(['records.id', 'records.dept_id', 'records.status', 'records.version'])
    .select(dataColumn(dialect).as('data'))
    .where('records.org_id', '=', q.orgId)
    .where('records.kind', '=', q.kind)
    .where('records.deleted_at', 'is', null)
    .where('records.id', '>', q.afterId)
    .orderBy('records.id')
    .limit(q.limit)
    .execute();
}
