import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { createUser, listUsers, resetPassword, updateUser } from '../../app/users';
import { ZCreatedUser, ZUserView } from '../../app/users';
import { itemsOf } from '../schemas';

export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/users', { schema: { tags: ['users'], summary: '用户列表', response: { 200: itemsOf(ZUserView) } } }, async (req) => ({ items: await listUsers(ctx, actorOf(req)) }));
    app.post(
      '/api/users',
      {
        schema: {
          tags: ['users'],
          summary: '创建用户（授予角色）', response: { 201: ZCreatedUser },
          body: z.object({
            username: z.string().max(40),
            displayName: z.string().max(50).optional(),
            role: z.string().max(20),
            orgId: z.number().int(),
            deptId: z.number().int().nullable().optional(),
            password: z.string().max(200).optional(),
          }),
        },
      },
      async (req, reply) => reply.status(201).send(await createUser(ctx, actorOf(req), req.body)),
    );
    app.put(
      '/api/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '修改用户角色、部门或停用', response: { 200: ZUserView },
          params: z.object({ id: z.coerce.number().int() }),
          body: z.object({
            displayName: z.string().max(50).optional(),
            role: z.string().max(20).optional(),
            deptId: z.number().int().nullable().optional(),
            active: z.boolean().optional(),
          }),
        },
      },
      async (req) => updateUser(ctx, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/api/users/:id/reset-password',
      { schema: { tags: ['users'], summary: '重置密码', response: { 200: z.object({ password: z.string() }) }, params: z.object({ id: z.coerce.number().int() }) } },
      async (req) => ({ password: await resetPassword(ctx, actorOf(req), req.params.id) }),
    );
  };
