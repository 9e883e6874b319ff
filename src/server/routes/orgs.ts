import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { addDept, addOrg, listOrgs } from '../../app/orgs';
import { ZOrgView } from '../../app/orgs';
import { itemsOf } from '../schemas';

export const orgRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/orgs', { schema: { tags: ['orgs'], summary: '组织与部门（本人数据范围内）', response: { 200: itemsOf(ZOrgView) } } }, async (req) => ({
      items: await listOrgs(ctx, actorOf(req)),
    }));
    app.post(
      '/api/orgs',
      {
        schema: {
          tags: ['orgs'],
          summary: '添加组织', response: { 201: ZOrgView },
          body: z.object({ code: z.string().max(40), name: z.string().max(50), level: z.string().max(10), parentId: z.number().int().nullable().optional() }),
        },
      },
      async (req, reply) => reply.status(201).send(await addOrg(ctx, actorOf(req), req.body)),
    );
    app.post(
      '/api/orgs/:id/depts',
      {
        schema: {
          tags: ['orgs'],
          summary: '添加部门', response: { 201: z.object({ id: z.number(), name: z.string() }) },
          params: z.object({ id: z.coerce.number().int() }),
          body: z.object({ name: z.string().max(50) }),
        },
      },
      async (req, reply) => reply.status(201).send(await addDept(ctx, actorOf(req), req.params.id, req.body.name)),
    );
  };
