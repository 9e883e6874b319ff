import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from './connect';
import type { DB } from './schema';
import type { FieldDef, FieldType, LedgerDef } from '../core/ledgers/types';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import { blindText, jsonBool, jsonNum, jsonText } from './json';

/**
 * Indexes derived from the ledger definitions, so that a list filtered or sorted on a kind's field
 * reads an index range instead of every record of the kind.
 *
 * One B-tree per field, partial on the kind and on live records (WHERE kind = '<kind>' AND deleted_at IS NULL):
 *   PostgreSQL: (<the field's expression>, org_id, occurred_on, id)
 *   SQLite:     (kind, deleted_at, <the field's expression>, org_id, occurred_on)   — then the rowid
 * - the expression is the one the list query writes (`fieldExpression`), character for character,
 *   since a planner matches an expression index only on the same expression (on SQLite the JSONB
 *   column is read through `json_extract(data, '$.key')`, which accepts JSONB directly);
 * - org_id and occurred_on follow, so the common page — a field value, one town, one year, newest
 *   first — is one range read in order, and its count is answered from the index alone;
 * - SQLite counts from a partial index alone only when the columns of its WHERE are in it too, so
 *   kind and deleted_at lead (constant inside the index, they cost nothing and keep the rowid order
 *   for the `…, id desc` tie-break); PostgreSQL needs no such help but an explicit id.
 * B-trees rather than a GIN index on `data` (PostgreSQL): GIN answers containment only — no ranges,
 * no order, no LIMIT without a sort of every match — and the page needs all three.
 *
 * PostgreSQL, built-in kinds: the field is a stored generated column of `records` (`fv_<kind>__<key>`,
 * `case when kind = '<kind>' then <expression> end`) and the index is on that column. PostgreSQL never
 * answers from an expression index alone (its planner wants the `data` column the expression reads), so
 * counting a filter's 8,000 matches through one read them all from the heap; through the column the
 * count is an index-only scan (measured on the load benchmark's 100,000 training records: see the
 * commit). Adding a stored column rewrites the table under an exclusive lock, which is acceptable when
 * a release's migration adds a built-in kind's fields, not when a clerk's administrator defines a kind
 * on a running city database: custom kinds therefore keep expression indexes, as SQLite does for every
 * kind (SQLite answers from its expression indexes alone).
 *
 * The kind's date field is not indexed here: lists read it from the `occurred_on` column.
 * Personal-data fields are ciphertext in `data`: their index (`rp_<kind>__<field>`, same shape) is on
 * the value's keyed blind index in `records.pii_index` (HMAC-SM3, app/crypto/pii-codec.ts), which is
 * what an equality filter on them compares. Multi-value personal fields (multienum, depts) keep an
 * array of blind indexes there and are matched element by element, without an index.
 */
export const INDEXED_TYPES: ReadonlySet<FieldType> = new Set(['enum', 'bool', 'date', 'month', 'int', 'number', 'money', 'dept', 'ref']);
const NUMERIC: ReadonlySet<FieldType> = new Set(['int', 'money', 'number', 'ref']);

/**
 * The SQL expression lists filter and sort a field by; the field's index is built on the same one.
 * Given the field's kind, a field with a generated column (`hasFieldColumn`) is read from the column.
 */
export function fieldExpression(dialect: Dialect, field: FieldDef, table = 'records', kind?: string): RawBuilder<unknown> {
  if (kind !== undefined && hasFieldColumn(dialect, kind, field)) {
    const col = fieldColumnName(kind, field.key);
    return table ? sql.ref(`${table}.${col}`) : sql.ref(col);
  }
  return fieldValueExpression(dialect, field, table);
}

/** The field's value computed from `data` (what a generated column stores). */
function fieldValueExpression(dialect: Dialect, field: FieldDef, table: string): RawBuilder<unknown> {
  if (field.type === 'bool') return jsonBool(dialect, field.key, table);
  if (NUMERIC.has(field.type)) return jsonNum(dialect, field.key, table);
  return jsonText(dialect, field.key, table);
}

export function indexedFields(def: LedgerDef): FieldDef[] {
  return def.fields.filter(
    (f) => !f.pii && f.key !== def.occurredOn && (INDEXED_TYPES.has(f.type) || (f.type === 'text' && f.searchable === true)),
  );
}

const BUILTIN_KINDS: ReadonlyMap<string, LedgerDef> = new Map(BUILTIN_LEDGERS.map((d) => [d.kind, d]));

/**
 * Whether a kind's field is read from a generated column: on PostgreSQL, for the indexed fields of the
 * built-in kinds (why, and why not custom kinds, above). Decided by the code's own definitions, so every
 * instance of one release agrees without asking the database.
 */
export function hasFieldColumn(dialect: Dialect, kind: string, field: FieldDef): boolean {
  if (dialect !== 'postgres') return false;
  const def = BUILTIN_KINDS.get(kind);
  return def !== undefined && indexedFields(def).some((f) => f.key === field.key && f.type === field.type);
}

/** `fv_<kind>__<field>`: a field's generated column (PostgreSQL, built-in kinds). */
export const fieldColumnName = (kind: string, key: string) => fieldIndexName(kind, key, 'fv');

/** Types whose values are arrays: in `pii_index` too, so their blind indexes are not one indexable value. */
export const MULTI_VALUE_TYPES: ReadonlySet<FieldType> = new Set(['multienum', 'depts']);

/** Personal fields with an index on their blind index. */
export function blindIndexedFields(def: LedgerDef): FieldDef[] {
  return def.fields.filter((f) => f.pii && !MULTI_VALUE_TYPES.has(f.type));
}

/** `rf_<kind>__<field>`, or a digest of it where PostgreSQL's 63-character limit would cut it. */
export function fieldIndexName(kind: string, key: string, prefix: 'rf' | 'rp' | 'fv' = 'rf'): string {
  const name = `${prefix}_${kind}__${key}`;
  return name.length <= 60 ? name : `${prefix}_${crypto.createHash('sha256').update(`${kind}.${key}`).digest('hex').slice(0, 24)}`;
}

/** `rp_<kind>__<field>`: the index of a personal field's blind index. */
export const blindIndexName = (kind: string, key: string) => fieldIndexName(kind, key, 'rp');

const KIND_RE = /^[a-z][a-z0-9_]*$/;

export interface FieldIndex {
  name: string;
  /** The index, and on PostgreSQL the statistics of its expression after it (see below). */
  ddl: RawBuilder<unknown>[];
  /** The statement as text, to detect a changed set of indexes. */
  text: string;
  /** The generated column the index is on (PostgreSQL, built-in kinds), else undefined. */
  column?: string;
}

export function fieldIndexesOf(db: Kysely<DB>, dialect: Dialect, def: LedgerDef): FieldIndex[] {
  // Kind keys are checked by the definition schema; the guard makes the inlined literal safe regardless.
  if (!KIND_RE.test(def.kind)) throw new Error(`invalid kind ${def.kind}`);
  const plain = indexedFields(def).map((f) => {
    const column = hasFieldColumn(dialect, def.kind, f) ? fieldColumnName(def.kind, f.key) : undefined;
    return { name: fieldIndexName(def.kind, f.key), x: sql`(${fieldExpression(dialect, f, '', def.kind)})`, column };
  });
  const blind = blindIndexedFields(def).map((f) => ({ name: blindIndexName(def.kind, f.key), x: sql`(${blindText(dialect, f.key, '')})`, column: undefined }));
  return [...plain, ...blind].map(({ name, x, column }) => {
    const columns = dialect === 'postgres' ? sql`${x}, org_id, occurred_on, id` : sql`kind, deleted_at, ${x}, org_id, occurred_on`;
    const ddl = [sql`create index if not exists ${sql.id(name)} on records (${columns}) where kind = ${sql.lit(def.kind)} and deleted_at is null`];
    // PostgreSQL's ANALYZE keeps no statistics for the expressions of a partial index, so it would guess
    // that a field value matches 0.5% of the rows — and read a common value's thousands of rows through
    // the heap instead of counting them in the index. Statistics on the expression give it the real share
    // (a generated column has its own, like any column).
    if (dialect === 'postgres' && !column) ddl.push(sql`create statistics if not exists ${sql.id(statisticsName(name))} on ${x} from records`);
    return { name, ddl, text: ddl.map((d) => d.compile(db).sql).join(';\n'), column };
  });
}

interface FieldColumn {
  name: string;
  /** `<name> <type> generated always as (…) stored`, as ALTER TABLE … ADD COLUMN takes it. */
  definition: RawBuilder<unknown>;
}

const COLUMN_TYPE: Partial<Record<FieldType, string>> = { bool: 'integer', int: 'numeric', money: 'numeric', number: 'numeric', ref: 'numeric' };

/** The generated columns of a built-in kind's indexed fields (PostgreSQL; none for custom kinds or SQLite). */
export function fieldColumnsOf(dialect: Dialect, def: LedgerDef): FieldColumn[] {
  if (!KIND_RE.test(def.kind)) throw new Error(`invalid kind ${def.kind}`);
  return indexedFields(def)
    .filter((f) => hasFieldColumn(dialect, def.kind, f))
    .map((f) => {
      const name = fieldColumnName(def.kind, f.key);
      // The kind's case keeps another kind's same-named key (of another type: a cast that would fail) out.
      const value = fieldValueExpression(dialect, f, '');
      const definition = sql`${sql.id(name)} ${sql.raw(COLUMN_TYPE[f.type] ?? 'text')} generated always as (case when kind = ${sql.lit(def.kind)} then ${value} end) stored`;
      return { name, definition };
    });
}

/** Creates the indexes of one definition (a kind just defined, or a new version with new fields). */
export async function createFieldIndexes(db: Kysely<DB>, dialect: Dialect, def: LedgerDef): Promise<void> {
  for (const ix of fieldIndexesOf(db, dialect, def)) for (const d of ix.ddl) await d.execute(db);
}

/**
 * Adds the generated columns no table has yet, all in one ALTER TABLE (each ADD of a stored column
 * rewrites the table; one statement rewrites it once), and drops those no built-in kind asks for any more.
 */
async function syncFieldColumns(db: Kysely<DB>, columns: FieldColumn[]): Promise<void> {
  const present = new Set(
    (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'records' and table_schema = current_schema() and column_name like 'fv\\_%'`.execute(db)).rows.map((r) => r.name),
  );
  const add = columns.filter((c) => !present.has(c.name));
  const wanted = new Set(columns.map((c) => c.name));
  const drop = [...present].filter((n) => !wanted.has(n));
  const actions = [...add.map((c) => sql`add column ${c.definition}`), ...drop.map((n) => sql`drop column ${sql.id(n)}`)];
  if (actions.length > 0) await sql`alter table records ${sql.join(actions)}`.execute(db);
}

/** `rf_…` → `rs_…`, `rp_…` → `rt_…`: the PostgreSQL statistics object of a field index's expression. */
const statisticsName = (indexName: string) => `${indexName.startsWith('rp_') ? 'rt' : 'rs'}_${indexName.slice(3)}`;

const SETTING = 'field_indexes';

/**
 * Brings the field indexes in line with every definition (built-in kinds from code, custom kinds from
 * `ledger_defs`): creates the missing ones and drops those no definition asks for any more (a field
 * that became personal data, say). A digest of the set in `settings` makes the unchanged case one read.
 */
export async function syncFieldIndexes(db: Kysely<DB>, dialect: Dialect, defs: readonly LedgerDef[]): Promise<void> {
  const all = defs.flatMap((d) => fieldIndexesOf(db, dialect, d));
  const columns = defs.flatMap((d) => fieldColumnsOf(dialect, d));
  const texts = [...columns.map((c) => c.definition.compile(db).sql), ...all.map((i) => i.text)];
  const digest = crypto.createHash('sha256').update(texts.join('\n')).digest('hex');
  const seen = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  if (seen?.value === digest) return;
  const wanted = new Map(all.map((i) => [i.name, i]));
  const existing =
    dialect === 'sqlite'
      ? await sql<{ name: string; def: string }>`select name, sql as def from sqlite_master where type = 'index' and tbl_name = 'records' and (name like 'rf\\_%' escape '\\' or name like 'rp\\_%' escape '\\')`.execute(db)
      : await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where tablename = 'records' and schemaname = current_schema() and (indexname like 'rf\\_%' or indexname like 'rp\\_%')`.execute(db);
  for (const { name, def } of existing.rows) {
    const want = wanted.get(name);
    // Kept when still wanted in the same form: on the field's column, or on its expression.
    if (want && (dialect === 'sqlite' || def.includes('fv_') === (want.column !== undefined))) continue;
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
    if (dialect === 'postgres') await sql`drop statistics if exists ${sql.id(statisticsName(name))}`.execute(db);
  }
  if (dialect === 'postgres') await syncFieldColumns(db, columns);
  for (const ix of all) for (const d of ix.ddl) await d.execute(db);
  // New statistics are empty until the table is analysed (autovacuum would, later).
  if (dialect === 'postgres') await sql`analyze records`.execute(db);
  if (seen) await db.updateTable('settings').set({ value: digest }).where('key', '=', SETTING).execute();
  else await db.insertInto('settings').values({ key: SETTING, value: digest }).execute();
}
