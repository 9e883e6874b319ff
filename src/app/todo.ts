import { z } from 'zod';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from './context';
import type { DB } from '../db/schema';
import type { LedgerDef } from '../core/ledgers/types';
import { readScope, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { fieldCondition, recordRows } from '../db/records-repo';
import { orgById } from './orgs';
import { maskPii, toRecView, ZTodoItem, type RecRow } from './record-view';
import { OPEN_DEADLINE } from './recompute';

export type TodoItem = z.infer<typeof ZTodoItem>;

/** At most this many records are listed (the counts of the overdue report are never capped). */
const MAX_ITEMS = 1000;

const ADVISER_KIND = 'legality_review';

type Rows = ReturnType<typeof recordRows>;
// kysely's builder type for an arbitrary query over the records join; the scope helper only adds WHEREs.
type AnyRecordsQuery = SelectQueryBuilder<DB & { cu: DB['users']; uu: DB['users'] }, 'records' | 'org_units' | 'departments' | 'cu' | 'uu', object>;

/**
 * Narrows a records query to the actor's data scope across all kinds (readScope, as the lists do):
 * a clerk their department, the 法治办, leaders and supervisors their org unit and below, an
 * adviser only the legality reviews naming them. null when the actor may see no record at all.
 */
export function scoped<Q extends AnyRecordsQuery | Rows>(ctx: AppContext, who: Actor, defs: Map<string, LedgerDef>, q: Q): Q | null {
  const scope = readScope(who, who.role === 'adviser' ? ADVISER_KIND : '');
  if (!scope) return null;
  let out = q as unknown as AnyRecordsQuery;
  if (scope.orgPathPrefix !== '/') out = out.where('org_units.path', 'like', `${scope.orgPathPrefix}%`);
  if (scope.deptId !== undefined) out = out.where('records.dept_id', '=', scope.deptId);
  if (scope.adviser) {
    const field = defs.get(ADVISER_KIND)?.fields.find((f) => f.key === 'adviser');
    if (!field) return null;
    out = out
      .where('records.kind', '=', ADVISER_KIND)
      .where(fieldCondition(ctx.storage.dialect, { field, op: 'eq', value: [scope.adviser.name] }));
  }
  return out as unknown as Q;
}

export const dueNow = sql<boolean>`records.deadline_state in ('临期', '逾期')`;

export async function defsOf(ctx: AppContext): Promise<Map<string, LedgerDef>> {
  return new Map((await ctx.registry.all()).map((d) => [d.kind, d]));
}

/**
 * To-do and overdue items show personal values masked for every role: the lists are loaded on each
 * visit of the home and 督办 pages and need only a title, and the record they open is where a read of
 * personal data is audited (pii-reads.ts), so no list here shows a name in clear without an entry.
 */
function views(defs: Map<string, LedgerDef>, rows: RecRow[], who: Actor): TodoItem[] {
  const out: TodoItem[] = [];
  for (const r of rows) {
    const def = defs.get(r.kind);
    if (!def) continue;
    const v = toRecView(def, r, who);
    out.push({ ...v, data: maskPii(def, v.data), kindLabel: def.label });
  }
  return out;
}

/** The actor's to-do list: 临期 and 逾期 records in their data scope, soonest due first. */
export async function todoList(ctx: AppContext, who: Actor): Promise<{ items: TodoItem[] }> {
  const defs = await defsOf(ctx);
  const q = scoped(ctx, who, defs, recordRows(ctx.storage.db, ctx.storage.dialect).where(OPEN_DEADLINE).where(dueNow));
  if (!q) return { items: [] };
  const rows = (await q.orderBy('records.due_on', 'asc').orderBy('records.id', 'asc').limit(MAX_ITEMS).execute()) as RecRow[];
  return { items: views(defs, rows, who) };
}

export const ZNotification = z
  .object({
    id: z.number(),
    at: z.string(),
    title: z.string(),
    body: z.string(),
    /** The record's ledger kind. */
    kind: z.string(),
    recordId: z.number().nullable(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof ZNotification>;

/** The actor's own notifications, newest first, and how many are unread. */
export async function listNotifications(ctx: AppContext, who: Actor, limit = 100): Promise<{ items: NotificationView[]; unread: number }> {
  const db = ctx.storage.db;
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'created_at', 'title', 'body', 'kind', 'record_id', 'read_at'])
    .where('user_id', '=', who.userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(1, limit), 500))
    .execute();
  const { n } = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', who.userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    items: rows.map((r) => ({ id: r.id, at: r.created_at, title: r.title, body: r.body, kind: r.kind ?? '', recordId: r.record_id, read: r.read_at !== null })),
    unread: Number(n),
  };
}

/** Marks one of the actor's own notifications read (someone else's is "not found", not revealed). */
export async function markNotificationRead(ctx: AppContext, who: Actor, id: number): Promise<{ id: number; read: true }> {
  const db = ctx.storage.db;
  const row = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', who.userId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', '通知不存在');
  if (row.read_at === null) {
    await db.updateTable('notifications').set({ read_at: ctx.now().toISOString() }).where('id', '=', id).where('read_at', 'is', null).execute();
  }
  return { id, read: true };
}

const ZOverdueDept = z.object({
  deptId: z.number(),
  /** Department name; prefixed with its org unit when the report covers several. */
  dept: z.string(),
  overdue: z.number(),
  nearDue: z.number(),
  /** Overdue records per ledger kind. */
  byKind: z.record(z.string(), z.number()),
});
export type OverdueDept = z.infer<typeof ZOverdueDept>;

export const ZOverdueReport = z
  .object({
    orgId: z.number(),
    orgName: z.string(),
    depts: z.array(ZOverdueDept),
    /** 逾期 and 临期 records, soonest due first (at most 1000). */
    items: z.array(ZTodoItem),
  })
  .meta({ id: 'OverdueReport' });
export type OverdueReport = z.infer<typeof ZOverdueReport>;

/**
 * Overdue and near-due records per department of an org unit (and the units below it), within the
 * actor's data scope; departments with none are listed with zeros so the table is complete.
 */
export async function overdueReport(ctx: AppContext, who: Actor, orgId?: number): Promise<OverdueReport> {
  const db = ctx.storage.db;
  const defs = await defsOf(ctx);
  const org = await orgById(db, orgId ?? who.orgId);
  const scope = readScope(who, who.role === 'adviser' ? ADVISER_KIND : '');
  if (!scope || !(org.path.startsWith(scope.orgPathPrefix) || scope.orgPathPrefix.startsWith(org.path))) {
    throw forbidden(`无权查看“${org.name}”的逾期情况`);
  }
  const base = recordRows(db, ctx.storage.dialect).where(OPEN_DEADLINE).where(dueNow).where('org_units.path', 'like', `${org.path}%`);
  const q = scoped(ctx, who, defs, base);
  if (!q) throw forbidden(`无权查看“${org.name}”的逾期情况`);

  const counts = await q
    .clearSelect()
    .clearOrderBy()
    .select(['records.dept_id', 'records.kind', 'records.deadline_state'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['records.dept_id', 'records.kind', 'records.deadline_state'])
    .execute();
  const rows = (await q.orderBy('records.due_on', 'asc').orderBy('records.id', 'asc').limit(MAX_ITEMS).execute()) as RecRow[];

  let deptQuery = db
    .selectFrom('departments')
    .innerJoin('org_units', 'org_units.id', 'departments.org_id')
    .select(['departments.id', 'departments.name', 'departments.org_id', 'org_units.name as org_name'])
    .where('org_units.path', 'like', `${org.path}%`);
  if (scope.orgPathPrefix !== '/') deptQuery = deptQuery.where('org_units.path', 'like', `${scope.orgPathPrefix}%`);
  if (scope.deptId !== undefined) deptQuery = deptQuery.where('departments.id', '=', scope.deptId);
  const deptRows = await deptQuery.orderBy('org_units.path').orderBy('departments.id').execute();
  const several = new Set(deptRows.map((d) => d.org_id)).size > 1;

  const byDept = new Map<number, OverdueDept>();
  for (const d of deptRows) {
    byDept.set(d.id, { deptId: d.id, dept: several ? `${d.org_name}${d.name}` : d.name, overdue: 0, nearDue: 0, byKind: {} });
  }
  for (const c of counts) {
    const d = byDept.get(c.dept_id);
    if (!d) continue;
    const n = Number(c.n);
    if (c.deadline_state === '逾期') {
      d.overdue += n;
      d.byKind[c.kind] = (d.byKind[c.kind] ?? 0) + n;
    } else d.nearDue += n;
  }
  const order = deptRows.map((d) => d.id);
  const depts = [...byDept.values()].sort(
    (a, b) => b.overdue - a.overdue || b.nearDue - a.nearDue || order.indexOf(a.deptId) - order.indexOf(b.deptId),
  );
  return { orgId: org.id, orgName: org.name, depts, items: views(defs, rows, who) };
}
