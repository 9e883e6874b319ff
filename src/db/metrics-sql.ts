/**
 * SQL for the metric planner's query descriptions (src/core/metrics/plan.ts), on SQLite and
 * PostgreSQL. Every query reads one kind's records of an org scope and a date range; the fields it
 * needs are extracted from the JSON once per row in an inner select, then conditional aggregation
 * (`sum(case when … then 1 else 0 end)`) computes all figures of the group in one scan.
 */
import { sql, type RawBuilder } from 'kysely';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import type { AggSpec, GroupByQuery, ListEntry, ListQuery, QueryGroup, RecordScope } from '../core/metrics/plan';
import type { DateRange, Filter, MetricColumn } from '../core/metrics/types';
import type { Dialect, Storage } from './connect';
import { jsonArrayContains, jsonBool, jsonNum, jsonText } from './json';

type Expr = RawBuilder<unknown>;

/** Which org units' records: one unit, a unit and everything below it, or each town under a district. */
export type SqlOrgScope =
  | { type: 'org'; orgId: number; includeDescendants: boolean }
  /** Several org units, one result row per org unit (a district's towns are summed from these). */
  | { type: 'orgs'; orgIds: number[] };

const COLUMNS: Record<MetricColumn, string> = {
  status: 'status',
  deadlineState: 'deadline_state',
  closedOn: 'closed_on',
  dueOn: 'due_on',
};

const NUMERIC = new Set(['int', 'money', 'number']);

/** How filters reach a field: an extracted column of the inner select, or JSON access on `records`. */
interface FieldAccess {
  field(f: FieldDef): Expr;
  column(c: MetricColumn): Expr;
  contains(f: FieldDef, value: string): Expr;
}

function extractedAccess(d: Dialect): FieldAccess {
  return {
    field: (f) => sql.ref(`t.f_${f.key}`),
    column: (c) => sql.ref(`t.c_${COLUMNS[c]}`),
    contains: (f, v) => jsonArrayContains(d, f.key, v, 't'),
  };
}

function directAccess(d: Dialect): FieldAccess {
  return {
    field: (f) => fieldValue(d, f, 'r'),
    column: (c) => sql.ref(`r.${COLUMNS[c]}`),
    contains: (f, v) => jsonArrayContains(d, f.key, v, 'r'),
  };
}

/** A field's value as SQL: bools 1/0, numbers numeric, everything else text. */
function fieldValue(d: Dialect, f: FieldDef, table: string): Expr {
  if (f.type === 'bool') return jsonBool(d, f.key, table);
  if (NUMERIC.has(f.type)) return jsonNum(d, f.key, table);
  return jsonText(d, f.key, table);
}

function literal(f: FieldDef | undefined, v: string | number | boolean): Expr {
  if (f?.type === 'bool' || typeof v === 'boolean') return sql.lit(v === true || v === 'true' ? 1 : 0);
  if (f && NUMERIC.has(f.type)) return sql`${Number(v)}`;
  return sql`${String(v)}`;
}

function present(x: Expr, f: FieldDef | undefined): Expr {
  if (f?.type === 'multienum') return sql`(${x} is not null and ${x} <> '[]')`;
  if (f && (f.type === 'bool' || NUMERIC.has(f.type))) return sql`(${x} is not null)`;
  // An empty text is not a value (a cleared form field).
  return sql`(${x} is not null and ${x} <> '')`;
}

const TRUE = sql`1 = 1`;
const FALSE = sql`1 = 0`;

function andAll(parts: Expr[]): Expr {
  return parts.length === 0 ? TRUE : sql`(${sql.join(parts, sql` and `)})`;
}

export function compileFilters(d: Dialect, ledger: LedgerDef, filters: readonly Filter[], access: FieldAccess): Expr {
  return andAll(filters.map((f) => compileFilter(d, ledger, f, access)));
}

function compileFilter(d: Dialect, ledger: LedgerDef, f: Filter, access: FieldAccess): Expr {
  if ('anyOf' in f) {
    const parts = f.anyOf.map((x) => compileFilter(d, ledger, x, access));
    return parts.length ? sql`(${sql.join(parts, sql` or `)})` : FALSE;
  }
  let field: FieldDef | undefined;
  let x: Expr;
  if ('column' in f) x = access.column(f.column);
  else {
    field = ledger.fields.find((fd) => fd.key === f.field);
    // Definitions are checked against the ledger; a field removed since matches nothing.
    if (!field) return 'present' in f && !f.present ? TRUE : FALSE;
    if ('within' in f) {
      const of = ledger.fields.find((fd) => fd.key === f.within.of);
      if (!of) return FALSE;
      const a = access.field(field);
      const b = access.field(of);
      const diff = d === 'sqlite' ? sql`(julianday(${a}) - julianday(${b}))` : sql`((${a})::date - (${b})::date)`;
      return sql`(${a} is not null and ${b} is not null and ${diff} <= ${sql.lit(f.within.days)})`;
    }
    x = access.field(field);
  }
  if ('present' in f) return f.present ? present(x, field) : sql`(not ${present(x, field)})`;
  const values = 'eq' in f ? [f.eq] : 'in' in f ? f.in : f.notIn;
  let inExpr: Expr;
  if (field?.type === 'multienum') {
    const fd = field;
    inExpr = sql`(${sql.join(values.map((v) => access.contains(fd, String(v))), sql` or `)})`;
  } else if (values.length === 1) inExpr = sql`(${x} = ${literal(field, values[0] as string | number | boolean)})`;
  else inExpr = sql`(${x} in (${sql.join(values.map((v) => literal(field, v)))}))`;
  // notIn is the negation of in: an absent value is "not one of" them.
  return 'notIn' in f ? sql`(${x} is null or not ${inExpr})` : inExpr;
}

/** Org scope as a condition on `r.org_id`: an id list keeps the (org_id, kind, occurred_on) index usable. */
function orgWhere(scope: SqlOrgScope): Expr {
  if (scope.type === 'orgs') return scope.orgIds.length ? sql`r.org_id in (${sql.join(scope.orgIds)})` : FALSE;
  if (!scope.includeDescendants) return sql`r.org_id = ${scope.orgId}`;
  return sql`r.org_id in (select o.id from org_units o where o.path like (select p.path from org_units p where p.id = ${scope.orgId}) || '%')`;
}

/** The value that puts a record in a period: the `occurred_on` column, or a date / month field of the data. */
function dateValue(d: Dialect, s: RecordScope, table = 'r'): Expr {
  return s.dateColumn === 'occurred' ? sql.ref(`${table}.occurred_on`) : jsonText(d, s.dateField, table);
}

export function dateWhere(d: Dialect, s: RecordScope, table = 'r'): Expr {
  const { from, to } = s.range;
  const x = dateValue(d, s, table);
  if (s.dateColumn === 'month') return sql`${x} between ${from.slice(0, 7)} and ${to.slice(0, 7)}`;
  return sql`${x} between ${from} and ${to}`;
}

/** Fields and columns used by filters (recursively), so the inner select extracts exactly these. */
function usedFields(filters: readonly Filter[], fields: Set<string>, columns: Set<MetricColumn>): void {
  for (const f of filters) {
    if ('anyOf' in f) usedFields(f.anyOf, fields, columns);
    else if ('column' in f) columns.add(f.column);
    else {
      fields.add(f.field);
      if ('within' in f) fields.add(f.within.of);
    }
  }
}

/**
 * The inner select: one row per record in scope with the needed fields as columns. It is kept from
 * being merged into the outer query (SQLite: LIMIT -1; PostgreSQL: OFFSET 0) so each JSON field is
 * extracted once per row rather than once per aggregate.
 */
function innerSelect(d: Dialect, s: RecordScope, org: SqlOrgScope, filters: readonly Filter[], extra: string[], withId = false, byMonth = false): Expr {
  const fields = new Set<string>(extra);
  const columns = new Set<MetricColumn>();
  usedFields(filters, fields, columns);
  const cols: Expr[] = [];
  if (org.type === 'orgs') cols.push(sql`r.org_id as town_id`);
  if (byMonth) cols.push(sql`substr(${dateValue(d, s)}, 1, 7) as month`);
  if (withId) cols.push(sql`r.id as id`, sql`r.occurred_on as occurred_on`);
  for (const c of columns) cols.push(sql`${sql.ref(`r.${COLUMNS[c]}`)} as ${sql.ref(`c_${COLUMNS[c]}`)}`);
  let needData = false;
  for (const key of fields) {
    const f = s.ledger.fields.find((x) => x.key === key);
    if (!f) continue;
    if (f.type === 'multienum') needData = true;
    cols.push(sql`${fieldValue(d, f, 'r')} as ${sql.ref(`f_${key}`)}`);
  }
  if (needData) cols.push(sql`r.data as data`);
  if (cols.length === 0) cols.push(sql`1 as one`);
  const fence = d === 'sqlite' ? sql`limit -1` : sql`offset 0`;
  return sql`(select ${sql.join(cols)} from records r where r.kind = ${s.ledger.kind} and r.deleted_at is null and ${orgWhere(org)} and ${dateWhere(d, s)} ${fence}) t`;
}

function aggExpr(d: Dialect, ledger: LedgerDef, a: AggSpec, access: FieldAccess): Expr {
  const cond = compileFilters(d, ledger, a.filters, access);
  if (a.op === 'count') return sql`sum(case when ${cond} then 1 else 0 end) as ${sql.ref(a.alias)}`;
  const f = ledger.fields.find((x) => x.key === a.field);
  if (!f) return sql`0 as ${sql.ref(a.alias)}`;
  return sql`sum(case when ${cond} then ${access.field(f)} else 0 end) as ${sql.ref(a.alias)}`;
}

type Row = Record<string, unknown>;

type AggValues = Record<string, number | null>;

function groupQuery(d: Dialect, g: QueryGroup, org: SqlOrgScope, byMonth: boolean) {
  const access = extractedAccess(d);
  const filters = g.aggs.flatMap((a) => a.filters);
  const fields = g.aggs.flatMap((a) => (a.field ? [a.field] : []));
  const aggs = g.aggs.map((a) => aggExpr(d, g.ledger, a, access));
  const keys = [...(org.type === 'orgs' ? [sql`t.town_id`] : []), ...(byMonth ? [sql`t.month`] : [])];
  const select = [...(org.type === 'orgs' ? [sql`t.town_id as town_id`] : []), ...(byMonth ? [sql`t.month as month`] : []), ...aggs];
  return sql<Row>`select ${sql.join(select)} from ${innerSelect(d, g, org, filters, fields, false, byMonth)}${keys.length ? sql` group by ${sql.join(keys)}` : sql``}`;
}

function aggValues(g: QueryGroup, row: Row): AggValues {
  const vals: AggValues = {};
  for (const a of g.aggs) vals[a.alias] = row[a.alias] == null ? null : Number(row[a.alias]);
  return vals;
}

/** One scan for a query group; rows keyed by org id for an `orgs` scope, else 0. */
export async function runGroup(storage: Storage, g: QueryGroup, org: SqlOrgScope): Promise<Map<number, AggValues>> {
  const { rows } = await groupQuery(storage.dialect, g, org, false).execute(storage.db);
  const out = new Map<number, AggValues>();
  for (const row of rows) out.set(org.type === 'orgs' ? Number(row.town_id) : 0, aggValues(g, row));
  return out;
}

/**
 * The same scan grouped by the month of the group's date field (YYYY-MM): the per-month buckets that
 * the metric summaries (metric-summaries.ts) keep, computed by exactly the SQL of a live figure.
 */
export async function runGroupByMonth(storage: Storage, g: QueryGroup, orgId: number): Promise<Map<string, AggValues>> {
  const { rows } = await groupQuery(storage.dialect, g, { type: 'org', orgId, includeDescendants: false }, true).execute(storage.db);
  const out = new Map<string, AggValues>();
  for (const row of rows) if (row.month != null) out.set(String(row.month), aggValues(g, row));
  return out;
}

export async function runList(storage: Storage, l: ListQuery, org: SqlOrgScope): Promise<Map<number, ListEntry[]>> {
  const d = storage.dialect;
  const access = extractedAccess(d);
  const f = l.ledger.fields.find((x) => x.key === l.field);
  if (!f) return new Map();
  const detail = l.detail ? l.ledger.fields.find((x) => x.key === l.detail) : undefined;
  const byTown = org.type === 'orgs';
  const dateCol = sql.ref(`t.f_${l.dateField}`);
  const fields = [l.field, l.dateField, ...(detail ? [detail.key] : [])];
  const q = sql<Row>`select ${byTown ? sql`t.town_id as town_id, ` : sql``}${access.field(f)} as v${detail ? sql`, ${access.field(detail)} as d` : sql``} from ${innerSelect(d, l, org, l.filters, fields, true)} where ${compileFilters(d, l.ledger, l.filters, access)} and ${access.field(f)} is not null order by ${dateCol}, t.id`;
  const { rows } = await q.execute(storage.db);
  const out = new Map<number, ListEntry[]>();
  for (const row of rows) {
    const town = byTown ? Number(row.town_id) : 0;
    const list = out.get(town) ?? [];
    list.push(detail ? { text: String(row.v), detail: row.d == null ? null : String(row.d) } : String(row.v));
    out.set(town, list);
  }
  return out;
}

export async function runGroupBy(storage: Storage, g: GroupByQuery, org: SqlOrgScope): Promise<Map<number, Record<string, number>>> {
  const d = storage.dialect;
  const access = extractedAccess(d);
  const byTown = org.type === 'orgs';
  const v = access.field(g.field);
  const q = sql<Row>`select ${byTown ? sql`t.town_id as town_id, ` : sql``}${v} as v, count(*) as n from ${innerSelect(d, g, org, g.filters, [g.field.key])} where ${compileFilters(d, g.ledger, g.filters, access)} and ${present(v, g.field)} group by ${byTown ? sql`t.town_id, ` : sql``}${v}`;
  const { rows } = await q.execute(storage.db);
  const out = new Map<number, Record<string, number>>();
  for (const row of rows) {
    const town = byTown ? Number(row.town_id) : 0;
    const counts = out.get(town) ?? {};
    const key = g.field.type === 'bool' ? (Number(row.v) === 1 ? '是' : '否') : String(row.v);
    counts[key] = (counts[key] ?? 0) + Number(row.n);
    out.set(town, counts);
  }
  return out;
}

/** Ids (and the total) of the records a figure counts, matching `filters` in the scope. */
export async function recordIds(
  storage: Storage,
  s: RecordScope,
  org: SqlOrgScope & { type: 'org' },
  filters: readonly Filter[][],
  page: { limit: number; offset: number },
): Promise<{ ids: number[]; total: number }> {
  const d = storage.dialect;
  const access = directAccess(d);
  // Several filter sets (a composite over kinds is handled by the caller) are alternatives.
  const cond = filters.length === 1 ? compileFilters(d, s.ledger, filters[0] ?? [], access) : sql`(${sql.join(filters.map((f) => compileFilters(d, s.ledger, f, access)), sql` or `)})`;
  const where = sql`r.kind = ${s.ledger.kind} and r.deleted_at is null and ${orgWhere(org)} and ${dateWhere(d, s)} and ${cond}`;
  const [{ rows }, { rows: countRows }] = await Promise.all([
    sql<{ id: number }>`select r.id as id from records r where ${where} order by r.occurred_on, r.id limit ${sql.lit(page.limit)} offset ${sql.lit(page.offset)}`.execute(storage.db),
    sql<{ n: number }>`select count(*) as n from records r where ${where}`.execute(storage.db),
  ]);
  return { ids: rows.map((r) => Number(r.id)), total: Number(countRows[0]?.n ?? 0) };
}

export type { DateRange };
