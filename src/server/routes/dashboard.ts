import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { dashboard } from '../../app/dashboard';
import { todayShanghai } from '../../core/time';
import { ZDashboard } from '../../app/view-schemas';

export const dashboardRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/dashboard',
      {
        schema: {
          tags: ['metrics'],
          summary: '首页统计：关键指标及同比、按月、按部门、按期办结率', response: { 200: ZDashboard },
          description: '法治办、领导、督察看本单位（含下级）；填报员只看本部门的记录。',
          querystring: z.object({
            orgId: z.coerce.number().int().optional(),
            year: z.coerce
              .number()
              .int()
              .min(1990)
              .max(2150)
              .default(() => Number(todayShanghai(ctx.now()).slice(0, 4))),
          }),
        },
      },
      async (req) => dashboard(ctx, actorOf(req), req.query),
    );
  };
