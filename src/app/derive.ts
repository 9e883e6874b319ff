import type { LedgerDef, RecordData, DeadlineState } from '../core/ledgers/types';
import { closedOnOf, occurredOnOf } from '../core/ledgers/validate';

/** Columns of a record that follow from its definition and fields; recomputed on every write. */
export interface DerivedColumns {
  occurred_on: string | null;
  closed_on: string | null;
  due_on: string | null;
  deadline_state: DeadlineState | null;
  deadline_rule: string | null;
}

export interface DeadlineEnv {
  today: string;
}

export function deriveColumns(def: LedgerDef, data: RecordData, _status: string | null, _clock: string | null, _env: DeadlineEnv): DerivedColumns {
  return {
    occurred_on: occurredOnOf(def, data),
    closed_on: closedOnOf(def, data),
    due_on: null,
    deadline_state: null,
    deadline_rule: null,
  };
}
