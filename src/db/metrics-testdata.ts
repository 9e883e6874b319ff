/**
 * Hand-built test data for the metric tests: a district (id 1) with two towns (2, 3) and a village
 * (4) under town 2; records are inserted directly with kysely, as the record engine would store them.
 */
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';
import type { Storage } from './connect';

export const ORG = { district: 1, townA: 2, townB: 3, villageA: 4 } as const;

/** A town's own kind for the tests of custom kinds in metrics. */
export const MEDIATION_ROOM: LedgerDef = {
  kind: 'mediation_room',
  label: '调解室接待',
  version: 1,
  builtin: false,
  occurredOn: 'day',
  titleField: 'note',
  fields: [
    { key: 'day', label: '日期', type: 'date', required: true },
    { key: 'visitors', label: '人数', type: 'int', required: true },
    { key: 'kind2', label: '类型', type: 'enum', options: ['家事', '邻里'] },
    { key: 'note', label: '备注', type: 'text' },
    { key: 'room', label: '调解室', type: 'text' },
  ],
};

export async function seedOrgs(storage: Storage): Promise<void> {
  await storage.db
    .insertInto('org_units')
    .values([
      { id: 1, code: 'D', name: '宝山区', level: '区', parent_id: null, path: '/1/' },
      { id: 2, code: 'T1', name: '庙行镇', level: '镇', parent_id: 1, path: '/1/2/' },
      { id: 3, code: 'T2', name: '大场镇', level: '镇', parent_id: 1, path: '/1/3/' },
      { id: 4, code: 'V1', name: '某村', level: '村', parent_id: 2, path: '/1/2/4/' },
    ])
    .execute();
  await storage.db
    .insertInto('departments')
    .values([1, 2, 3, 4].map((id) => ({ id: id * 10, org_id: id, name: '司法所' })))
    .execute();
  if (storage.dialect === 'postgres') {
    // Explicit ids leave the sequences behind; records use generated ids.
    await storage.db.selectNoFrom((eb) => eb.fn('setval', [eb.val('org_units_id_seq'), eb.val(10)]).as('s')).execute();
  }
}

export interface RecordOpts {
  deadlineState?: string | null;
  status?: string | null;
  deleted?: boolean;
  ledgers?: readonly LedgerDef[];
}

/** Inserts one record; occurred_on comes from the kind's occurredOn field (a month → its 1st day). */
export async function insertRecord(storage: Storage, kind: string, orgId: number, data: Record<string, unknown>, opts: RecordOpts = {}): Promise<number> {
  const ledger = (opts.ledgers ?? BUILTIN_LEDGERS).find((l) => l.kind === kind);
  if (!ledger) throw new Error(`unknown kind ${kind}`);
  const occ = data[ledger.occurredOn];
  const occurredOn = typeof occ === 'string' ? (occ.length === 7 ? `${occ}-01` : occ) : null;
  const closed = ledger.closedOnField ? data[ledger.closedOnField] : undefined;
  const now = '2024-01-15T00:00:00.000Z';
  const row = await storage.db
    .insertInto('records')
    .values({
      kind,
      org_id: orgId,
      dept_id: orgId * 10,
      occurred_on: occurredOn,
      status: opts.status ?? null,
      due_on: null,
      closed_on: typeof closed === 'string' ? closed : null,
      deadline_state: opts.deadlineState ?? null,
      deadline_rule: null,
      data: JSON.stringify(data),
      clock: null,
      version: 1,
      deleted_at: opts.deleted ? now : null,
      created_by: null,
      created_at: now,
      updated_by: null,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
