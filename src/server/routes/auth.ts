import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { changeOwnPassword, login, logout } from '../../app/users';
import { actorOf, SESSION_COOKIE } from '../plugins/auth';
import { cookieSecure } from '../plugins/transport';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: '登录',
          body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        },
      },
      async (req, reply) => {
        const r = await login(ctx, req.body.username, req.body.password, req.ip);
        reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'lax', secure: cookieSecure(req), path: '/', expires: new Date(r.expiresAt) });
        return { user: r.user };
      },
    );
    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录' } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });
    app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户' } }, async (req) => ({ user: req.user }));
    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: '修改密码',
          body: z.object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
        },
      },
      async (req, reply) => {
        await changeOwnPassword(ctx, actorOf(req), req.body.oldPassword, req.body.newPassword);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    );
  };
