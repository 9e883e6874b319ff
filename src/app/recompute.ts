import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
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

const UPDATE_CHUNK = 400;

/**
 * Writes many rows' derived columns with one statement per chunk (UPDATE … FROM a VALUES list,
 * valid on SQLite >= 3.33 and PostgreSQL), not one round trip per record. The record's version and
 * updated_at stay as they are: a recomputation is not an edit and must not make a user's open
 * form stale. Returns the number of rows written.
 */
export async function writeDerived(db: Db, rows: readonly DerivedUpdate[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += UPDATE_CHUNK) {
    const chunk = rows.slice(i, i + UPDATE_CHUNK);
    const values = sql.join(
      chunk.map(
        (r) =>
          sql`(cast(${r.id} as integer), cast(${r.version} as integer), cast(${r.due_on} as text), cast(${r.deadline_state} as text), cast(${r.deadline_rule} as text), cast(${r.old_due_on} as text), cast(${r.old_deadline_state} as text))`,
      ),
    );
    // PostgreSQL re-checks the WHERE of a row another transaction changed meanwhile, so of two
    // concurrent recomputations only the first writes; `is not distinct from` is the null-safe =.
    const res = await sql`
      with v(id, ver, due_on, st, rule, old_due, old_st) as (values ${values})
      update records set due_on = v.due_on, deadline_state = v.st, deadline_rule = v.rule
      from v where records.id = v.id and records.version = v.ver
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

function openRows(db: Db) {
  return db
    .selectFrom('records')
    .select(['id', 'kind', 'org_id', 'status', 'data', 'clock', 'version', 'due_on', 'deadline_state', 'deadline_rule'])
    .where(OPEN_DEADLINE);
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
  defs: ReadonlyMap<string, LedgerDef>,
  change: CalendarChange,
  today: string,
): Promise<RecomputeResult> {
  const filter = calendarChangeFilter(change);
  if (!filter.window) return { candidates: 0, updated: 0, ids: [] };
  const pairs = stopPairs([...defs.values()]);
  const windowed = (await openRows(db)
    .where('records.due_on', '>=', filter.window.from)
    .where(notStoppedCondition(pairs))
    .execute()) as OpenRow[];
  const stopped = pairs.length ? ((await openRows(db).where(stoppedCondition(pairs)).execute()) as OpenRow[]) : [];
  const rows = [...windowed, ...stopped];
  const changed = await recomputeRows(db, defs, rows, today);
  const updated = await writeDerived(db, changed);
  return { candidates: rows.length, updated, ids: changed.map((c) => c.id).sort((a, b) => a - b) };
}

/** Stopped-clock records, recomputed (the reminder sweep calls this on every run). */
export async function recomputeStopped(db: Db, defs: ReadonlyMap<string, LedgerDef>, today: string): Promise<{ candidates: number; updated: number }> {
  const pairs = stopPairs([...defs.values()]);
  if (!pairs.length) return { candidates: 0, updated: 0 };
  const rows = (await openRows(db).where(stoppedCondition(pairs)).execute()) as OpenRow[];
  const changed = await recomputeRows(db, defs, rows, today);
  return { candidates: rows.length, updated: await writeDerived(db, changed) };
}
