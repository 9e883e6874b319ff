import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError, forbidden, notFound } from '../core/errors';
import { audit } from './audit';

export const ORG_LEVELS = ['区', '镇', '街道'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const ZOrgView = z
  .object({
    id: z.number(),
    code: z.string(),
    name: z.string(),
    level: z.enum(ORG_LEVELS),
    parentId: z.number().nullable(),
    path: z.string(),
    depts: z.array(z.object({ id: z.number(), name: z.string() })),
  })
  .meta({ id: 'Org' });
export type OrgView = z.infer<typeof ZOrgView>;

type Db = Kysely<DB> | Transaction<DB>;

export async function orgByCode(db: Db, code: string) {
  const o = await db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
  if (!o) throw new AppError('NOT_FOUND', `组织“${code}”不存在`);
  return o;
}

export async function orgById(db: Db, id: number) {
  const o = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!o) throw notFound('组织');
  return o;
}

export async function addOrg(
  ctx: AppContext,
  who: Actor,
  input: { code: string; name: string; level: string; parentCode?: string | null; parentId?: number | null },
): Promise<OrgView> {
  if (who.role !== 'admin') throw forbidden('只有系统管理员可以添加组织');
  if (!/^[a-z0-9_-]{2,40}$/.test(input.code)) throw new AppError('VALIDATION', '组织代码：只能用小写字母、数字、下划线和连字符（2至40位）');
  if (!(ORG_LEVELS as readonly string[]).includes(input.level)) throw new AppError('VALIDATION', `组织级别：必须是${ORG_LEVELS.join('、')}之一`);
  if (!input.name.trim()) throw new AppError('VALIDATION', '组织名称：不能为空');
  const at = ctx.now().toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('org_units').select('id').where('code', '=', input.code).executeTakeFirst())
      throw new AppError('CONFLICT', `组织代码“${input.code}”已存在`);
    let parent: { id: number; path: string } | undefined;
    if (input.parentCode) parent = await orgByCode(trx, input.parentCode);
    else if (input.parentId) parent = await orgById(trx, input.parentId);
    const { id } = await trx
      .insertInto('org_units')
      .values({ code: input.code, name: input.name.trim(), level: input.level, parent_id: parent?.id ?? null, path: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parent?.path ?? '/'}${id}/`;
    await trx.updateTable('org_units').set({ path }).where('id', '=', id).execute();
    await audit(trx, who, at, { action: 'create', entity: 'org_unit', entityId: id, orgId: id, after: input });
    return { id, code: input.code, name: input.name.trim(), level: input.level as OrgLevel, parentId: parent?.id ?? null, path, depts: [] };
  });
}

export async function addDept(ctx: AppContext, who: Actor, orgId: number, name: string): Promise<{ id: number; name: string }> {
  const org = await orgById(ctx.storage.db, orgId);
  if (!(who.role === 'admin' || (who.role === 'office' && org.path.startsWith(who.orgPath))))
    throw forbidden('无权在该组织下添加部门');
  const clean = name.trim();
  if (!clean || clean.length > 50) throw new AppError('VALIDATION', '部门名称：不能为空，且不超过50个字');
  const at = ctx.now().toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('departments').select('id').where('org_id', '=', orgId).where('name', '=', clean).executeTakeFirst())
      throw new AppError('CONFLICT', `部门“${clean}”已存在`);
    const { id } = await trx.insertInto('departments').values({ org_id: orgId, name: clean }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'create', entity: 'department', entityId: id, orgId, after: { name: clean } });
    return { id, name: clean };
  });
}

/** Org units the actor may see (its own and everything below), with their departments. */
export async function listOrgs(ctx: AppContext, who: Actor): Promise<OrgView[]> {
  const prefix = who.role === 'admin' ? '/' : who.orgPath;
  const orgs = await ctx.storage.db.selectFrom('org_units').selectAll().where('path', 'like', `${prefix}%`).orderBy('path').execute();
  const depts = await ctx.storage.db
    .selectFrom('departments')
    .selectAll()
    .where('org_id', 'in', orgs.length ? orgs.map((o) => o.id) : [-1])
    .orderBy('id')
    .execute();
  return orgs.map((o) => ({
    id: o.id,
    code: o.code,
    name: o.name,
    // Only these levels are ever written (addOrg checks them).
    level: o.level as OrgLevel,
    parentId: o.parent_id,
    path: o.path,
    depts: depts.filter((d) => d.org_id === o.id).map((d) => ({ id: d.id, name: d.name })),
  }));
}

export async function deptNames(db: Db, orgId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('departments').select('name').where('org_id', '=', orgId).execute();
  return new Set(rows.map((r) => r.name));
}
