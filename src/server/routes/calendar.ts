import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { getCalendarYear, getDeadlineSettings, importCalendar, setCalendarDay, setNearDays, setRulePeriod } from '../../app/calendar-admin';
import { AppError } from '../../core/errors';
import { todayShanghai } from '../../core/time';
import { ZCalendarDayChange, ZCalendarImport, ZCalendarYear, ZDeadlineSettings, ZRulePeriodChange } from '../../app/view-schemas';

const KIND_MESSAGE = '类型应为 workday（上班）、holiday（放假）或 null（取消人工调整）';

export const calendarRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Calendar files may be posted as CSV; this parser applies to the routes of this plugin only.
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.get(
      '/api/calendar',
      {
        schema: {
          tags: ['calendar'],
          summary: '工作日历：某年每一天是否上班，节假日、调休与人工调整', response: { 200: ZCalendarYear },
          querystring: z.object({ year: z.coerce.number().int().optional() }),
        },
      },
      async (req) => {
        actorOf(req);
        return getCalendarYear(ctx, req.query.year ?? Number(todayShanghai(ctx.now()).slice(0, 4)));
      },
    );

    app.put(
      '/api/calendar/:date',
      {
        schema: {
          tags: ['calendar'],
          summary: '人工调整某一天（系统管理员）：放假、上班，或取消调整；并重新计算受影响的期限', response: { 200: ZCalendarDayChange },
          params: z.object({ date: z.string().max(30) }),
          body: z.object({ kind: z.unknown(), name: z.string().max(40).nullable().optional() }),
        },
      },
      async (req) => {
        const who = actorOf(req);
        const kind = req.body.kind;
        if (kind !== null && kind !== 'workday' && kind !== 'holiday') throw new AppError('BAD_REQUEST', KIND_MESSAGE);
        return setCalendarDay(ctx, who, req.params.date, kind, req.body.name);
      },
    );

    // The import reads JSON files itself (as text), so a bad line is named in Chinese rather than
    // refused with the generic parser's message; only this route's context parses JSON as text.
    await app.register(async (sub) => {
      sub.removeContentTypeParser('application/json');
      sub.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));
      sub.post(
        '/api/calendar/import',
        {
          schema: {
            tags: ['calendar'],
            summary: '导入整年节假日安排（系统管理员）：JSON 或 CSV（date,kind,name），导入的年份标记为已有数据', response: { 200: ZCalendarImport },
            // Read as text by the import itself (a bad line named in Chinese), so no JSON schema.
            consumes: ['application/json', 'text/csv'],
          },
        },
        async (req) => {
          const who = actorOf(req);
          const type = String(req.headers['content-type'] ?? '');
          const body: unknown = req.body;
          if (body === undefined || body === null || body === '') throw new AppError('BAD_REQUEST', '请求内容为空：请提交日历文件内容');
          if (typeof body === 'string') return importCalendar(ctx, who, body, type.includes('csv') ? 'csv' : undefined);
          return importCalendar(ctx, who, JSON.stringify(body), 'json');
        },
      );
    });

    app.get(
      '/api/deadline-settings',
      {
        schema: {
          tags: ['calendar'],
          summary: '期限设置：临期提醒天数，以及某组织可调整期限（如合法性审核）的现行期限', response: { 200: ZDeadlineSettings },
          querystring: z.object({ orgId: z.coerce.number().int().positive().optional() }),
        },
      },
      async (req) => getDeadlineSettings(ctx, actorOf(req), req.query.orgId),
    );

    app.put(
      '/api/deadline-settings/near-days',
      {
        schema: {
          tags: ['calendar'],
          summary: '设置临期提醒天数（系统管理员）：到期前几个工作日内为临期；立即重新判定未办结事项的状态', response: { 200: z.object({ nearDays: z.number(), recomputed: z.number() }) },
          body: z.object({ nearDays: z.unknown() }),
        },
      },
      async (req) => {
        const n = req.body.nearDays;
        if (typeof n !== 'number') throw new AppError('VALIDATION', '临期天数应为整数（工作日）');
        return setNearDays(ctx, actorOf(req), n);
      },
    );

    app.put(
      '/api/deadline-settings/periods/:kind/:rule',
      {
        schema: {
          tags: ['calendar'],
          summary: '设置某组织可调整期限的天数（系统管理员），period 为 null 时恢复默认；并重新计算该类未办结事项', response: { 200: ZRulePeriodChange },
          params: z.object({ kind: z.string().max(60), rule: z.string().max(60) }),
          body: z.object({
            orgId: z.number().int().positive().optional(),
            period: z
              .object({
                amount: z.number({ error: '期限应为整数' }),
                unit: z.enum(['calendar_days', 'working_days', 'months'], { error: '期限单位应为 calendar_days（日）、working_days（工作日）或 months（月）' }),
              })
              .nullable(),
          }),
        },
      },
      async (req) =>
        setRulePeriod(ctx, actorOf(req), { orgId: req.body.orgId, kind: req.params.kind, rule: req.params.rule, period: req.body.period }),
    );
  };
