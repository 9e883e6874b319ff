import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context';
import { authenticate } from '../../app/users';
import type { Actor } from '../../core/access/policy';
import type { UserView } from '../../app/users';
import { AppError } from '../../core/errors';

export const SESSION_COOKIE = 'fazhi_sid';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    user: UserView | null;
  }
}

/** Paths reachable without a session. */
const PUBLIC = [/^\/api\/auth\/login$/, /^\/api\/health$/, /^\/api\/docs(\/|$)/];

/** Resolves the session cookie on every /api request; the session lives in the database, not here. */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  // onRequest: a request without a valid session is refused before its body is read or validated.
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const url = req.url.split('?')[0] ?? '';
    if (!url.startsWith('/api/') || PUBLIC.some((re) => re.test(url))) return;
    const token = req.cookies[SESSION_COOKIE];
    const s = token ? await authenticate(ctx, token, req.ip) : null;
    if (!s) throw new AppError('UNAUTHENTICATED', token ? '登录已过期，请重新登录' : '请先登录');
    req.actor = s.actor;
    req.user = s.user;
  });
}

/** The signed-in actor of a request that passed the auth hook. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', '请先登录');
  return req.actor;
}
