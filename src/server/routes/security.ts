import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { listLocks, unlock } from '../../app/identity/locks';
import { loadSecuritySettings, updateSecuritySettings } from '../../app/identity/settings';
import { resetTotp } from '../../app/identity/totp';
import { ZSecuritySettings } from '../../core/identity/settings';
import { canAdministerSecurity } from '../../core/access/policy';
import { forbidden } from '../../core/errors';
import { ZLockView } from '../../app/identity/locks';
import { itemsOf, ZOk } from '../schemas';

/** The 安全管理员's routes: locks, second factors and the security settings. */
export const securityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/security/locks', { schema: { tags: ['security'], summary: '当前的登录锁定', response: { 200: itemsOf(ZLockView) } } }, async (req) => ({ items: await listLocks(ctx, actorOf(req)) }));
    app.delete(
      '/api/security/locks',
      {
        schema: {
          tags: ['security'],
          summary: '解除登录锁定（按锁定键、用户名或地址）', response: { 200: z.object({ unlocked: z.number() }) },
          querystring: z.object({ key: z.string().max(300).optional(), username: z.string().max(100).optional(), ip: z.string().max(100).optional() }).strict(),
        },
      },
      async (req) => ({ unlocked: await unlock(ctx, actorOf(req), req.query) }),
    );
    app.get('/api/security/settings', { schema: { tags: ['security'], summary: '安全设置', response: { 200: ZSecuritySettings } } }, async (req) => {
      if (!canAdministerSecurity(actorOf(req))) throw forbidden('只有安全管理员可以查看安全设置');
      return loadSecuritySettings(ctx.storage.db);
    });
    app.put(
      '/api/security/settings',
      { schema: { tags: ['security'], summary: '修改安全设置', response: { 200: ZSecuritySettings }, body: ZSecuritySettings.partial().strict() } },
      async (req) => updateSecuritySettings(ctx, actorOf(req), req.body),
    );
    app.post(
      '/api/users/:id/reset-totp',
      { schema: { tags: ['security'], summary: '重置用户的双因素认证', response: { 200: ZOk }, params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => {
        await resetTotp(ctx, actorOf(req), req.params.id);
        return { ok: true };
      },
    );
  };
