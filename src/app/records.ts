import { sql, type Transaction } from 'kysely';
import type { AppContext } from './context';
import type { DB } from '../db/schema';
import type { Dialect } from '../db/connect';
import type { FieldDef, LedgerDef, RecordData } from '../core/ledgers/types';
import { canRead, canSeePii, canWrite, readScope, type Actor } from '../core/access/policy';
import { checkDeadlineDates, isValidDate, newlySetExtensionFlags, validateRecordData } from '../core/ledgers/validate';
import { AppError, forbidden } from '../core/errors';
import { todayShanghai, yearRange } from '../core/time';
import { audit, piiKeys } from './audit';
import { deptNames, orgById } from './orgs';
import { deadlineOf, deriveColumns, newRecordRow } from './derive';
import { transitionsFor } from './transitions';
import { envFor, loadDeadlineEnv } from './deadline-env';
import { maskData, parseData, placeOfRecord, toRecView, type RecRow, type RecView } from './record-view';
import { fieldCondition, kindIs, orderExpression, recordRows, type FieldFilter } from '../db/records-repo';
import { keywordCondition } from '../db/keyword';
import { kindSize } from '../db/kind-sizes';
import { PLAN_PER_CALL } from '../db/pg-prepared';
import { dataValue } from '../db/json';
import { blindOf, openAuditValue, storedData } from './crypto/pii-codec';
import { activeCipher } from './crypto/active-key';

export interface RecordInput {
  orgId?: number;
  deptId?: number;
  data: unknown;
}

async function placeOf(ctx: AppContext, trx: Transaction<DB>, orgId: number, deptId: number | undefined) {
  const org = await orgById(trx, orgId);
  if (deptId === undefined) throw new AppError('VALIDATION', '责任部门：必填', { fields: [{ field: 'deptId', label: '责任部门', message: '责任部门：必填' }] });
  const dept = await trx.selectFrom('departments').select(['id', 'org_id', 'name']).where('id', '=', deptId).executeTakeFirst();
  if (!dept || dept.org_id !== org.id) {
    throw new AppError('VALIDATION', '责任部门：不属于该组织', { fields: [{ field: 'deptId', label: '责任部门', message: '责任部门：不属于该组织' }] });
  }
  return { org, dept };
}

/** Validation of a create or an edit: the fields, the deadline dates, and no unapproved extension. */
function validated(def: LedgerDef, input: unknown, names: Set<string>, today: string, previous?: RecordData): RecordData {
  const r = validateRecordData(def, input, { deptNames: names, previous });
  const errors = r.ok ? [...checkDeadlineDates(def, r.data, today), ...newlySetExtensionFlags(def, previous ?? {}, r.data)] : r.errors;
  if (!r.ok || errors.length) throw new AppError('VALIDATION', errors.map((e) => e.message).join('；'), { fields: errors });
  return r.data;
}

/** A new row with its data in the storage format of the database (JSONB on SQLite). */
function storedRow<T extends { data: string }>(ctx: AppContext, row: T) {
  return { ...row, data: dataValue(ctx.storage.dialect, row.data) };
}

async function loadRow(ctx: AppContext, trx: Transaction<DB> | AppContext['storage']['db'], kind: string, id: number): Promise<RecRow> {
  const row = await recordRows(trx, ctx.storage.dialect).where('records.id', '=', id).where('records.kind', '=', kind).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', '记录不存在');
  return row as RecRow;
}


export async function createRecord(ctx: AppContext, who: Actor, kind: string, input: RecordInput): Promise<RecView> {
  const def = await ctx.registry.get(kind);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    const { org, dept } = await placeOf(ctx, trx, input.orgId ?? who.orgId, input.deptId);
    if (!canWrite(who, { orgPath: org.path, deptId: dept.id, kind })) throw forbidden(`无权为“${org.name}${dept.name}”填报记录`);
    const data = validated(def, input.data, await deptNames(trx, org.id), todayShanghai(now));
    const status = def.flow?.initial ?? null;
    const env = await loadDeadlineEnv(trx, todayShanghai(now), [org.id]);
    const { id } = await trx
      .insertInto('records')
      .values(storedRow(ctx, newRecordRow(def, { orgId: org.id, deptId: dept.id }, data, status, envFor(env, org.id, kind), { userId: who.userId, at })))
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'create', entity: 'record', entityId: id, kind, orgId: org.id, after: { deptId: dept.id, status, data }, pii: piiKeys(def) });
    return getRecord(ctx, who, kind, id, trx);
  });
}

/**
 * One record with its deadline explained and the transitions the actor may perform.
 * `db` is the write's own transaction when a command answers with the record it wrote: read after the
 * commit, another writer's newer version could come back instead, and a client saving again with that
 * version would overwrite the other writer's change unseen.
 */
export async function getRecord(ctx: AppContext, who: Actor, kind: string, id: number, db: Transaction<DB> | AppContext['storage']['db'] = ctx.storage.db): Promise<RecView> {
  const def = await ctx.registry.get(kind);
  const row = await loadRow(ctx, db, kind, id);
  if (!canRead(who, placeOfRecord(row))) throw forbidden('无权查看该记录（不在您的数据范围内）');
  const view = toRecView(def, row, who);
  if (def.deadlines?.length) {
    const env = await loadDeadlineEnv(db, todayShanghai(ctx.now()), [row.org_id]);
    const d = deadlineOf(def, parseData(row.data), row.status, row.clock, envFor(env, row.org_id, kind), true);
    if (d) {
      view.deadline = {
        rule: d.rule.key,
        label: d.rule.label,
        basis: d.basis,
        startOn: d.startOn,
        dueOn: d.dueOn,
        state: d.state,
        provisional: d.provisional,
        stopped: d.stopped,
        explanation: d.explanation,
      };
      if (d.restart) view.deadline.restartOn = d.restart.to ?? null;
      if (d.notice) view.deadline.notice = { label: d.notice.label, basis: d.notice.basis, dueOn: d.notice.dueOn, on: d.notice.on ?? null, late: d.notice.late };
    }
  }
  view.transitions = transitionsFor(def, row, who);
  return view;
}

export async function updateRecord(
  ctx: AppContext,
  who: Actor,
  kind: string,
  id: number,
  input: { version: number; data?: unknown; deptId?: number },
): Promise<RecView> {
  return ctx.storage.db.transaction().execute(async (trx) => {
    await updateRecordIn(ctx, trx, who, kind, id, input);
    return getRecord(ctx, who, kind, id, trx);
  });
}

/**
 * The update command inside a caller's transaction (an import updates many records in one):
 * scope, version, validation, derived columns, the row and its audit entry.
 */
export async function updateRecordIn(
  ctx: AppContext,
  trx: Transaction<DB>,
  who: Actor,
  kind: string,
  id: number,
  input: { version: number; data?: unknown; deptId?: number },
): Promise<void> {
  const def = await ctx.registry.get(kind);
  const now = ctx.now();
  const at = now.toISOString();
  {
    const row = await loadRow(ctx, trx, kind, id);
    const place = placeOfRecord(row);
    if (!canRead(who, place)) throw forbidden('无权查看该记录（不在您的数据范围内）');
    if (!canWrite(who, place)) throw forbidden('无权修改该记录');
    if (row.deleted_at) throw new AppError('CONFLICT', '记录已删除，请先恢复再修改', { current: toRecView(def, row, who) });
    if (row.version !== input.version)
      throw new AppError('CONFLICT', '该记录已被他人修改，请查看最新内容后再保存', { current: toRecView(def, row, who) });
    let deptId = row.dept_id;
    if (input.deptId !== undefined && input.deptId !== row.dept_id) {
      const { org, dept } = await placeOf(ctx, trx, row.org_id, input.deptId);
      if (!canWrite(who, { orgPath: org.path, deptId: dept.id, kind })) throw forbidden('无权把记录转到该部门');
      deptId = dept.id;
    }
    const before = parseData(row.data);
    const data = validated(def, input.data ?? {}, await deptNames(trx, row.org_id), todayShanghai(now), before);
    const env = await loadDeadlineEnv(trx, todayShanghai(now), [row.org_id]);
    const derived = deriveColumns(def, data, row.status, row.clock, envFor(env, row.org_id, kind));
    const stored = storedData(def, data);
    const res = await trx
      .updateTable('records')
      .set({ ...derived, dept_id: deptId, data: dataValue(ctx.storage.dialect, stored.data), pii_index: stored.pii_index, version: row.version + 1, updated_by: who.userId || null, updated_at: at })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '该记录已被他人修改，请查看最新内容后再保存', { current: toRecView(def, await loadRow(ctx, trx, kind, id), who) });
    await audit(trx, who, at, {
      action: 'update',
      entity: 'record',
      entityId: id,
      kind,
      orgId: row.org_id,
      before: { deptId: row.dept_id, data: before },
      after: { deptId, data },
      pii: piiKeys(def),
    });
  }
}

export async function setDeleted(ctx: AppContext, who: Actor, kind: string, id: number, deleted: boolean): Promise<RecView> {
  const def = await ctx.registry.get(kind);
  const at = ctx.now().toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    const row = await loadRow(ctx, trx, kind, id);
    const place = placeOfRecord(row);
    if (!canRead(who, place)) throw forbidden('无权查看该记录（不在您的数据范围内）');
    if (!canWrite(who, place)) throw forbidden(deleted ? '无权删除该记录' : '无权恢复该记录');
    if (deleted && row.deleted_at) throw new AppError('CONFLICT', '记录已删除');
    if (!deleted && !row.deleted_at) throw new AppError('CONFLICT', '记录未删除，无需恢复');
    await trx
      .updateTable('records')
      .set({ deleted_at: deleted ? at : null, version: row.version + 1, updated_by: who.userId || null, updated_at: at })
      .where('id', '=', id)
      .execute();
    await audit(trx, who, at, { action: deleted ? 'delete' : 'restore', entity: 'record', entityId: id, kind, orgId: row.org_id });
    return getRecord(ctx, who, kind, id, trx);
  });
}

export interface ListQuery {
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
  orgId?: number;
  deptId?: number;
  year?: number;
  status?: string;
  deadlineState?: string[];
  deleted?: boolean;
  /** Raw field filters: `field` or `field.op` -> value, as given in the query string. */
  filters?: Record<string, string>;
  /** Exact-count limit (default LIST_COUNT_CAP). */
  countCap?: number;
  /** The keyword box: words in any text field (see db/keyword.ts). */
  keyword?: string;
  /** Only these records (an export of the selected rows). */
  ids?: number[];
}

const COMMON_SORT: Record<string, string> = {
  occurredOn: 'records.occurred_on',
  dueOn: 'records.due_on',
  createdAt: 'records.created_at',
  updatedAt: 'records.updated_at',
  id: 'records.id',
  status: 'records.status',
};

/** Filtering or sorting on a personal field would reveal a masked name, so only roles that see it may. */
function checkPiiAccess(field: FieldDef, who: Actor | null, what: string): void {
  if (field.pii && who && !canSeePii(who)) throw new AppError('FORBIDDEN', `${what}：无权按个人信息字段“${field.label}”查询`);
}

export function parseFieldFilters(def: LedgerDef, raw: Record<string, string>, who: Actor | null = null): FieldFilter[] {
  const out: FieldFilter[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const [key, op = 'eq'] = k.split('.') as [string, string | undefined];
    const field = def.fields.find((f) => f.key === key);
    if (!field) throw new AppError('BAD_REQUEST', `筛选条件：${def.label}没有字段“${key}”`);
    checkPiiAccess(field, who, '筛选条件');
    if (!['eq', 'in', 'from', 'to', 'contains'].includes(op)) throw new AppError('BAD_REQUEST', `筛选条件：不支持的方式“${op}”`);
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (field.pii) {
      // Encrypted at rest: only exact values, matched by their keyed blind index (HMAC-SM3).
      if (op !== 'eq' && op !== 'in') throw new AppError('BAD_REQUEST', `筛选条件：个人信息字段“${field.label}”加密存储，只能按完整值精确筛选`);
      const cipher = activeCipher();
      out.push({ field, op, value: list, blind: list.map((x) => blindOf(cipher, def.kind, field.key, x)) });
      continue;
    }
    if (['int', 'money', 'number', 'ref'].includes(field.type) && list.some((s) => !Number.isFinite(Number(s))))
      throw new AppError('BAD_REQUEST', `筛选条件：${field.label}必须是数字`);
    if (field.type === 'date' && op !== 'contains' && list.some((s) => !isValidDate(s)))
      throw new AppError('BAD_REQUEST', `筛选条件：${field.label}必须是有效日期（YYYY-MM-DD）`);
    if (field.type === 'month' && op !== 'contains' && list.some((s) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(s)))
      throw new AppError('BAD_REQUEST', `筛选条件：${field.label}必须是有效月份（YYYY-MM）`);
    out.push({ field, op: op as FieldFilter['op'], value: op === 'contains' || op === 'from' || op === 'to' ? v : list });
  }
  return out;
}

/**
 * LIMIT and OFFSET as literals on SQLite: a bound LIMIT makes SQLite plan the statement again on every
 * call (the plan may depend on the value), which on `records` with its many partial indexes costs
 * several times the page read itself (100 vs 10 µs measured). They are integers computed here, never
 * a client's text. PostgreSQL keeps them as parameters, so one prepared statement serves every page.
 */
function sqliteLiteral(dialect: Dialect, n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${n}`);
  return dialect === 'sqlite' ? sql.lit(n) : n;
}

/** Lists report exact totals up to this many matches, and "this many or more" beyond. */
export const LIST_COUNT_CAP = 100_000;

/**
 * The records a list selects (scope, filters, keyword, ids, year, state), as a query on `records`
 * alone: the list pages it, the export names its ids in the audit before streaming.
 */
export async function listSelection(ctx: AppContext, who: Actor, kind: string, q: ListQuery) {
  const def = await ctx.registry.get(kind);
  const scope = readScope(who, kind);
  if (!scope) throw forbidden(`无权查看“${def.label}”`);
  const filters = parseFieldFilters(def, q.filters ?? {}, who);
  const dialect = ctx.storage.dialect;
  const db = ctx.storage.db;
  // Conditions on `records` alone, so the count reads only the (partial) index and the page joins names for 20 rows.
  let base = db.selectFrom('records').where(kindIs(kind));
  if (scope.orgPathPrefix !== '/' || q.orgId !== undefined) {
    // Org ids resolved first: a single org becomes `org_id = ?`, which lets the index give pages in order.
    let orgs = db.selectFrom('org_units').select('id').where('path', 'like', `${scope.orgPathPrefix}%`);
    if (q.orgId !== undefined) orgs = orgs.where('id', '=', q.orgId);
    const ids = (await orgs.execute()).map((o) => o.id);
    base = ids.length === 1 ? base.where('records.org_id', '=', ids[0]!) : base.where('records.org_id', 'in', ids.length ? ids : [-1]);
  }
  if (scope.deptId !== undefined) base = base.where('records.dept_id', '=', scope.deptId);
  if (scope.adviser) {
    const adviserField = def.fields.find((f) => f.key === 'adviser');
    if (!adviserField) throw forbidden(`无权查看“${def.label}”`);
    base = base.where(fieldCondition(dialect, { field: adviserField, op: 'eq', value: [scope.adviser.name] }));
  }
  if (q.deptId !== undefined) base = base.where('records.dept_id', '=', q.deptId);
  if (q.year !== undefined) {
    const { from, to } = yearRange(q.year);
    base = base.where('records.occurred_on', '>=', from).where('records.occurred_on', '<=', to);
  }
  if (q.status) {
    // Several states may be asked for at once (状态: 收到,延期), as the list's filter sends them.
    const states = q.status.split(',').filter(Boolean);
    base = states.length > 1 ? base.where('records.status', 'in', states) : base.where('records.status', '=', q.status);
  }
  const keyword = q.keyword?.trim();
  if (keyword) base = base.where(keywordCondition(dialect, def, keyword, canSeePii(who), (f) => blindOf(activeCipher(), def.kind, f.key, keyword)));
  if (q.ids) base = base.where('records.id', 'in', q.ids.length ? q.ids : [-1]);
  if (q.deadlineState?.length) base = base.where('records.deadline_state', 'in', q.deadlineState);
  base = q.deleted ? base.where('records.deleted_at', 'is not', null) : base.where('records.deleted_at', 'is', null);
  for (const f of filters) base = base.where(fieldCondition(dialect, f, def));
  return { def, base };
}

export async function listRecords(
  ctx: AppContext,
  who: Actor,
  kind: string,
  q: ListQuery,
): Promise<{ items: RecView[]; total: number; totalCapped: boolean; page: number; pageSize: number }> {
  const { def, base } = await listSelection(ctx, who, kind, q);
  const dialect = ctx.storage.dialect;
  const db = ctx.storage.db;

  // Counting is capped: past LIST_COUNT_CAP matches the total is reported as a lower bound, so an
  // unfiltered list of a very large kind stays fast (the count is what costs, not the page).
  const cap = q.countCap ?? LIST_COUNT_CAP;
  // A kind no bigger than the cap is counted plainly (no filter can match more); a bigger one through
  // a subquery stopped at cap + 1 rows, whose `select 1`, not the id, carries no column per row.
  // The capped form is planned per call on PostgreSQL (PLAN_PER_CALL): under its LIMIT a generic plan,
  // blind to how many records match, walks the index row by row where a bitmap read is needed. The plain
  // count keeps its prepared plan, a bitmap read either way.
  const countRow =
    (await kindSize(db, kind)) <= cap
      ? await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      : await db
          .selectFrom(base.select(sql<number>`1`.as('one')).limit(sqliteLiteral(dialect, cap + 1)).as('m'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .modifyEnd(PLAN_PER_CALL)
          .executeTakeFirstOrThrow();
  const counted = Number(countRow.n);
  const order = q.order === 'asc' ? 'asc' : 'desc';
  let ids = base.select('records.id');
  if (q.sort && Object.hasOwn(COMMON_SORT, q.sort)) ids = ids.orderBy(sql.ref(COMMON_SORT[q.sort]!), order);
  else if (q.sort) {
    const f = def.fields.find((x) => x.key === q.sort);
    if (!f) throw new AppError('BAD_REQUEST', `排序：${def.label}没有字段“${q.sort}”`);
    checkPiiAccess(f, who, '排序');
    if (f.pii) throw new AppError('BAD_REQUEST', `排序：个人信息字段“${f.label}”加密存储，不能排序`);
    ids = ids.orderBy(orderExpression(dialect, f, def), order);
  } else ids = ids.orderBy('records.occurred_on', 'desc');
  ids = ids.orderBy('records.id', 'desc');
  const page = Math.max(1, q.page);
  const pageSize = Math.min(Math.max(1, q.pageSize), 500);
  const pageIds = (await ids.limit(sqliteLiteral(dialect, pageSize)).offset(sqliteLiteral(dialect, (page - 1) * pageSize)).execute()).map((r) => r.id);
  const rows = pageIds.length ? await recordRows(db, dialect).where('records.id', 'in', pageIds).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = pageIds.map((id) => byId.get(id)!).filter(Boolean);
  return {
    items: items.map((r) => toRecView(def, r as RecRow, who)),
    total: Math.min(counted, cap),
    totalCapped: counted > cap,
    page,
    pageSize,
  };
}

export interface HistoryEntry {
  id: number;
  at: string;
  username: string | null;
  /** The author's name as people know it (the account's display name). */
  displayName: string | null;
  action: string;
  ip: string | null;
  before: unknown;
  after: unknown;
  detail: string | null;
}

export async function recordHistory(ctx: AppContext, who: Actor, kind: string, id: number): Promise<HistoryEntry[]> {
  const def = await ctx.registry.get(kind);
  await getRecord(ctx, who, kind, id); // scope check
  const mask = (stored: unknown): unknown => {
    const v = openAuditValue(stored);
    if (!v || typeof v !== 'object' || !('data' in v)) return v;
    const o = v as { data: RecordData };
    return { ...o, data: maskData(def, o.data, who) };
  };
  const rows = await ctx.storage.db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .selectAll('audit_log')
    .select('users.display_name')
    .where('audit_log.entity', '=', 'record')
    .where('audit_log.entity_id', '=', String(id))
    .orderBy('audit_log.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    username: r.username,
    displayName: r.display_name,
    action: r.action,
    ip: r.ip,
    before: r.before ? mask(JSON.parse(r.before)) : null,
    after: r.after ? mask(JSON.parse(r.after)) : null,
    detail: r.detail,
  }));
}
