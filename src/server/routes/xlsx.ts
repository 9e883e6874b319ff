import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { openExport } from '../../app/export-jobs';
import { sendExport } from './record-export';
import { importFile, templateWorkbook } from '../../app/exchange-file';
import { orgById } from '../../app/orgs';
import { AppError } from '../../core/errors';
import { CSV_MIME, maxImportBytes, tooLarge, XLSX_MIME } from '../../documents/xlsx-exchange';
import { ZImportResult } from '../../app/view-schemas';
import { fileResponse } from '../schemas';

/** RFC 6266 header with an ASCII fallback and the UTF-8 (Chinese) name. */
const attachment = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

/** Excel import, export and blank templates (the exchange format as .xlsx). */
export const xlsxRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Scoped to this plugin: only these routes take workbook (or CSV) bytes.
    app.addContentTypeParser([XLSX_MIME, CSV_MIME], { parseAs: 'buffer', bodyLimit: maxImportBytes() }, (_req, body, done) => done(null, body));
    registerTooLarge(app);

    app.get(
      '/api/templates/:kind.xlsx',
      {
        schema: {
          tags: ['exchange'],
          summary: '台账导入模板（.xlsx，含填写说明、下拉选项和列映射；kind 为 all 时包含全部台账）', response: { 200: fileResponse('导入模板', XLSX_MIME) },
          params: z.object({ kind: z.string().max(60) }),
        },
      },
      async (req, reply) => {
        // `all` gives one workbook with a sheet for every kind the user may read.
        const kind = req.params.kind === 'all' ? undefined : req.params.kind;
        const { buf, label } = await templateWorkbook(ctx, actorOf(req), kind);
        reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`${kind ?? 'all'}-template.xlsx`, `${label}导入模板.xlsx`));
        return reply.send(buf);
      },
    );

    app.get(
      '/api/export.xlsx',
      {
        schema: {
          tags: ['exchange'],
          summary: '导出记录（.xlsx，每个台账一个工作表）', response: { 200: fileResponse('记录', XLSX_MIME) },
          querystring: z.object({
            orgId: z.coerce.number().int(),
            kind: z.string().max(60).optional(),
            year: z.coerce.number().int().min(1990).max(2150).optional(),
          }),
        },
      },
      async (req, reply) => sendExport(ctx, req, reply, await openExport(ctx, actorOf(req), { source: 'org', ...req.query, format: 'xlsx' })),
    );

    app.post(
      '/api/import.xlsx',
      {
        bodyLimit: maxImportBytes(),
        schema: {
          tags: ['exchange'],
          summary: '导入记录（.xlsx 或 .csv 文件内容，全部成功或全部不写入；有案号、文号、编号的记录按编号更新）', response: { 200: ZImportResult },
          querystring: z.object({ orgId: z.coerce.number().int(), kind: z.string().max(60).optional() }),
          consumes: [XLSX_MIME, CSV_MIME],
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED', `请以 ${XLSX_MIME} 提交 .xlsx 文件内容，或以 ${CSV_MIME} 提交 .csv 文件内容`);
        const org = await orgById(ctx.storage.db, req.query.orgId);
        const csv = String(req.headers['content-type'] ?? '').startsWith(CSV_MIME);
        return importFile(ctx, actorOf(req), org.code, req.body, { format: csv ? 'csv' : 'xlsx', kind: req.query.kind, source: csv ? 'csv' : 'xlsx' });
      },
    );
  };

/** A file over the import limit gets the limit in its message, not fastify's generic one. */
export function registerTooLarge(app: Parameters<FastifyPluginAsyncZod>[0]): void {
  app.setErrorHandler((err, req, reply) => {
    if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const e = tooLarge(Number(req.headers['content-length'] ?? 0) || maxImportBytes() + 1);
      return reply.status(413).send({ error: { code: e.code, message: e.message } });
    }
    throw err; // the app's own handler
  });
}
