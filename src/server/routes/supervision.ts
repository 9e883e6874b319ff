import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { supervisionBoard } from '../../app/supervision';
import { audit } from '../../app/audit';
import { supervisionXlsx } from '../../documents/supervision-xlsx';
import { XLSX_MIME } from '../../documents/xlsx-exchange';
import { attachmentHeader } from './record-export';
import { markAllNotificationsRead } from '../../app/notifications';
import { ZSupervisionBoard } from '../../app/supervision';
import { fileResponse } from '../schemas';

const query = z.object({ orgId: z.coerce.number().int().positive().optional() });

/** 督办: 临期/逾期 matters by department (or town) and kind, as JSON and as .xlsx; and the bell's 全部已读. */
export const supervisionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/supervision', { schema: { tags: ['deadlines'], summary: '督办：各部门（区级为各镇）各台账临期、逾期件数', response: { 200: ZSupervisionBoard }, querystring: query } }, async (req) =>
      supervisionBoard(ctx, actorOf(req), req.query.orgId),
    );
    // The bell's 全部已读 (its single-notification route is in todo.ts).
    app.post('/api/notifications/read-all', { schema: { tags: ['deadlines'], summary: '我的通知全部标记为已读', response: { 200: z.object({ marked: z.number() }) } } }, async (req) =>
      markAllNotificationsRead(ctx, actorOf(req)),
    );
    app.get('/api/supervision.xlsx', { schema: { tags: ['deadlines'], summary: '督办表导出（.xlsx）', response: { 200: fileResponse('督办表', XLSX_MIME) }, querystring: query } }, async (req, reply) => {
      const who = actorOf(req);
      const board = await supervisionBoard(ctx, who, req.query.orgId);
      await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'export', entity: 'supervision', orgId: board.orgId, detail: JSON.stringify({ format: 'xlsx' }) });
      const buf = await supervisionXlsx(board);
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('supervision.xlsx', `${board.orgName}_督办表.xlsx`));
      return reply.send(buf);
    });
  };
