import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { appliedMigrations } from '../../db/migrations';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/health', { schema: { tags: ['system'], summary: '健康检查：数据库、迁移' } }, async () => ({
      ok: true,
      database: ctx.storage.dialect,
      migrations: await appliedMigrations(ctx.storage.db),
    }));
  };
