import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { attachment } from './reports';
import { auditRows, listAudit, requireAuditReader, type AuditFilter } from '../../app/audit-query';
import { verifyAuditChain } from '../../app/audit-verify';
import { auditCsv, auditXlsx } from '../../documents/audit-export';
import { todayShanghai } from '../../core/time';
import { XLSX_MIME } from '../../documents/xlsx-writer';
import { ZVerifyResult } from '../../app/audit-verify';
import { ZAuditRow } from '../../app/audit-query';
import { fileResponse, pageOf } from '../schemas';

const filters = {
  username: z.string().max(100).optional(),
  action: z.string().max(40).optional(),
  entity: z.string().max(40).optional(),
  entityId: z.string().max(300).optional(),
  kind: z.string().max(60).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
};

const pick = (q: AuditFilter): AuditFilter => ({ username: q.username, action: q.action, entity: q.entity, entityId: q.entityId, kind: q.kind, from: q.from, to: q.to });

/** The audit log for the 审计管理员: list with filters, export for the assessor, and the chain's state. */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['audit'],
          summary: '审计日志（审计管理员）：按用户、操作、对象、日期筛选', response: { 200: pageOf(ZAuditRow) },
          querystring: z.object({ ...filters, page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) }),
        },
      },
      async (req) => listAudit(ctx, actorOf(req), pick(req.query), req.query.page, req.query.pageSize),
    );
    app.get(
      '/api/audit/export',
      {
        schema: {
          tags: ['audit'],
          summary: '导出审计日志（审计管理员）：.xlsx 或 .csv', response: { 200: fileResponse('审计日志文件', XLSX_MIME, 'text/csv') },
          querystring: z.object({ ...filters, format: z.enum(['xlsx', 'csv'], { error: '格式必须是 xlsx 或 csv' }).default('xlsx') }),
        },
      },
      async (req, reply) => {
        const who = actorOf(req);
        const f = pick(req.query);
        const name = `审计日志-${todayShanghai(ctx.now())}.${req.query.format}`;
        if (req.query.format === 'xlsx') {
          return attachment(reply, { body: await auditXlsx(auditRows(ctx, who, f, 'xlsx')), fileName: name, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
        }
        const rows = auditRows(ctx, who, f, 'csv');
        // The first row is read before the headers go out, so a refusal is still a JSON error.
        const first = await rows.next();
        async function* all() {
          if (!first.done) yield first.value;
          yield* rows;
        }
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
        return reply.send(Readable.from(auditCsv(all())));
      },
    );
    app.get('/api/audit/verify', { schema: { tags: ['audit'], summary: '校验审计链（审计管理员）', response: { 200: ZVerifyResult } } }, async (req) => {
      requireAuditReader(actorOf(req));
      return verifyAuditChain(ctx.storage.db);
    });
  };
