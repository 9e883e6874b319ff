import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { EXPORT_MIME, exportJobFile, getExportJob, startExportJob } from '../../app/export-jobs';
import { fileResponse } from '../schemas';
import { listQuerySchema, toListQuery } from './list-params';
import { attachmentHeader } from './record-export';

const started = z.object({ id: z.number().int(), total: z.number().int() });

const jobView = z.object({
  id: z.number().int(),
  fileName: z.string(),
  format: z.enum(['xlsx', 'jsonl']),
  state: z.enum(['running', 'done', 'failed']),
  phase: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  ready: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const jobId = z.object({ id: z.coerce.number().int().positive() });

/**
 * Big exports as jobs: start one (the same selections as the direct downloads), poll its progress,
 * fetch the file (only its starter, while their data scope is unchanged; app/export-jobs.ts).
 */
export const exportJobRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/records/:kind/export-jobs',
      {
        schema: {
          tags: ['exchange'],
          summary: '按列表的筛选条件开始导出任务（与 GET /api/records/:kind/export.xlsx 相同的查询参数）；进度用 GET /api/export-jobs/:id 查询',
          params: z.object({ kind: z.string().max(60) }),
          querystring: listQuerySchema,
          response: { 202: started },
        },
      },
      async (req, reply) => {
        const { id, total } = await startExportJob(ctx, actorOf(req), { source: 'list', kind: req.params.kind, query: toListQuery(req.query) });
        return reply.status(202).send({ id, total });
      },
    );

    app.post(
      '/api/export-jobs',
      {
        schema: {
          tags: ['exchange'],
          summary: '开始导出一个组织的记录（.xlsx 每个台账一个工作表，或 .jsonl）；进度用 GET /api/export-jobs/:id 查询',
          querystring: z.object({
            orgId: z.coerce.number().int(),
            kind: z.string().max(60).optional(),
            year: z.coerce.number().int().min(1990).max(2150).optional(),
            format: z.enum(['xlsx', 'jsonl']).default('xlsx'),
          }),
          response: { 202: started },
        },
      },
      async (req, reply) => {
        const { id, total } = await startExportJob(ctx, actorOf(req), { source: 'org', ...req.query });
        return reply.status(202).send({ id, total });
      },
    );

    app.get(
      '/api/export-jobs/:id',
      { schema: { tags: ['exchange'], summary: '导出任务的进度（已写行数/总行数）与状态', params: jobId, response: { 200: jobView } } },
      async (req) => getExportJob(ctx, actorOf(req), req.params.id),
    );

    app.get(
      '/api/export-jobs/:id/file',
      { schema: { tags: ['exchange'], summary: '下载导出任务的文件（仅限发起人，数据权限未变时）', params: jobId, response: { 200: fileResponse('导出文件', ...Object.values(EXPORT_MIME)) } } },
      async (req, reply) => {
        const f = await exportJobFile(ctx, actorOf(req), req.params.id);
        reply.header('content-type', f.mime).header('content-disposition', attachmentHeader(f.asciiName, f.fileName));
        return reply.send(f.buf);
      },
    );
  };
