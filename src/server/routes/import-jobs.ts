import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { annotatedJobFile, getImportJob, startImportJob } from '../../app/import-jobs';
import { AppError } from '../../core/errors';
import { CSV_MIME, maxImportBytes, XLSX_MIME } from '../../documents/xlsx-exchange';
import { registerTooLarge } from './xlsx';
import { ZImportJob } from '../../app/view-schemas';
import { fileResponse } from '../schemas';

const attachment = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

/** Import jobs: upload a file (.xlsx, .csv, .jsonl), poll its progress, download the marked copy. */
export const importJobRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(['application/octet-stream', XLSX_MIME, CSV_MIME], { parseAs: 'buffer', bodyLimit: maxImportBytes() }, (_req, body, done) => done(null, body));
    registerTooLarge(app);

    app.post(
      '/api/import-jobs',
      {
        bodyLimit: maxImportBytes(),
        schema: {
          tags: ['exchange'],
          summary: '开始导入（文件内容为请求体，.xlsx/.csv/.jsonl）；返回任务编号，进度用 GET /api/import-jobs/:id 查询', response: { 202: z.object({ id: z.number() }) },
          querystring: z.object({ orgId: z.coerce.number().int(), fileName: z.string().min(1).max(255), kind: z.string().max(60).optional() }),
          consumes: ['application/octet-stream', XLSX_MIME, CSV_MIME],
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED', '请以 application/octet-stream 提交文件内容');
        const { id } = await startImportJob(ctx, actorOf(req), { orgId: req.query.orgId, fileName: req.query.fileName, kind: req.query.kind, content: req.body });
        return reply.status(202).send({ id });
      },
    );

    app.get(
      '/api/import-jobs/:id',
      { schema: { tags: ['exchange'], summary: '导入任务的进度、结果或全部错误', response: { 200: ZImportJob }, params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => getImportJob(ctx, actorOf(req), req.params.id),
    );

    app.get(
      '/api/import-jobs/:id/annotated.xlsx',
      { schema: { tags: ['exchange'], summary: '标出错误单元格（红底并附批注）的文件副本', response: { 200: fileResponse('标注后的文件', XLSX_MIME) }, params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req, reply) => {
        const { buf, fileName } = await annotatedJobFile(ctx, actorOf(req), req.params.id);
        reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`import-${req.params.id}-errors.xlsx`, fileName));
        return reply.send(buf);
      },
    );
  };
