import { isPrivilegedRole } from '../access/policy';
import { ROLE_LABELS, ROLES, type Role } from '../ledgers/types';

/**
 * API tokens of service accounts (issue 13): the rules, without I/O. A token is `fzt_` followed by
 * 43 base64url characters (32 random bytes); only its SHA-256 is stored, and its first characters
 * (`fzt_` + 8) are kept apart so a list can tell tokens apart without holding the secret.
 */
export const TOKEN_PREFIX = 'fzt_';
const TOKEN_RE = /^fzt_[A-Za-z0-9_-]{43}$/;

/** How long a token may live: at least a day, at most a year (a token never lives forever). */
export const TOKEN_MIN_DAYS = 1;
export const TOKEN_MAX_DAYS = 366;

/** The characters shown in lists: enough to recognise a token, far too few to use it. */
export const tokenDisplayPrefix = (token: string) => token.slice(0, TOKEN_PREFIX.length + 8);

export function looksLikeToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

/**
 * The token of an `Authorization: Bearer …` header; null without one. A header that is present but
 * not a well-formed bearer token is a `problem` (answered 401 with this message, never ignored).
 */
export function parseBearer(header: string | undefined): { token: string } | { problem: string } | null {
  if (header === undefined || header === '') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return { problem: 'Authorization 请求头格式不正确：应为“Bearer 令牌”' };
  if (!looksLikeToken(m[1]!)) return { problem: 'API令牌格式不正确' };
  return { token: m[1]! };
}

/**
 * The roles a service account may hold: the ledger roles only. 系统管理员, 安全管理员 and 审计管理员
 * (三员) stay people who sign in with a password and a second factor (GB/T 22239-2019 8.1.4.1 d).
 */
export function tokenRoleProblem(role: string): string | null {
  if (!(ROLES as readonly string[]).includes(role)) return `角色：必须是${ROLES.map((r) => ROLE_LABELS[r]).join('、')}之一`;
  if (isPrivilegedRole(role as Role)) return `角色：API令牌不能授予${ROLE_LABELS[role as Role]}（系统管理员、安全管理员、审计管理员须本人以密码和动态验证码登录）`;
  return null;
}

/** The expiry of a token issued at `now` for `days` days, or the Chinese problem with the number. */
export function tokenExpiry(now: Date, days: number): { expiresAt: string } | { problem: string } {
  if (!Number.isInteger(days) || days < TOKEN_MIN_DAYS || days > TOKEN_MAX_DAYS) return { problem: `有效期：必须是${TOKEN_MIN_DAYS}至${TOKEN_MAX_DAYS}天之间的整数` };
  return { expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString() };
}

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(t: { expiresAt: string; revokedAt: string | null }, now: Date): TokenState {
  if (t.revokedAt) return 'revoked';
  return now.toISOString() >= t.expiresAt ? 'expired' : 'active';
}

export const TOKEN_STATE_LABELS: Record<TokenState, string> = { active: '有效', expired: '已过期', revoked: '已吊销' };

/**
 * Routes a token may never use although its role could: one's own account (password, sessions, second
 * factor, logout) belongs to a person's session. `GET /api/auth/me` stays open so an integrator can
 * check which account and scope a token has.
 */
export function tokenRouteProblem(method: string, pattern: string): string | null {
  if (pattern.startsWith('/api/auth/') && !(method === 'GET' && pattern === '/api/auth/me')) return 'API令牌不能用于登录、密码、会话或双因素认证相关操作';
  if (pattern.startsWith('/api/tokens')) return 'API令牌不能管理API令牌';
  return null;
}
