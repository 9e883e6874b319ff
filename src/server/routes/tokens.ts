import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { issueApiToken, listApiTokens, revokeApiToken } from '../../app/identity/api-tokens';
import { ROLES } from '../../core/ledgers/types';
import { TOKEN_MAX_DAYS, TOKEN_MIN_DAYS } from '../../core/identity/api-token';

const ZToken = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('令牌开头几位（fzt_ 加 8 位），用于辨认，不是令牌本身'),
  account: z.string(),
  accountName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  deptId: z.number().int().nullable(),
  deptName: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
  stateLabel: z.string(),
});

/** API tokens of service accounts (the 系统管理员's page API令牌; app/identity/api-tokens.ts). */
export const tokenRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/tokens',
      { schema: { tags: ['tokens'], summary: 'API令牌列表（含最近使用时间，不含令牌本身）', response: { 200: z.object({ items: z.array(ZToken) }) } } },
      async (req) => ({ items: await listApiTokens(ctx, actorOf(req)) }),
    );
    app.post(
      '/api/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: '为服务账号签发API令牌（令牌只显示这一次）',
          body: z
            .object({
              account: z.string().max(40).describe('服务账号用户名；不存在时以下列角色和数据范围新建'),
              displayName: z.string().max(50).optional(),
              role: z.string().max(20),
              orgId: z.number().int(),
              deptId: z.number().int().nullable().optional(),
              name: z.string().max(100).describe('用途，如：区法治督察平台'),
              expiresInDays: z.number().int().describe(`有效期（天），${TOKEN_MIN_DAYS}至${TOKEN_MAX_DAYS}`),
            })
            .strict(),
          response: { 201: z.object({ token: z.string().describe('令牌，只在此显示一次'), item: ZToken }) },
        },
      },
      async (req, reply) => reply.status(201).send(await issueApiToken(ctx, actorOf(req), req.body)),
    );
    app.delete(
      '/api/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          summary: '吊销API令牌（立即失效）',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req) => {
        await revokeApiToken(ctx, actorOf(req), req.params.id);
        return { ok: true as const };
      },
    );
  };
