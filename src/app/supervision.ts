import { z } from 'zod';
import type { AppContext } from './context';
import { readScope, type Actor } from '../core/access/policy';
import { forbidden } from '../core/errors';
import { recordRows } from '../db/records-repo';
import { orgById } from './orgs';
import { OPEN_DEADLINE } from './recompute';
import { defsOf, dueNow, scoped } from './todo';

const ZSupervisionCell = z.object({ near: z.number(), overdue: z.number() }).meta({ id: 'SupervisionCell' });
export type SupervisionCell = z.infer<typeof ZSupervisionCell>;

const ZSupervisionRow = z
  .object({
    /** A department (法治办, leader) or a town (district supervisor). */
    label: z.string(),
    orgId: z.number(),
    deptId: z.number().nullable(),
    cells: z.record(z.string(), ZSupervisionCell),
    near: z.number(),
    overdue: z.number(),
  })
  .meta({ id: 'SupervisionRow' });
export type SupervisionRow = z.infer<typeof ZSupervisionRow>;

/** The 督办 board as the API answers it (GET /api/supervision). */
export const ZSupervisionBoard = z
  .object({
    orgId: z.number(),
    orgName: z.string(),
    /** Rows are departments of one town, or the towns below a district. */
    by: z.enum(['dept', 'town']),
    /** Kinds that have deadlines, in catalog order. */
    kinds: z.array(z.object({ kind: z.string(), label: z.string() })),
    rows: z.array(ZSupervisionRow),
    totals: z.object({ cells: z.record(z.string(), ZSupervisionCell), near: z.number(), overdue: z.number() }),
  })
  .meta({ id: 'SupervisionBoard' });
export type SupervisionBoard = z.infer<typeof ZSupervisionBoard>;

const add = (c: SupervisionCell, state: string | null, n: number) => {
  if (state === '逾期') c.overdue += n;
  else c.near += n;
};

/**
 * The 督办 board: 临期 and 逾期 matters across all ledgers, by department and kind for a town's
 * 法治办 and leader, by town and kind for a district supervisor — within the actor's data scope,
 * every department (or town) listed, zeros included, so a blank cell means "nothing due".
 */
export async function supervisionBoard(ctx: AppContext, who: Actor, orgId?: number): Promise<SupervisionBoard> {
  const db = ctx.storage.db;
  const defs = await defsOf(ctx);
  const org = await orgById(db, orgId ?? who.orgId);
  const scope = readScope(who, who.role === 'adviser' ? 'legality_review' : '');
  if (!scope || !org.path.startsWith(scope.orgPathPrefix)) throw forbidden(`无权查看“${org.name}”的督办情况`);
  const towns = await db.selectFrom('org_units').select(['id', 'name', 'path']).where('parent_id', '=', org.id).orderBy('path').execute();
  const by: SupervisionBoard['by'] = towns.length > 0 && scope.deptId === undefined ? 'town' : 'dept';

  const q = scoped(ctx, who, defs, recordRows(db, ctx.storage.dialect).where(OPEN_DEADLINE).where(dueNow).where('org_units.path', 'like', `${org.path}%`));
  if (!q) throw forbidden(`无权查看“${org.name}”的督办情况`);
  const counts = await q
    .clearSelect()
    .clearOrderBy()
    .select(['records.org_id', 'records.dept_id', 'records.kind', 'records.deadline_state', 'org_units.path'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['records.org_id', 'records.dept_id', 'records.kind', 'records.deadline_state', 'org_units.path'])
    .execute();

  const kinds = [...defs.values()].filter((d) => d.deadlines?.length).map((d) => ({ kind: d.kind, label: d.label }));
  const blank = () => Object.fromEntries(kinds.map((k) => [k.kind, { near: 0, overdue: 0 }])) as Record<string, SupervisionCell>;
  const rows: SupervisionRow[] = [];
  const rowOf = new Map<string, SupervisionRow>();
  if (by === 'town') {
    for (const t of towns) {
      const r: SupervisionRow = { label: t.name, orgId: t.id, deptId: null, cells: blank(), near: 0, overdue: 0 };
      rows.push(r);
      rowOf.set(t.path, r);
    }
  } else {
    let dq = db.selectFrom('departments').select(['id', 'name']).where('org_id', '=', org.id);
    if (scope.deptId !== undefined) dq = dq.where('id', '=', scope.deptId);
    for (const d of await dq.orderBy('id').execute()) {
      const r: SupervisionRow = { label: d.name, orgId: org.id, deptId: d.id, cells: blank(), near: 0, overdue: 0 };
      rows.push(r);
      rowOf.set(String(d.id), r);
    }
  }
  const totals = { cells: blank(), near: 0, overdue: 0 };
  for (const c of counts) {
    const n = Number(c.n);
    // A town's row holds its own records and those of the units below it.
    const row = by === 'town' ? [...rowOf.entries()].find(([path]) => c.path.startsWith(path))?.[1] : rowOf.get(String(c.dept_id));
    const cell = row?.cells[c.kind];
    if (!row || !cell) continue;
    add(cell, c.deadline_state, n);
    add(row, c.deadline_state, n);
    add(totals.cells[c.kind]!, c.deadline_state, n);
    add(totals, c.deadline_state, n);
  }
  rows.sort((a, b) => b.overdue - a.overdue || b.near - a.near);
  return { orgId: org.id, orgName: org.name, by, kinds, rows, totals };
}
