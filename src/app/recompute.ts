import { dataColumn } from '../db/json';
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Dialect } from '../db/connect';
import type { LedgerDef } from '../core/ledgers/types';
import { calendarChangeFilter, stopStatesOf, type CalendarChange } from '../core/deadlines';
import { deriveColumns } from './derive';
import { envFor, loadDeadlineEnv } from './deadline-env';
import { parseData } from './record-view';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The predicate of the partial index `records_open_due`, written out literally: SQLite uses a
 * partial index only when the query's WHERE contains the index's own terms (bound parameters
 * would not match), and PostgreSQL proves the implication from the same constants.
 */
export const OPEN_DEADLINE = sql<SqlBool>`records.deadline_state in ('正常', '临期', '逾期') and records.deleted_at is null`;

/** (kind, flow state) pairs in which a deadline clock stands still. */
export function stopPairs(defs: readonly LedgerDef[]): { kind: string; states: string[] }[] {
  const out: { kind: string; states: string[] }[] = [];
  for (const def of defs) {
    const states = new Set<string>();
    for (const rule of def.deadlines ?? []) for (const s of stopStatesOf(def, rule)) states.add(s);
    if (states.size) out.push({ kind: def.kind, states: [...states].sort() });
  }
  return out;
}

/**
 * Records whose clock is stopped right now (their due date moves a day with every stopped day,
 * so the stored one is only as fresh as the last recomputation). Never true when no kind stops.
 */
export function stoppedCondition(pairs: readonly { kind: string; states: string[] }[]): RawBuilder<SqlBool> {
  if (!pairs.length) return sql<SqlBool>`1 = 0`;
  const parts = pairs.map((p) => sql`(records.kind = ${p.kind} and records.status in (${sql.join(p.states)}))`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The negation, null-safe (a record without a flow has status null). */
export function notStoppedCondition(pairs: readonly { kind: string; states: string[] }[]): RawBuilder<SqlBool> {
  if (!pairs.length) return sql<SqlBool>`1 = 1`;
  const parts = pairs.map((p) => sql`(records.kind = ${p.kind} and coalesce(records.status, '') in (${sql.join(p.states)}))`);
  return sql<SqlBool>`not (${sql.join(parts, sql` or `)})`;
}

/** What a recomputation writes back: only the columns that follow from the calendar and today. */
export interface DerivedUpdate {
  id: number;
  /** The row's version when read: a concurrent edit (which recomputes itself) wins. */
  version: number;
  /** The values read: a concurrent recomputation that already wrote the new ones is not repeated. */
  old_due_on: string | null;
  old_deadline_state: string | null;
  due_on: string | null;
  deadline_state: string | null;
  deadline_rule: string | null;
}

const UPDATE_CHUNK = 5000;

/**
 * The rows of one chunk as a table `v`, from a single JSON parameter (cheap to bind whatever the
 * chunk size, no parameter limits). Materialized so that the update visits `v` once and looks
 * each record up by its key, instead of scanning `records` per chunk.
 */
function valuesTable(dialect: Dialect, json: string) {
  if (dialect === 'postgres') {
    return sql`with v as materialized (
      select * from jsonb_to_recordset(cast(${json} as jsonb))
        as x(id integer, ver integer, due_on text, st text, rule text, old_due text, old_st text))`;
  }
  return sql`with v(id, ver, due_on, st, rule, old_due, old_st) as materialized (
    select json_extract(value, '$.id'), json_extract(value, '$.ver'), json_extract(value, '$.due_on'), json_extract(value, '$.st'),
           json_extract(value, '$.rule'), json_extract(value, '$.old_due'), json_extract(value, '$.old_st')
    from json_each(${json}))`;
}

/**
 * Writes many rows' derived columns with one UPDATE … FROM per chunk of thousands (SQLite >= 3.35
 * and PostgreSQL >= 12), not one round trip per record. The record's version and updated_at stay
 * as they are: a recomputation is not an edit and must not make a user's open form stale.
 * PostgreSQL re-checks the WHERE of a row another transaction changed meanwhile, so of two
 * concurrent recomputations only the first writes (`is not distinct from` is the null-safe =).
 * Returns the number of rows written.
 */
export async function writeDerived(db: Db, dialect: Dialect, rows: readonly DerivedUpdate[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += UPDATE_CHUNK) {
    const chunk = rows.slice(i, i + UPDATE_CHUNK).map((r) => ({
      id: r.id,
      ver: r.version,
      due_on: r.due_on,
      st: r.deadline_state,
      rule: r.deadline_rule,
      old_due: r.old_due_on,
      old_st: r.old_deadline_state,
    }));
    const res = await sql`${valuesTable(dialect, JSON.stringify(chunk))}
      update records set due_on = v.due_on, deadline_state = v.st, deadline_rule = v.rule
      from v where records.id in (select id from v) and records.id = v.id and records.version = v.ver
        and records.due_on is not distinct from v.old_due and records.deadline_state is not distinct from v.old_st`.execute(db);
    n += Number(res.numAffectedRows ?? 0);
  }
  return n;
}

interface OpenRow {
  id: number;
  kind: string;
  org_id: number;
  status: string | null;
  data: unknown;
  clock: string | null;
  version: number;
  due_on: string | null;
  deadline_state: string | null;
  deadline_rule: string | null;
}

function openRows(db: Db, dialect: Dialect) {
  return db
    .selectFrom('records')
    .select(['id', 'kind', 'org_id', 'status', 'clock', 'version', 'due_on', 'deadline_state', 'deadline_rule'])
    .select(dataColumn(dialect).as('data'))
    .where(OPEN_DEADLINE);
}

const openColumns = (dialect: Dialect) => sql`records.id, records.kind, records.org_id, records.status, ${dataColumn(dialect)} as data, records.clock, records.version,
  records.due_on, records.deadline_state, records.deadline_rule`;

/**
 * Open, running deadlines due on or after `from`. Usually few, found through the partial index;
 * but a change early in the calendar can reach most open records, and SQLite then reads them
 * several times faster in table order than by random lookups from the index, so it is told to
 * scan when the index says the window holds more than a quarter of the table (ids approximate
 * its size). PostgreSQL's planner makes that choice itself.
 */
async function windowRows(db: Db, dialect: Dialect, from: string, pairs: { kind: string; states: string[] }[]): Promise<OpenRow[]> {
  let table = sql`records`;
  if (dialect === 'sqlite') {
    const inWindow = await sql<{ n: number }>`select count(*) as n from records where ${OPEN_DEADLINE} and records.due_on >= ${from}`.execute(db);
    const size = await sql<{ n: number | null }>`select max(id) as n from records`.execute(db);
    if (Number(inWindow.rows[0]?.n ?? 0) * 4 > Number(size.rows[0]?.n ?? 0)) table = sql`records not indexed`;
  }
  const rows = await sql<OpenRow>`select ${openColumns(dialect)} from ${table}
    where ${OPEN_DEADLINE} and records.due_on >= ${from} and ${notStoppedCondition(pairs)}`.execute(db);
  return rows.rows;
}

/**
 * Recomputes rows with the calendar in force and returns those whose due date, state or rule
 * changed. `defs` must be read before any transaction (the registry reads outside it).
 */
export async function recomputeRows(db: Db, defs: ReadonlyMap<string, LedgerDef>, rows: readonly OpenRow[], today: string): Promise<DerivedUpdate[]> {
  if (!rows.length) return [];
  const env = await loadDeadlineEnv(db, today, [...new Set(rows.map((r) => r.org_id))]);
  const out: DerivedUpdate[] = [];
  for (const r of rows) {
    const def = defs.get(r.kind);
    if (!def) continue;
    const d = deriveColumns(def, parseData(r.data), r.status, r.clock, envFor(env, r.org_id, r.kind));
    if (d.due_on !== r.due_on || d.deadline_state !== r.deadline_state || d.deadline_rule !== r.deadline_rule) {
      out.push({
        id: r.id,
        version: r.version,
        old_due_on: r.due_on,
        old_deadline_state: r.deadline_state,
        due_on: d.due_on,
        deadline_state: d.deadline_state,
        deadline_rule: d.deadline_rule,
      });
    }
  }
  return out;
}

export interface RecomputeResult {
  /** Open records read as candidates (SQL window plus stopped clocks). */
  candidates: number;
  /** Records whose due date or state changed and were written. */
  updated: number;
  /** Ids of the updated records (ascending). */
  ids: number[];
}

/**
 * After a calendar change (inside its transaction, with the new calendar version already bumped):
 * recomputes the open deadlines the change can affect. A deadline depends only on the days in
 * (start, due], so SQL narrows to open records due on or after the first changed day (partial
 * index `records_open_due`); stopped clocks, whose stored due date may be stale, are always read.
 */
export async function recomputeAfterCalendarChange(
  db: Db,
  dialect: Dialect,
  defs: ReadonlyMap<string, LedgerDef>,
  change: CalendarChange,
  today: string,
): Promise<RecomputeResult> {
  const filter = calendarChangeFilter(change);
  if (!filter.window) return { candidates: 0, updated: 0, ids: [] };
  const pairs = stopPairs([...defs.values()]);
  const windowed = await windowRows(db, dialect, filter.window.from, pairs);
  const stopped = pairs.length ? ((await openRows(db, dialect).where(stoppedCondition(pairs)).execute()) as OpenRow[]) : [];
  const rows = [...windowed, ...stopped];
  const changed = await recomputeRows(db, defs, rows, today);
  const updated = await writeDerived(db, dialect, changed);
  return { candidates: rows.length, updated, ids: changed.map((c) => c.id).sort((a, b) => a - b) };
}

/** Stopped-clock records, recomputed (the reminder sweep calls this on every run). */
export async function recomputeStopped(db: Db, dialect: Dialect, defs: ReadonlyMap<string, LedgerDef>, today: string): Promise<{ candidates: number; updated: number }> {
  const pairs = stopPairs([...defs.values()]);
  if (!pairs.length) return { candidates: 0, updated: 0 };
  const rows = (await openRows(db, dialect).where(stoppedCondition(pairs)).execute()) as OpenRow[];
  const changed = await recomputeRows(db, defs, rows, today);
  return { candidates: rows.length, updated: await writeDerived(db, dialect, changed) };
}

/**
 * States that time (or a new 临期 window) moves, for running clocks: the state is a function of the
 * stored due date and today alone, so plain UPDATEs through the partial index re-check it, and a
 * concurrent edit is never undone. Stopped clocks are left to recomputeStopped.
 */
export async function moveStatesWithTime(
  db: Db,
  pairs: ReturnType<typeof stopPairs>,
  today: string,
  nearLimit: string,
): Promise<{ overdue: number; near: number; normal: number }> {
  const move = async (to: '逾期' | '临期' | '正常', where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
    Number((await where(base(to)).where(notStoppedCondition(pairs)).executeTakeFirst()).numUpdatedRows);
  const base = (to: string) => db.updateTable('records').set({ deadline_state: to }).where(OPEN_DEADLINE);
  const overdue = await move('逾期', (q) => q.where('records.due_on', '<', today).where('records.deadline_state', '<>', '逾期'));
  const near = await move('临期', (q) => q.where('records.due_on', '>=', today).where('records.due_on', '<=', nearLimit).where('records.deadline_state', '=', '正常'));
  const normal = await move('正常', (q) => q.where('records.due_on', '>', nearLimit).where('records.deadline_state', '=', '临期'));
  return { overdue, near, normal };
}

/** After the 临期 window changed: running clocks move by their stored due date, stopped clocks are recomputed. */
export async function recomputeNearWindow(
  db: Db,
  dialect: Dialect,
  defs: ReadonlyMap<string, LedgerDef>,
  today: string,
  nearLimit: string,
): Promise<number> {
  const moved = await moveStatesWithTime(db, stopPairs([...defs.values()]), today, nearLimit);
  const stopped = await recomputeStopped(db, dialect, defs, today);
  return moved.near + moved.normal + moved.overdue + stopped.updated;
}

/** After an org unit's period of a configurable rule changed: that kind's open records there. */
export async function recomputeKindAtOrg(
  db: Db,
  dialect: Dialect,
  defs: ReadonlyMap<string, LedgerDef>,
  kind: string,
  orgId: number,
  today: string,
): Promise<RecomputeResult> {
  const rows = (await openRows(db, dialect).where('records.kind', '=', kind).where('records.org_id', '=', orgId).execute()) as OpenRow[];
  const changed = await recomputeRows(db, defs, rows, today);
  const updated = await writeDerived(db, dialect, changed);
  return { candidates: rows.length, updated, ids: changed.map((c) => c.id).sort((a, b) => a - b) };
}
