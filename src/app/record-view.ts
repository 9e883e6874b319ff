import type { LedgerDef, RecordData } from '../core/ledgers/types';
import { canSeePii, maskName, type Actor, type Place } from '../core/access/policy';
import type { Selectable } from 'kysely';
import type { RecordTable } from '../db/schema';
import { openData } from './crypto/pii-codec';

/** A record as the API returns it. */
export interface RecView {
  id: number;
  kind: string;
  orgId: number;
  orgName: string;
  deptId: number;
  deptName: string;
  occurredOn: string | null;
  status: string | null;
  dueOn: string | null;
  closedOn: string | null;
  deadlineState: string | null;
  deadlineRule: string | null;
  version: number;
  deletedAt: string | null;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
  updatedAt: string;
  updatedBy: number | null;
  updatedByName: string | null;
  data: RecordData;
  /** On a single record: its running deadline, explained. */
  deadline?: {
    rule: string;
    label: string;
    basis: string;
    startOn: string;
    dueOn: string;
    state: string | null;
    provisional: boolean;
    stopped: boolean;
    explanation: string;
    /** After a 补正: the day the corrected request was received (null while awaited). */
    restartOn?: string | null;
    /** A notice limit of the rule (补正告知, 7 working days): when due, when given, whether late. */
    notice?: { label: string; basis: string; dueOn: string; on: string | null; late: boolean };
  };
  /** On a single record: flow transitions the user may perform now. */
  transitions?: { key: string; label: string; needsReason: boolean; requires: string[] }[];
}

/** A `records` row joined with its org unit, department and authors' names (see db/records-repo.ts). */
export type RecRow = Selectable<RecordTable> & {
  org_name: string;
  org_path: string;
  dept_name: string;
  created_by_name: string | null;
  updated_by_name: string | null;
};

/** A record's fields from the stored column, personal values opened (app/crypto/pii-codec.ts). */
export function parseData(v: unknown): RecordData {
  return openData((typeof v === 'string' ? JSON.parse(v) : v) as RecordData);
}


export function maskData(def: LedgerDef, data: RecordData, who: Actor | null): RecordData {
  if (!who || canSeePii(who)) return data;
  return maskPii(def, data);
}

/** Personal values masked whoever reads them (to-do lists: they link to the record, whose page is audited). */
export function maskPii(def: LedgerDef, data: RecordData): RecordData {
  const pii = def.fields.filter((f) => f.pii);
  if (!pii.length) return data;
  const out = { ...data };
  for (const f of pii) if (out[f.key] !== undefined) out[f.key] = maskName(out[f.key]);
  return out;
}

export function toRecView(def: LedgerDef, r: RecRow, who: Actor | null): RecView {
  return {
    id: r.id,
    kind: r.kind,
    orgId: r.org_id,
    orgName: r.org_name,
    deptId: r.dept_id,
    deptName: r.dept_name,
    occurredOn: r.occurred_on,
    status: r.status,
    dueOn: r.due_on,
    closedOn: r.closed_on,
    deadlineState: r.deadline_state,
    deadlineRule: r.deadline_rule,
    version: r.version,
    deletedAt: r.deleted_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    updatedByName: r.updated_by_name,
    data: maskData(def, parseData(r.data), who),
  };
}

/** Where a record lives, as the access policy sees it (the adviser named on a legality review included). */
export function placeOfRecord(r: { kind: string; org_path: string; dept_id: number; data: unknown }): Place {
  return {
    orgPath: r.org_path,
    deptId: r.dept_id,
    kind: r.kind,
    adviser: r.kind === 'legality_review' ? ((parseData(r.data).adviser as string | undefined) ?? null) : undefined,
  };
}
