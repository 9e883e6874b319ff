import { z } from 'zod';
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from './context';
import { ROLES, ROLE_LABELS, type Role } from '../core/ledgers/types';
import { canGrant, canManageAccount, capabilities, isPrivilegedRole, requiresSecondFactor, type Actor } from '../core/access/policy';
import { AppError, forbidden, notFound } from '../core/errors';
import { passwordExpired, passwordProblem } from '../core/identity/password';
import type { SecuritySettings } from '../core/identity/settings';
import { audit } from './audit';
import { orgByCode, orgById } from './orgs';
import { loadSecuritySettings } from './identity/settings';
import { accountKey, addressKey, attemptFailed, clearAttempts, pruneAttempts, releaseAttempt, reserveAttempt } from './identity/throttle';
import { USER_COLUMNS } from './identity/user-columns';
import { checkSession } from './identity/session-check';
import { endAllSessions, openSession, tokenId, type SessionPending, type SessionRow } from './identity/sessions';

// argon2id with moderate cost: ~50 ms a hash on this 2-core machine.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** What the user may do, as the server decides it (core/access/policy.ts capabilities). */
const ZCapabilities = z.object({
  write: z.boolean(),
  review: z.boolean(),
  admin: z.boolean(),
  district: z.boolean(),
  users: z.boolean(),
  grant: z.boolean(),
  security: z.boolean(),
  audit: z.boolean(),
});

export const ZUserView = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    roleLabel: z.string(),
    orgId: z.number(),
    orgName: z.string(),
    orgCode: z.string(),
    deptId: z.number().nullable(),
    deptName: z.string().nullable(),
    active: z.boolean(),
    /** The password must be changed before anything else (first login, after a reset, or expired). */
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    can: ZCapabilities satisfies z.ZodType<ReturnType<typeof capabilities>>,
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof ZUserView>;

/** A new account, and its first password when the server generated one (shown once). */
export const ZCreatedUser = z.object({ user: ZUserView, password: z.string().optional() }).meta({ id: 'CreatedUser' });

/** 12 characters without look-alikes (0/O, 1/l), always with upper and lower case letters and digits so it passes the rule. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    // 224 = 4 × 56: bytes at or above it are dropped so every character is equally likely.
    const pw = Array.from(crypto.randomBytes(24))
      .filter((b) => b < 224)
      .slice(0, 12)
      .map((b) => alphabet[b % alphabet.length])
      .join('');
    if (pw.length === 12 && /[a-z]/.test(pw) && /[A-Z]/.test(pw) && /[0-9]/.test(pw)) return pw;
  }
}

/** The password rule (core/identity/password.ts) as a 400 naming the field. */
export function checkPasswordStrength(pw: string, username = '', minLength = 8): void {
  const problem = passwordProblem(pw, username, minLength);
  if (problem) throw new AppError('VALIDATION', problem);
}

/** A new account's department belongs to its org unit, and a clerk has one (also API tokens' service accounts). */
export async function checkPlacement(db: AppContext['storage']['db'], role: Role, orgId: number, deptId: number | null): Promise<void> {
  if (deptId !== null) {
    const d = await db.selectFrom('departments').select('org_id').where('id', '=', deptId).executeTakeFirst();
    if (!d || d.org_id !== orgId) throw new AppError('VALIDATION', '部门：不属于所选组织');
  }
  if (role === 'clerk' && deptId === null) throw new AppError('VALIDATION', '部门：部门填报员必须指定部门');
}

/** A user with the org unit and department names every view and actor needs (also app/identity/api-tokens.ts). */
export function userQuery(ctx: AppContext) {
  return ctx.storage.db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .leftJoin('departments', 'departments.id', 'users.dept_id')
    .select(USER_COLUMNS);
}
export type UserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirst']>>>;

export function toActor(u: UserRow, ip: string | null): Actor {
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

function mustChange(u: UserRow, now: Date, s: SecuritySettings): boolean {
  return u.must_change_password === 1 || passwordExpired(u.password_changed_at ?? u.created_at, now, s.passwordMaxAgeDays);
}

export function toView(u: UserRow, mustChangePassword = false): UserView {
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
    mustChangePassword,
    totpEnabled: u.totp_enabled === 1,
    can: capabilities(a),
  };
}

export async function createUser(
  ctx: AppContext,
  who: Actor,
  input: {
    username: string;
    displayName?: string;
    role: string;
    orgId?: number;
    orgCode?: string;
    deptId?: number | null;
    deptName?: string;
    password?: string;
    /** Seeding by the host's operator only (tests, fixtures): an account that need not change its password first. */
    mustChangePassword?: boolean;
  },
): Promise<z.infer<typeof ZCreatedUser>> {
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
  await checkPlacement(db, role, org.id, deptId);
  if (!canManageAccount(who, role, { orgPath: org.path, deptId })) throw forbidden(`无权创建角色为“${ROLE_LABELS[role]}”的用户`);
  const settings = await loadSecuritySettings(db);
  const generated = input.password ? undefined : generatePassword();
  const password = input.password ?? generated!;
  checkPasswordStrength(password, input.username, settings.passwordMinLength);
  const at = ctx.now().toISOString();
  const passwordHash = await hash(password, ARGON);
  // Whoever sets a password other than the user's own, the user changes it at the first login.
  const mustChangePassword = who.system && input.mustChangePassword === false ? 0 : 1;
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
        must_change_password: mustChangePassword,
        password_changed_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('password_history').values({ user_id: id, hash: passwordHash, created_at: at }).execute();
    await audit(trx, who, at, { action: 'grant', entity: 'user', entityId: id, orgId: org.id, after: { username: input.username, role, orgId: org.id, deptId } });
    return id;
  });
  return { user: await getUserView(ctx, id), password: generated };
}

export async function getUserView(ctx: AppContext, id: number): Promise<UserView> {
  const u = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  return toView(u, mustChange(u, ctx.now(), await loadSecuritySettings(ctx.storage.db)));
}

export async function listUsers(ctx: AppContext, who: Actor): Promise<UserView[]> {
  if (who.role !== 'admin' && who.role !== 'office' && who.role !== 'security') throw forbidden();
  const prefix = who.role === 'office' ? who.orgPath : '/';
  const rows = await userQuery(ctx).where('org_units.path', 'like', `${prefix}%`).orderBy('users.id').execute();
  const s = await loadSecuritySettings(ctx.storage.db);
  const now = ctx.now();
  return rows.map((u) => toView(u, mustChange(u, now, s)));
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
  if (role === 'clerk' && deptId === null) throw new AppError('VALIDATION', '部门：部门填报员必须指定部门');
  if (u.service === 1 && isPrivilegedRole(role)) throw new AppError('VALIDATION', `角色：服务账号不能授予${ROLE_LABELS[role]}（三员须本人登录）`);
  // A new role or department is a grant (安全管理员, or the 法治办 in its town); a new name or
  // disabling is running the account (系统管理员 for ledger roles, 安全管理员 for the administrators).
  // Both are refused on oneself; a request that changes nothing needs one of the two rights still.
  const oldPlace = { orgPath: u.org_path, deptId: u.dept_id };
  const grants = role !== u.role || deptId !== u.dept_id;
  const account = (input.displayName !== undefined && input.displayName.trim() !== u.display_name) || (input.active !== undefined && input.active !== (u.active === 1));
  const mayGrant = canGrant(who, role, { orgPath: u.org_path, deptId }, id) && canGrant(who, u.role as Role, oldPlace, id);
  const mayRun = canManageAccount(who, u.role as Role, oldPlace, id);
  if ((grants && !mayGrant) || (account && !mayRun) || (!grants && !account && !mayGrant && !mayRun))
    throw forbidden(grants ? '无权修改该用户的角色或权限（角色授权由安全管理员负责）' : '无权修改该用户');
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
    // Disabling ends the user's sessions at once (and every request checks the account is active).
    if (input.active === false) await endAllSessions(trx, id);
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

/**
 * Sets a password under the rule: the security settings' length, three of four classes, not the user
 * name, not one of the last N (checked against the stored hashes). `mustChange`: set by someone else, so
 * the user changes it at the next login. Ends the user's sessions except `keepSession`.
 */
export async function setPassword(
  ctx: AppContext,
  who: Actor,
  id: number,
  password: string,
  opts: { mustChange: boolean; keepSession?: string },
): Promise<void> {
  const db = ctx.storage.db;
  const u = await db.selectFrom('users').select(['username', 'password_hash']).where('id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  const s = await loadSecuritySettings(db);
  checkPasswordStrength(password, u.username, s.passwordMinLength);
  const recent = await db.selectFrom('password_history').select('hash').where('user_id', '=', id).orderBy('id', 'desc').limit(s.passwordHistory).execute();
  for (const h of new Set([u.password_hash, ...recent.map((r) => r.hash)])) {
    if (await verify(h, password)) throw new AppError('VALIDATION', `密码：不能与最近${s.passwordHistory}次使用过的密码相同`);
  }
  const at = ctx.now().toISOString();
  const h = await hash(password, ARGON);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: h, must_change_password: opts.mustChange ? 1 : 0, password_changed_at: at })
      .where('id', '=', id)
      .execute();
    await trx.insertInto('password_history').values({ user_id: id, hash: h, created_at: at }).execute();
    let end = trx.deleteFrom('sessions').where('user_id', '=', id);
    if (opts.keepSession) end = end.where('id', '!=', opts.keepSession);
    await end.execute();
    await audit(trx, who, at, { action: 'password', entity: 'user', entityId: id, detail: opts.mustChange ? '重置，首次登录须修改' : '本人修改' });
  });
}

export async function resetPassword(ctx: AppContext, who: Actor, id: number): Promise<string> {
  const u = await userQuery(ctx).where('users.id', '=', id).executeTakeFirst();
  if (!u) throw notFound('用户');
  if (!canManageAccount(who, u.role as Role, { orgPath: u.org_path, deptId: u.dept_id }, id)) throw forbidden('无权重置该用户的密码');
  if (u.service === 1) throw new AppError('CONFLICT', '服务账号没有密码，不能重置：请在“API令牌”页为其签发新令牌');
  for (;;) {
    const pw = generatePassword();
    // A generated password never contains the user name in practice; the loop only makes it certain.
    if (passwordProblem(pw, u.username)) continue;
    await setPassword(ctx, who, id, pw, { mustChange: true });
    return pw;
  }
}

/** The user's own change: with the old password; ends their other sessions, keeps this one. */
export async function changeOwnPassword(ctx: AppContext, who: Actor, sessionId: string, oldPassword: string, newPassword: string): Promise<void> {
  const u = await userQuery(ctx).where('users.id', '=', who.userId).executeTakeFirst();
  if (!u || !(await verify(u.password_hash, oldPassword))) throw new AppError('VALIDATION', '原密码不正确');
  if (oldPassword === newPassword) throw new AppError('VALIDATION', '密码：新密码不能与原密码相同');
  await setPassword(ctx, who, who.userId, newPassword, { mustChange: false, keepSession: sessionId });
}

const beijingTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(11, 16);

export interface LoginResult {
  token: string;
  user: UserView;
  expiresAt: string;
  /** What the session still needs before it is a full one. */
  pending: SessionPending;
}

/**
 * Verifies a password and opens a session. Every attempt is counted in the database BEFORE the
 * password is checked (app/identity/throttle.ts), per account and address and per address; the
 * refusal says how many tries are left, the same for an unknown name as for a known one. Every attempt
 * is audited. The session waits for the second factor when the user has one or must enrol one.
 */
export async function login(ctx: AppContext, username: string, password: string, ip: string | null, userAgent?: string | null): Promise<LoginResult> {
  const db = ctx.storage.db;
  const now = ctx.now();
  const at = now.toISOString();
  const s = await loadSecuritySettings(db);
  const fail = async (message: string, code: 'UNAUTHENTICATED' | 'LOCKED' = 'UNAUTHENTICATED', userId = 0) => {
    await audit(db, { userId, username, ip }, at, { action: 'login_failed', entity: 'session', detail: message });
    return new AppError(code, message);
  };
  const addr = await reserveAttempt(db, addressKey(ip), now, s.failureWindowMinutes, { ip });
  if (addr.lockedUntil || addr.attempt > s.addressMaxFailures) {
    if (!addr.lockedUntil) await releaseAttempt(db, addr.key);
    throw await fail(`该地址登录失败次数过多，已暂停登录，请于${beijingTime(addr.lockedUntil ?? new Date(now.getTime() + s.lockMinutes * 60_000).toISOString())}后再试`, 'LOCKED');
  }
  const acct = await reserveAttempt(db, accountKey(username, ip), now, s.failureWindowMinutes, { username, ip });
  if (acct.lockedUntil || acct.attempt > s.maxFailures) {
    await releaseAttempt(db, addr.key);
    const until = acct.lockedUntil ?? new Date(now.getTime() + s.lockMinutes * 60_000).toISOString();
    throw await fail(`登录失败次数过多，该账号在此地址已锁定，请于${beijingTime(until)}后再试，或联系安全管理员解锁`, 'LOCKED');
  }
  const u = await userQuery(ctx).where('users.username', '=', username).executeTakeFirst();
  // Service accounts (API tokens only) never sign in with a password: refused like an unknown name.
  const ok = u && u.active === 1 && u.service !== 1 ? await verify(u.password_hash, password) : (await hash(password, ARGON), false); // same time for unknown names
  if (!u || !ok) {
    const lockedAcct = await attemptFailed(db, acct, now, s.maxFailures, s.lockMinutes);
    const lockedAddr = await attemptFailed(db, addr, now, s.addressMaxFailures, s.lockMinutes);
    if (lockedAcct || lockedAddr) {
      if (lockedAcct) await audit(db, { userId: 0, username, ip }, at, { action: 'lock', entity: 'session', detail: `账号 ${username} 在地址 ${ip ?? '-'} 锁定至 ${lockedAcct}` });
      if (lockedAddr) await audit(db, { userId: 0, username, ip }, at, { action: 'lock', entity: 'session', detail: `地址 ${ip ?? '-'} 锁定至 ${lockedAddr}` });
      throw await fail(`密码连续错误${s.maxFailures}次，该账号在此地址已锁定${s.lockMinutes}分钟`, 'LOCKED', u?.id ?? 0);
    }
    // The same message for an unknown name as for a known one, so names cannot be probed.
    throw await fail(`用户名或密码不正确，还可尝试${s.maxFailures - acct.attempt}次（连续${s.maxFailures}次错误将锁定${s.lockMinutes}分钟）`, 'UNAUTHENTICATED', u?.id ?? 0);
  }
  await clearAttempts(db, acct.key);
  await releaseAttempt(db, addr.key);
  const pending: SessionPending = u.totp_enabled === 1 ? 'totp' : requiresSecondFactor(u.role as Role) || s.totpForAll ? 'enrol' : null;
  const session = await db.transaction().execute(async (trx) => {
    const opened = await openSession(trx, u.id, now, s, { ip, userAgent, pending });
    await audit(trx, { userId: u.id, username: u.username, ip }, at, { action: 'login', entity: 'session', orgId: u.org_id, detail: pending ? `待${pending === 'totp' ? '双因素验证' : '绑定双因素认证'}` : null });
    return opened;
  });
  await pruneAttempts(db, now);
  return { token: session.token, user: toView(u, mustChange(u, now, s)), expiresAt: session.expiresAt, pending };
}

export async function logout(ctx: AppContext, token: string, who: Actor | null): Promise<void> {
  await ctx.storage.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('sessions').where('id', '=', tokenId(token)).executeTakeFirst();
    if (who && Number(r.numDeletedRows) > 0) await audit(trx, who, ctx.now().toISOString(), { action: 'logout', entity: 'session' });
  });
}

export interface Authenticated {
  actor: Actor;
  user: UserView;
  session: SessionRow;
}

/** Resolves a session token to its user; unknown, idle, expired sessions and disabled users give null. */
export async function authenticate(ctx: AppContext, token: string, ip: string | null): Promise<Authenticated | null> {
  const now = ctx.now();
  // One statement: session, user and security settings (app/identity/session-check.ts).
  const found = await checkSession(ctx.storage.db, ctx.storage.dialect, token, now);
  if (!found) return null;
  const { session, user: u, settings: s } = found;
  // A service account has no session (it cannot sign in); a disabled user's sessions were ended.
  if (u.active !== 1 || u.service === 1) return null;
  return { actor: toActor(u, ip), user: toView(u, mustChange(u, now, s)), session };
}
