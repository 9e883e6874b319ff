import crypto from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { AppContext } from '../context';
import type { Actor } from '../../core/access/policy';
import { canManageAccount, isPrivilegedRole } from '../../core/access/policy';
import { AppError, forbidden, notFound } from '../../core/errors';
import { ROLE_LABELS, type Role } from '../../core/ledgers/types';
import { TOKEN_PREFIX, TOKEN_STATE_LABELS, tokenDisplayPrefix, tokenExpiry, tokenRoleProblem, tokenState, type TokenState } from '../../core/identity/api-token';
import { hitRateLimit } from '../../db/rate-limit-store';
import { audit } from '../audit';
import { orgById } from '../orgs';
import { checkPlacement, toActor, toView, userQuery, type UserView } from '../users';
import { tokenId } from './sessions';

export interface ApiTokenView {
  id: number;
  name: string;
  /** The secret's first characters (`fzt_` + 8), never the secret. */
  prefix: string;
  account: string;
  accountName: string;
  role: Role;
  roleLabel: string;
  orgId: number;
  orgName: string;
  deptId: number | null;
  deptName: string | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: TokenState;
  stateLabel: string;
}

export interface IssueTokenInput {
  /** The service account's user name; created with the role and scope below when it does not exist. */
  account: string;
  displayName?: string;
  role: string;
  orgId: number;
  deptId?: number | null;
  /** What the token is for (the system that uses it). */
  name: string;
  expiresInDays: number;
}

/** Requests a token may make per minute (FAZHI_RATE_LIMIT_TOKEN), counted in the database per token. */
export function tokenRateLimit(): number {
  const v = Number(process.env.FAZHI_RATE_LIMIT_TOKEN ?? 600);
  return Number.isInteger(v) && v > 0 ? v : 600;
}

function mayIssue(who: Actor): boolean {
  return who.system === true || who.role === 'admin';
}

/**
 * Issues a token for a service account (the 系统管理员's work, like opening an account of a ledger
 * role): the account is created on first use with the given role and data scope, and must already have
 * exactly them otherwise, so a new token never widens an existing account silently. Returns the secret
 * once; only its SHA-256 is stored. Audited (the secret never).
 */
export async function issueApiToken(ctx: AppContext, who: Actor, input: IssueTokenInput): Promise<{ token: string; item: ApiTokenView }> {
  if (!mayIssue(who)) throw forbidden('只有系统管理员可以签发API令牌');
  const roleProblem = tokenRoleProblem(input.role);
  if (roleProblem) throw new AppError('VALIDATION', roleProblem);
  const role = input.role as Role;
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(input.account)) throw new AppError('VALIDATION', '服务账号：3至40位字母、数字、下划线、点或连字符');
  const name = input.name.trim();
  if (!name) throw new AppError('VALIDATION', '用途：请填写令牌的用途（对接的系统）');
  const now = ctx.now();
  const exp = tokenExpiry(now, input.expiresInDays);
  if ('problem' in exp) throw new AppError('VALIDATION', exp.problem);
  const db = ctx.storage.db;
  const org = await orgById(db, input.orgId);
  const deptId = input.deptId ?? null;
  await checkPlacement(db, role, org.id, deptId);
  if (!canManageAccount(who, role, { orgPath: org.path, deptId })) throw forbidden(`无权为角色“${ROLE_LABELS[role]}”签发API令牌`);
  // The service account's password is a random secret nobody knows: it can never sign in (login refuses service accounts too).
  const unusable = await hash(crypto.randomBytes(32).toString('base64url'));
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select(['id', 'service', 'role', 'org_id', 'dept_id', 'active']).where('username', '=', input.account).executeTakeFirst();
    let userId: number;
    if (existing) {
      if (existing.service !== 1) throw new AppError('CONFLICT', `用户名“${input.account}”已是普通用户，不能作为服务账号`);
      if (existing.active !== 1) throw new AppError('CONFLICT', `服务账号“${input.account}”已停用`);
      if (existing.role !== role || existing.org_id !== org.id || existing.dept_id !== deptId)
        throw new AppError('CONFLICT', `服务账号“${input.account}”的角色或数据范围与所填不同：请沿用其原有角色、组织和部门，或另设服务账号`);
      userId = existing.id;
    } else {
      const row = await trx
        .insertInto('users')
        .values({
          username: input.account,
          display_name: input.displayName?.trim() || input.account,
          password_hash: unusable,
          role,
          org_id: org.id,
          dept_id: deptId,
          active: 1,
          failed_logins: 0,
          locked_until: null,
          created_at: at,
          must_change_password: 0,
          password_changed_at: at,
          totp_secret: null,
          service: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = row.id;
      await audit(trx, who, at, { action: 'create', entity: 'user', entityId: userId, orgId: org.id, after: { username: input.account, role, orgId: org.id, deptId, service: true }, detail: '新建服务账号' });
    }
    const row = await trx
      .insertInto('api_tokens')
      .values({ user_id: userId, name: name.slice(0, 100), token_hash: tokenId(token), prefix: tokenDisplayPrefix(token), created_by: who.userId, created_at: at, expires_at: exp.expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, who, at, {
      action: 'token_issue',
      entity: 'api_token',
      entityId: row.id,
      orgId: org.id,
      after: { account: input.account, role, orgId: org.id, deptId, name, prefix: tokenDisplayPrefix(token), expiresAt: exp.expiresAt },
    });
    return row.id;
  });
  const item = (await listApiTokens(ctx, who)).find((t) => t.id === id)!;
  return { token, item };
}

function tokenQuery(ctx: AppContext) {
  return ctx.storage.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .leftJoin('departments', 'departments.id', 'users.dept_id')
    .leftJoin('users as issuer', 'issuer.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.prefix',
      'api_tokens.created_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'api_tokens.last_used_ip',
      'users.username',
      'users.display_name',
      'users.role',
      'users.org_id',
      'users.dept_id',
      'org_units.name as org_name',
      'departments.name as dept_name',
      'issuer.username as issuer',
    ]);
}

/** Every token, newest first, with its account, scope, state and last use (never a secret). */
export async function listApiTokens(ctx: AppContext, who: Actor): Promise<ApiTokenView[]> {
  if (!mayIssue(who)) throw forbidden('只有系统管理员可以查看API令牌');
  const now = ctx.now();
  const rows = await tokenQuery(ctx).orderBy('api_tokens.id', 'desc').execute();
  return rows.map((r) => {
    const state = tokenState({ expiresAt: r.expires_at, revokedAt: r.revoked_at }, now);
    return {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      account: r.username,
      accountName: r.display_name,
      role: r.role as Role,
      roleLabel: ROLE_LABELS[r.role as Role] ?? r.role,
      orgId: r.org_id,
      orgName: r.org_name,
      deptId: r.dept_id,
      deptName: r.dept_name,
      createdAt: r.created_at,
      createdBy: r.issuer,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
      lastUsedIp: r.last_used_ip,
      state,
      stateLabel: TOKEN_STATE_LABELS[state],
    };
  });
}

/** Revokes a token at once (the next request with it gets 401). Audited; revoking twice is a 409. */
export async function revokeApiToken(ctx: AppContext, who: Actor, id: number): Promise<void> {
  if (!mayIssue(who)) throw forbidden('只有系统管理员可以吊销API令牌');
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(['api_tokens.revoked_at', 'users.org_id', 'users.username']).where('api_tokens.id', '=', id).executeTakeFirst();
    if (!t) throw notFound('API令牌');
    if (t.revoked_at) throw new AppError('CONFLICT', 'API令牌已吊销');
    await trx.updateTable('api_tokens').set({ revoked_at: at, revoked_by: who.userId }).where('id', '=', id).execute();
    await audit(trx, who, at, { action: 'token_revoke', entity: 'api_token', entityId: id, orgId: t.org_id, detail: `吊销服务账号 ${t.username} 的令牌` });
  });
}

export interface TokenAuthenticated {
  actor: Actor;
  user: UserView;
  tokenId: number;
}

/**
 * Resolves a bearer token for one request: unknown, revoked or expired tokens, disabled accounts and
 * (should a grant ever give one) an administrator role are refused with 401 and a Chinese reason. Then
 * the per-token rate limit (in the database, shared by every instance; 429 past it), then the use is
 * audited — the service account as the user, the token's id, the method and path without the query
 * (filter values may be personal data), never the secret — together with its last-used time, in one
 * transaction before the route runs.
 */
export async function authenticateToken(ctx: AppContext, token: string, ip: string | null, request: { method: string; path: string }): Promise<TokenAuthenticated> {
  const db = ctx.storage.db;
  const now = ctx.now();
  const t = await db.selectFrom('api_tokens').select(['id', 'user_id', 'expires_at', 'revoked_at']).where('token_hash', '=', tokenId(token)).executeTakeFirst();
  if (!t) throw new AppError('UNAUTHENTICATED', 'API令牌无效');
  const state = tokenState({ expiresAt: t.expires_at, revokedAt: t.revoked_at }, now);
  if (state !== 'active') throw new AppError('UNAUTHENTICATED', state === 'revoked' ? 'API令牌已吊销' : 'API令牌已过期');
  const u = await userQuery(ctx).where('users.id', '=', t.user_id).executeTakeFirst();
  if (!u || u.active !== 1) throw new AppError('UNAUTHENTICATED', '服务账号已停用');
  if (u.service !== 1 || isPrivilegedRole(u.role as Role)) throw new AppError('UNAUTHENTICATED', 'API令牌所属账号不是服务账号或角色不允许使用令牌');
  const limit = tokenRateLimit();
  const hit = await hitRateLimit(db, `token:${t.id}`, 60_000, now.getTime());
  if (hit.count > limit) {
    const retry = Math.max(1, Math.ceil((hit.resetAt - now.getTime()) / 1000));
    throw Object.assign(new AppError('TOO_MANY_REQUESTS', `请求过于频繁：每个API令牌每分钟最多${limit}次，请在${retry}秒后重试`), { retryAfter: retry });
  }
  const actor = toActor(u, ip);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('api_tokens').set({ last_used_at: at, last_used_ip: ip }).where('id', '=', t.id).execute();
    await audit(trx, actor, at, { action: 'token_use', entity: 'api_token', entityId: t.id, orgId: u.org_id, detail: `${request.method} ${request.path}`.slice(0, 300) });
  });
  return { actor, user: toView(u, false), tokenId: t.id };
}
