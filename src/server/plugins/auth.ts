import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context';
import { authenticate } from '../../app/users';
import type { Actor } from '../../core/access/policy';
import type { UserView } from '../../app/users';
import type { SessionRow } from '../../app/identity/sessions';
import { AppError } from '../../core/errors';
import { roleMayUse, routeRefusal, routeRule } from './access';
import { authenticateToken } from '../../app/identity/api-tokens';
import { parseBearer, tokenRouteProblem } from '../../core/identity/api-token';

export const SESSION_COOKIE = 'fazhi_sid';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    user: UserView | null;
    session: SessionRow | null;
    /** The API token that authenticated the request (no session, no cookie); null for a session. */
    apiTokenId: number | null;
  }
}

/** Paths reachable without a session. */
const PUBLIC = [/^\/api\/auth\/login$/, /^\/api\/health$/, /^\/api\/docs(\/|$)/];

/** What a session that has not finished signing in may still do. */
const SIGNING_IN = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/totp/enrol', 'POST /api/auth/totp/confirm', 'POST /api/auth/totp/verify']);
const CHANGING_PASSWORD = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/password']);

/**
 * Resolves the session cookie on every /api request (the session lives in the database, not here),
 * then holds a session that still waits for its second factor or for a new password to those steps,
 * then applies the route's role rule (plugins/access.ts).
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('apiTokenId', null);
  // onRequest: a request without a valid session is refused before its body is read or validated.
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const url = req.url.split('?')[0] ?? '';
    if (!url.startsWith('/api/') || PUBLIC.some((re) => re.test(url))) return;
    const pattern = req.routeOptions.url;
    const rule = pattern ? routeRule(req.method, pattern) : undefined;
    if (rule === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    const bearer = parseBearer(req.headers.authorization);
    if (bearer) {
      // A session cookie and a bearer together are refused, whatever the route: which identity would
      // act is ambiguous, and a bearer must never switch off the CSRF check of a cookie session.
      if (token) throw new AppError('BAD_REQUEST', '请求同时携带会话 Cookie 和 API 令牌，已拒绝：请只使用一种认证方式');
      if ('problem' in bearer) throw new AppError('UNAUTHENTICATED', bearer.problem);
      const problem = tokenRouteProblem(req.method, pattern ?? url);
      if (problem) throw new AppError('FORBIDDEN', problem);
      const t = await authenticateToken(ctx, bearer.token, req.ip, { method: req.method, path: url });
      req.actor = t.actor;
      req.user = t.user;
      req.apiTokenId = t.tokenId;
      // The same role rule as a person of that role (plugins/access.ts).
      if (!roleMayUse(rule, t.actor.role)) throw new AppError('FORBIDDEN', routeRefusal(req.method, pattern ?? url, t.actor.role));
      return;
    }
    const s = token ? await authenticate(ctx, token, req.ip) : null;
    if (!s) throw new AppError('UNAUTHENTICATED', token ? '登录已过期，请重新登录' : '请先登录');
    req.actor = s.actor;
    req.user = s.user;
    req.session = s.session;
    const route = `${req.method === 'HEAD' ? 'GET' : req.method} ${pattern ?? url}`;
    // In order: the second factor, then a required new password, then the page.
    if (s.session.pending) {
      if (!SIGNING_IN.has(route)) throw new AppError('FORBIDDEN', s.session.pending === 'enrol' ? '请先绑定双因素认证（动态验证码）' : '请先输入动态验证码完成登录');
    } else if (s.user.mustChangePassword && !CHANGING_PASSWORD.has(route)) throw new AppError('FORBIDDEN', '请先修改密码');
    if (!roleMayUse(rule, s.actor.role)) throw new AppError('FORBIDDEN', routeRefusal(req.method, pattern ?? url, s.actor.role));
  });
}

/** The signed-in actor of a request that passed the auth hook. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', '请先登录');
  return req.actor;
}

/** The session of a request that passed the auth hook. */
export function sessionOf(req: FastifyRequest): SessionRow {
  if (!req.session) throw new AppError('UNAUTHENTICATED', '请先登录');
  return req.session;
}
