import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from './context';
import { ROLES, ROLE_LABELS, type Role } from '../core/ledgers/types';
import { canGrant, capabilities, type Actor } from '../core/access/policy';
import { AppError, forbidden, notFound } from '../core/errors';
import { audit } from './audit';
import { orgByCode, orgById } from './orgs';

const MAX_FAILED = 5;
const LOCK_MINUTES = 15;
const SESSION_HOURS = 12;

// argon2id with moderate cost: ~50 ms a hash on this 2-core machine.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  orgId: number;
  orgName: string;
  orgCode: string;
  deptId: number | null;
  deptName: string | null;
  active: boolean;
  can: ReturnType<typeof capabilities>;
}

/** 12 characters without look-alikes (0/O, 1/l), always with letters and digits so it passes the strength rule. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    // 224 = 4 × 56: bytes at or above it are dropped so every character is equally likely.
    const pw = Array.from(crypto.randomBytes(24))
      .filter((b) => b < 224)
      .slice(0, 12)
      .map((b) => alphabet[b % alphabet.length])
      .join('');
    if (pw.length === 12 && /[A-Za-z]/.test(pw) && /[0-9]/.test(pw)) return pw;
  }
}

export function checkPasswordStrength(pw: string): void {
  if (pw.length < 8) throw new AppError('VALIDATION', '密码：至少8位');
  if (!/[A-Za-z]/.test(pw) || !/[0-9]/.test(pw)) throw new AppError('VALIDATION', '密码：须同时包含字母和数字');
}

const tokenId = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function userQuery(ctx: AppContext) {
  return ctx.storage.db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .leftJoin('departments', 'departments.id', 'users.dept_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.org_id',
      'users.dept_id',
      'users.active',
      'users.password_hash',
      'users.failed_logins',
      'users.locked_until',
      'org_units.name as org_name',
      'org_units.code as org_code',
      'org_units.path as org_path',
      'departments.name as dept_name',
    ]);
}
type UserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirst']>>>;

function toActor(u: UserRow, ip: string | null): Actor {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    orgId: u.org_id,
    orgPath: u.org_path,
    deptId: u.dept_id,
    ip,
  };
}

function toView(u: UserRow): UserView {
  const a = toActor(u, null);
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: a.role,
    roleLabel: ROLE_LABELS[a.role],
    orgId: u.org_id,
    orgName: u.org_name,
    orgCode: u.org_code,
    deptId: u.dept_id,
    deptName: u.dept_name,
    active: u.active === 1,
    can: capabilities(a),
  };
}

export async function createUser(
  ctx: AppContext,
  who: Actor,
  input: { username: string; displayName?: string; role: string; orgId?: number; orgCode?: string; deptId?: number | null; deptName?: string; password?: string },
): Promise<{ user: UserView; password?: string }> {
  if (!(ROLES as readonly string[]).includes(input.role))
    throw new AppError('VALIDATION', `角色：必须是${ROLES.map((r) => `${r}（${ROLE_LABELS[r]}）`).join('、')}之一`);
  const role = input.role as Role;
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(input.username)) throw new AppError('VALIDATION', '用户名：3至40位字母、数字、下划线、点或连字符');
  const db = ctx.storage.db;
  const org = input.orgCode ? await orgByCode(db, input.orgCode) : await orgById(db, input.orgId ?? -1);
  let deptId = input.deptId ?? null;
  if (input.deptName) {
    const d = await db.selectFrom('departments').select('id').where('org_id', '=', org.id).where('name', '=', input.deptName).executeTakeFirst();
    if (!d) throw new AppError('VALIDATION', `部门：${org.name}没有部门“${input.deptName}”`);
    deptId = d.id;
  }
  if (deptId !== null) {
    const d = await db.selectFrom('departments').select('org_id').where('id', '=', deptId).executeTakeFirst();
    if (!d || d.org_id !== org.id) throw new AppError('VALIDATION', '部门：不属于所选组织');
  }
  if (role === 'clerk' && deptId === null) throw new AppError('VALIDATION', '部门：部门填报员必须指定部门');
  if (!canGrant(who, role, { orgPath: org.path, deptId })) throw forbidden(`无权创建角色为“${ROLE_LABELS[role]}”的用户`);
  const generated = input.password ? undefined : generatePassword();
  const password = input.password ?? generated!;
  checkPasswordStrength(password);
  const at = ctx.now().toISOString();
  const passwordHash = await hash(password, ARGON);
  const id = await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst())
      throw new AppError('CONFLICT', `用户名“${input.username}”已存在`);
    const { id } = await trx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: input.displayName?.trim() || input.username,
        password_hash: passwordHash,
        role,
        org_id: org.id,
        dept_id: deptId,
        active: 1,
        failed_logins: 0,
        locked_until: null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'grant', entity: 'user', entityId: id, orgId: org.id, after: { username: input.username, role, orgId: org.id, deptId } });
    return id;
  });
  return { user: await getUserView(ctx, id), password: generated };
}

export async function getUserView(ctx: AppContext, id: number): Promise<UserView> {
  const u = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  return toView(u);
}

export async function listUsers(ctx: AppContext, who: Actor): Promise<UserView[]> {
  if (who.role !== 'admin' && who.role !== 'office') throw forbidden();
  const prefix = who.role === 'admin' ? '/' : who.orgPath;
  const rows = await userQuery(ctx).where('org_units.path', 'like', `${prefix}%`).orderBy('users.id').execute();
  return rows.map(toView);
}

export async function updateUser(
  ctx: AppContext,
  who: Actor,
  id: number,
  input: { displayName?: string; role?: string; deptId?: number | null; active?: boolean },
): Promise<UserView> {
  const u = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  const role = (input.role ?? u.role) as Role;
  if (!(ROLES as readonly string[]).includes(role)) throw new AppError('VALIDATION', '角色：不存在');
  const deptId = input.deptId === undefined ? u.dept_id : input.deptId;
  if (deptId !== null && deptId !== u.dept_id) {
    const d = await ctx.storage.db.selectFrom('departments').select('org_id').where('id', '=', deptId).executeTakeFirst();
    if (!d || d.org_id !== u.org_id) throw new AppError('VALIDATION', '部门：不属于该用户的组织');
  }
  // Changing anything of a user is a grant at the user's place: the same rule as creating one, and never oneself.
  if (role === 'clerk' && deptId === null) throw new AppError('VALIDATION', '部门：部门填报员必须指定部门');
  if (!canGrant(who, role, { orgPath: u.org_path, deptId }, id) || !canGrant(who, u.role as Role, { orgPath: u.org_path, deptId: u.dept_id }, id))
    throw forbidden('无权修改该用户的角色或权限');
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        display_name: input.displayName?.trim() || u.display_name,
        role,
        dept_id: deptId,
        active: input.active === undefined ? u.active : input.active ? 1 : 0,
      })
      .where('id', '=', id)
      .execute();
    if (input.active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(trx, who, at, {
      action: 'grant',
      entity: 'user',
      entityId: id,
      orgId: u.org_id,
      before: { role: u.role, deptId: u.dept_id, active: u.active === 1 },
      after: { role, deptId, active: input.active ?? u.active === 1 },
    });
  });
  return getUserView(ctx, id);
}

export async function setPassword(ctx: AppContext, who: Actor, id: number, password: string): Promise<void> {
  checkPasswordStrength(password);
  const at = ctx.now().toISOString();
  const h = await hash(password, ARGON);
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: h, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(trx, who, at, { action: 'password', entity: 'user', entityId: id });
  });
}

export async function resetPassword(ctx: AppContext, who: Actor, id: number): Promise<string> {
  const u = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  if (!canGrant(who, u.role as Role, { orgPath: u.org_path, deptId: u.dept_id }, id)) throw forbidden('无权重置该用户的密码');
  const pw = generatePassword();
  await setPassword(ctx, who, id, pw);
  return pw;
}

export async function changeOwnPassword(ctx: AppContext, who: Actor, oldPassword: string, newPassword: string): Promise<void> {
  const u = await userQuery(ctx).where('users.id', '=', who.userId).executeTakeFirst();
  if (!u || !(await verify(u.password_hash, oldPassword))) throw new AppError('VALIDATION', '原密码不正确');
  await setPassword(ctx, who, who.userId, newPassword);
}

/** Verifies a password with lockout; returns a new session token. Every attempt is audited. */
export async function login(
  ctx: AppContext,
  username: string,
  password: string,
  ip: string | null,
): Promise<{ token: string; user: UserView; expiresAt: string }> {
  const now = ctx.now();
  const at = now.toISOString();
  const u = await userQuery(ctx).where('users.username', '=', username).executeTakeFirst();
  const fail = async (message: string, code: 'UNAUTHENTICATED' | 'LOCKED' = 'UNAUTHENTICATED') => {
    await audit(ctx.storage.db, { userId: u?.id ?? 0, username, ip }, at, { action: 'login_failed', entity: 'session', detail: message });
    return new AppError(code, message);
  };
  if (!u || u.active !== 1) {
    // Spend the same time as a real check, so user names cannot be probed by timing.
    await hash(password, ARGON);
    throw await fail(`用户名或密码不正确（连续${MAX_FAILED}次错误将锁定${LOCK_MINUTES}分钟）`);
  }
  if (u.locked_until && u.locked_until > at) {
    const until = new Date(new Date(u.locked_until).getTime() + 8 * 3600_000).toISOString().slice(11, 16);
    throw await fail(`登录失败次数过多，账号已锁定，请于${until}后再试`, 'LOCKED');
  }
  if (!(await verify(u.password_hash, password))) {
    const failed = u.failed_logins + 1;
    const locked = failed >= MAX_FAILED;
    // The same message as for an unknown user name, so names cannot be probed; only a lock says more.
    await ctx.storage.db
      .updateTable('users')
      .set({
        failed_logins: locked ? 0 : failed,
        locked_until: locked ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null,
      })
      .where('id', '=', u.id)
      .execute();
    if (locked) throw await fail(`密码连续错误${MAX_FAILED}次，账号已锁定${LOCK_MINUTES}分钟`, 'LOCKED');
    throw await fail(`用户名或密码不正确（连续${MAX_FAILED}次错误将锁定${LOCK_MINUTES}分钟）`);
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', u.id).execute();
    await trx.insertInto('sessions').values({ id: tokenId(token), user_id: u.id, created_at: at, expires_at: expiresAt, ip }).execute();
    await trx.deleteFrom('sessions').where('expires_at', '<', at).execute();
    await audit(trx, { userId: u.id, username: u.username, ip }, at, { action: 'login', entity: 'session', orgId: u.org_id });
  });
  return { token, user: toView(u), expiresAt };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await ctx.storage.db.deleteFrom('sessions').where('id', '=', tokenId(token)).execute();
}

/** Resolves a session token to its user; expired or unknown sessions give null. */
export async function authenticate(ctx: AppContext, token: string, ip: string | null): Promise<{ actor: Actor; user: UserView } | null> {
  const at = ctx.now().toISOString();
  const s = await ctx.storage.db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at'])
    .where('id', '=', tokenId(token))
    .executeTakeFirst();
  if (!s || s.expires_at <= at) return null;
  const u = await userQuery(ctx).where('users.id', '=', s.user_id).executeTakeFirst();
  if (!u || u.active !== 1) return null;
  return { actor: toActor(u, ip), user: toView(u) };
}
