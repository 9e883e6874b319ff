import { z } from 'zod';
import { DEADLINE_STATES, type DeadlineState, type LedgerDef, type RecordData } from '../core/ledgers/types';
import { canSeePii, maskName, type Actor, type Place } from '../core/access/policy';
import type { Selectable } from 'kysely';
import type { RecordTable } from '../db/schema';
import { openData } from './crypto/pii-codec';

/** On a single record: its running deadline, explained. */
const ZRecordDeadline = z
  .object({
    rule: z.string(),
    label: z.string(),
    basis: z.string(),
    startOn: z.string(),
    dueOn: z.string(),
    state: z.enum(DEADLINE_STATES).nullable(),
    provisional: z.boolean(),
    stopped: z.boolean(),
    explanation: z.string(),
    /** After a 补正: the day the corrected request was received (null while awaited). */
    restartOn: z.string().nullable().optional(),
    /** A notice limit of the rule (补正告知, 7 working days): when due, when given, whether late. */
    notice: z.object({ label: z.string(), basis: z.string(), dueOn: z.string(), on: z.string().nullable(), late: z.boolean() }).optional(),
  })
  .meta({ id: 'RecordDeadline' });

/** The record's fields as its ledger definition names them; personal values masked unless the role may see them. */
const ZRecordData = z.record(z.string(), z.unknown());

const recFields = {
  id: z.number(),
  kind: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  deptId: z.number(),
  deptName: z.string(),
  occurredOn: z.string().nullable(),
  status: z.string().nullable(),
  dueOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  deadlineState: z.enum(DEADLINE_STATES).nullable(),
  deadlineRule: z.string().nullable(),
  version: z.number(),
  deletedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.number().nullable(),
  createdByName: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.number().nullable(),
  updatedByName: z.string().nullable(),
  data: ZRecordData,
  deadline: ZRecordDeadline.optional(),
  /** On a single record: flow transitions the user may perform now. */
  transitions: z.array(z.object({ key: z.string(), label: z.string(), needsReason: z.boolean(), requires: z.array(z.string()) })).optional(),
};

/** A record as the API returns it. */
export const ZRecView = z.object(recFields).meta({ id: 'LedgerRecord' });
export type RecView = z.infer<typeof ZRecView>;

/** A record in a to-do list, with its ledger's Chinese name. */
export const ZTodoItem = z.object({ ...recFields, kindLabel: z.string() }).meta({ id: 'TodoItem' });

/** A page of records (lists, a figure's records). */
export const ZRecordPage = z.object({ items: z.array(ZRecView), total: z.number(), page: z.number(), pageSize: z.number() }).meta({ id: 'RecordPage' });
export type RecordPage = z.infer<typeof ZRecordPage>;

/** A list's page: `total` is exact up to a cap; past it `totalCapped` is true and `total` a lower bound. */
export const ZRecordListPage = z.object({ ...ZRecordPage.shape, totalCapped: z.boolean() }).meta({ id: 'RecordListPage' });

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
    // The column holds only these states (app/recompute.ts writes it).
    deadlineState: r.deadline_state as DeadlineState | null,
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
