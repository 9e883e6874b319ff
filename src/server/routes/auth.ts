import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { changeOwnPassword, login, logout } from '../../app/users';
import { endOwnSessions, listOwnSessions } from '../../app/identity/sessions';
import { confirmTotpEnrolment, disableOwnTotp, startTotpEnrolment, verifyTotpLogin } from '../../app/identity/totp';
import { actorOf, sessionOf, SESSION_COOKIE } from '../plugins/auth';

const ZCode = z.object({ code: z.string().min(1).max(20) });
import { cookieSecure } from '../plugins/transport';

const ZEnded = z.object({ ended: z.number() });
import { ZSessionView } from '../../app/identity/sessions';
import { ZSessionState } from '../../app/view-schemas';
import { itemsOf, ZOk } from '../schemas';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: '登录（第一步：用户名和密码）', response: { 200: ZSessionState },
          body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        },
      },
      async (req, reply) => {
        const r = await login(ctx, req.body.username, req.body.password, req.ip, req.headers['user-agent'] ?? null);
        reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'lax', secure: cookieSecure(req), path: '/', expires: new Date(r.expiresAt) });
        return { user: r.user, pending: r.pending, mustChangePassword: r.user.mustChangePassword };
      },
    );
    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录', response: { 200: ZOk } } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(ctx, token, req.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });
    app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户与会话状态', response: { 200: ZSessionState } } }, async (req) => ({
      user: req.user,
      pending: req.session?.pending ?? null,
      mustChangePassword: req.user?.mustChangePassword ?? false,
    }));
    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: '修改本人密码（结束本人的其他会话）', response: { 200: ZOk },
          body: z.object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
        },
      },
      async (req) => {
        await changeOwnPassword(ctx, actorOf(req), sessionOf(req).id, req.body.oldPassword, req.body.newPassword);
        return { ok: true };
      },
    );
    app.get('/api/auth/sessions', { schema: { tags: ['auth'], summary: '本人的在线会话', response: { 200: itemsOf(ZSessionView) } } }, async (req) => ({
      items: await listOwnSessions(ctx, actorOf(req), sessionOf(req).id),
    }));
    app.delete('/api/auth/sessions', { schema: { tags: ['auth'], summary: '结束本人的其他会话', response: { 200: ZEnded } } }, async (req) => ({
      ended: await endOwnSessions(ctx, actorOf(req), sessionOf(req).id),
    }));
    app.delete(
      '/api/auth/sessions/:id',
      { schema: { tags: ['auth'], summary: '结束本人的一个会话', response: { 200: ZEnded }, params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }) } },
      async (req) => ({ ended: await endOwnSessions(ctx, actorOf(req), sessionOf(req).id, req.params.id) }),
    );
    app.post('/api/auth/totp/enrol', { schema: { tags: ['auth'], summary: '开始绑定双因素认证（返回密钥）', response: { 200: z.object({ secret: z.string(), uri: z.string() }) } } }, async (req) => startTotpEnrolment(ctx, actorOf(req)));
    app.post('/api/auth/totp/confirm', { schema: { tags: ['auth'], summary: '确认绑定（输入第一个动态验证码，返回恢复码）', response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) }, body: ZCode } }, async (req) =>
      confirmTotpEnrolment(ctx, actorOf(req), sessionOf(req).id, req.body.code),
    );
    app.post('/api/auth/totp/verify', { schema: { tags: ['auth'], summary: '登录第二步：动态验证码或恢复码', response: { 200: z.object({ usedRecoveryCode: z.boolean(), recoveryCodesLeft: z.number() }) }, body: ZCode } }, async (req) =>
      verifyTotpLogin(ctx, actorOf(req), sessionOf(req).id, req.body.code),
    );
    app.post('/api/auth/totp/disable', { schema: { tags: ['auth'], summary: '停用本人的双因素认证（管理员角色不可停用）', response: { 200: ZOk }, body: ZCode } }, async (req) => {
      await disableOwnTotp(ctx, actorOf(req), sessionOf(req).id, req.body.code);
      return { ok: true };
    });
  };
