import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { listNotifications, markNotificationRead, overdueReport, todoList } from '../../app/todo';
import { reportDuties } from '../../app/report-duties';
import { ZReportDuty } from '../../app/view-schemas';
import { ZNotification, ZOverdueReport } from '../../app/todo';
import { ZTodoItem } from '../../app/record-view';
import { itemsOf } from '../schemas';

export const todoRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/todo', { schema: { tags: ['deadlines'], summary: '我的待办：数据范围内临期、逾期的事项，按到期日先后', response: { 200: itemsOf(ZTodoItem) } } }, async (req) =>
      todoList(ctx, actorOf(req)),
    );
    app.get(
      '/api/todo/reports',
      { schema: { tags: ['deadlines'], summary: '年度报告待办：上一年度尚未定稿的法治政府建设情况报告（4月1日前）和政府信息公开工作年度报告（1月31日前）', response: { 200: itemsOf(ZReportDuty) } } },
      async (req) => reportDuties(ctx, actorOf(req)),
    );
    app.get(
      '/api/notifications',
      {
        schema: {
          tags: ['deadlines'],
          summary: '我的通知（期限提醒），最新在前，含未读数', response: { 200: z.object({ items: z.array(ZNotification), unread: z.number() }) },
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
        },
      },
      async (req) => listNotifications(ctx, actorOf(req), req.query.limit),
    );
    app.post(
      '/api/notifications/:id/read',
      { schema: { tags: ['deadlines'], summary: '标记通知已读（仅限本人的通知）', response: { 200: z.object({ id: z.number(), read: z.literal(true) }) }, params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => markNotificationRead(ctx, actorOf(req), req.params.id),
    );
    app.get(
      '/api/overdue',
      {
        schema: {
          tags: ['deadlines'],
          summary: '逾期情况（按部门）：逾期、临期件数及按台账类型的逾期件数', response: { 200: ZOverdueReport },
          querystring: z.object({ orgId: z.coerce.number().int().positive().optional() }),
        },
      },
      async (req) => overdueReport(ctx, actorOf(req), req.query.orgId),
    );
  };
