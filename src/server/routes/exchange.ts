import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { importLines, parseJsonl } from '../../app/exchange';
import { openExport } from '../../app/export-jobs';
import { sendExport } from './record-export';
import { orgById } from '../../app/orgs';
import { AppError } from '../../core/errors';
import { ZImportResult } from '../../app/view-schemas';
import { fileResponse } from '../schemas';

export const exchangeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/export',
      {
        schema: {
          tags: ['exchange'],
          summary: '导出记录（.jsonl）', response: { 200: fileResponse('记录，每行一个 JSON', 'application/x-ndjson') },
          querystring: z.object({
            orgId: z.coerce.number().int(),
            kind: z.string().max(60).optional(),
            year: z.coerce.number().int().min(1990).max(2150).optional(),
            format: z.enum(['jsonl']).default('jsonl'),
          }),
        },
      },
      async (req, reply) => sendExport(ctx, req, reply, await openExport(ctx, actorOf(req), { source: 'org', orgId: req.query.orgId, kind: req.query.kind, year: req.query.year, format: 'jsonl' })),
    );
    app.post(
      '/api/import',
      {
        schema: {
          tags: ['exchange'],
          summary: '导入记录（.jsonl 文本，全部成功或全部不写入）', response: { 200: ZImportResult },
          querystring: z.object({ orgId: z.coerce.number().int() }),
          consumes: ['application/x-ndjson'],
        },
      },
      async (req) => {
        if (typeof req.body !== 'string') throw new AppError('BAD_REQUEST', '请以 application/x-ndjson 提交 .jsonl 文件内容');
        const org = await orgById(ctx.storage.db, req.query.orgId);
        const parsed = parseJsonl(req.body);
        return importLines(ctx, actorOf(req), org.code, parsed.lines, { source: 'api', parseErrors: parsed.errors });
      },
    );
  };
