import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { appliedMigrations } from '../../db/migrations';
import { calendarWarning, missingCalendarYears } from '../../app/calendar-admin';
import { VERSION } from '../../version';
import { z } from 'zod';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/health', { schema: { tags: ['system'], summary: '健康检查：数据库、迁移、工作日历', response: { 200: z.object({ ok: z.boolean(), version: z.string(), database: z.enum(['sqlite', 'postgres']), migrations: z.array(z.string()), calendar: z.object({ missingYears: z.array(z.number()), warning: z.string().optional() }) }) } } }, async () => {
      // This year and next without a holiday schedule: their deadlines are provisional.
      const missingYears = await missingCalendarYears(ctx);
      const warning = calendarWarning(missingYears);
      return {
        ok: true,
        version: VERSION,
        database: ctx.storage.dialect,
        migrations: await appliedMigrations(ctx.storage.db),
        calendar: { missingYears, ...(warning ? { warning } : {}) },
      };
    });
  };
