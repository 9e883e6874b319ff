import type { LedgerDef, RecordData, DeadlineState, Duration } from '../core/ledgers/types';
import { closedOnOf, occurredOnOf } from '../core/ledgers/validate';
import { computeDeadline, normalizeClockEvents, type DeadlineResult } from '../core/deadlines';
import type { WorkCalendar } from '../core/calendar';
import { storedData } from './crypto/pii-codec';

/** Columns of a record that follow from its definition, fields, flow state and clock; recomputed on every write. */
export interface DerivedColumns {
  occurred_on: string | null;
  closed_on: string | null;
  due_on: string | null;
  deadline_state: DeadlineState | null;
  deadline_rule: string | null;
}

export interface DeadlineEnv {
  today: string;
  calendar: WorkCalendar;
  nearDays?: number;
  periodOverrides?: Record<string, Duration>;
}

export function parseClock(clock: string | null) {
  return normalizeClockEvents(clock ? (JSON.parse(clock) as unknown) : null);
}

export function deadlineOf(def: LedgerDef, data: RecordData, status: string | null, clock: string | null, env: DeadlineEnv, explain: boolean): DeadlineResult | null {
  if (!def.deadlines?.length) return null;
  return computeDeadline({
    def,
    record: { data, status },
    events: parseClock(clock),
    calendar: env.calendar,
    today: env.today,
    options: { nearDays: env.nearDays, periodOverrides: env.periodOverrides, explain },
  });
}

export function deriveColumns(def: LedgerDef, data: RecordData, status: string | null, clock: string | null, env: DeadlineEnv): DerivedColumns {
  const d = deadlineOf(def, data, status, clock, env, false);
  const finalState = def.flow?.states.find((s) => s.key === status)?.final === true;
  const closedOn = closedOnOf(def, data) ?? (finalState ? (d?.doneOn ?? env.today) : null);
  return {
    occurred_on: occurredOnOf(def, data),
    closed_on: closedOn,
    due_on: d?.dueOn ?? null,
    deadline_state: d?.state ?? null,
    deadline_rule: d?.rule.key ?? null,
  };
}

/** A new `records` row: the derived columns plus version 1 and the author, for single creates and imports alike. */
export function newRecordRow(
  def: LedgerDef,
  place: { orgId: number; deptId: number },
  data: RecordData,
  status: string | null,
  env: DeadlineEnv,
  author: { userId: number; at: string },
) {
  const by = author.userId || null;
  return {
    kind: def.kind,
    org_id: place.orgId,
    dept_id: place.deptId,
    ...deriveColumns(def, data, status, null, env),
    status,
    // Personal values sealed, with their blind index (app/crypto/pii-codec.ts).
    ...storedData(def, data),
    clock: null,
    version: 1,
    deleted_at: null,
    created_by: by,
    created_at: author.at,
    updated_by: by,
    updated_at: author.at,
  };
}
