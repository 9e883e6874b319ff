import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { EXPORT_MIME, openExport, type OpenedExport } from '../../app/export-jobs';
import { streamXlsxExport, XLSX_MIME } from '../../documents/xlsx-exchange';
import { listQuerySchema, toListQuery } from './list-params';
import { fileResponse } from '../schemas';

/** RFC 6266 header: an ASCII fallback and the UTF-8 (Chinese) name. */
export const attachmentHeader = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

/**
 * A direct download of an opened export (app/export-jobs.ts: checks and audit already done), streamed:
 * .xlsx through the streaming workbook writer, .jsonl a line at a time.
 */
export async function sendExport(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, e: OpenedExport): Promise<FastifyReply> {
  const out = new PassThrough();
  const write =
    e.format === 'xlsx'
      ? streamXlsxExport(e.stream.lines, await ctx.registry.all(), out, { emptyKind: e.kind ?? undefined }).then(() => undefined)
      : (async () => {
          for await (const l of e.stream.lines) if (!out.write(JSON.stringify(l) + '\n')) await new Promise((r) => out.once('drain', r));
          out.end();
        })();
  write.catch((err: unknown) => {
    req.log.error({ err }, 'export failed');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  reply.header('content-type', EXPORT_MIME[e.format]).header('content-disposition', attachmentHeader(e.asciiName, e.fileName));
  return reply.send(out);
}

/** A list's 导出: the list's own query string, so the file holds exactly the rows on screen (all pages). */
export const recordExportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/records/:kind/export.xlsx',
      {
        schema: {
          tags: ['exchange'],
          summary: '按列表的筛选条件导出记录（.xlsx）：与列表相同的查询参数，ids=所选记录', response: { 200: fileResponse('记录', XLSX_MIME) },
          params: z.object({ kind: z.string().max(60) }),
          querystring: listQuerySchema,
        },
      },
      async (req, reply) => sendExport(ctx, req, reply, await openExport(ctx, actorOf(req), { source: 'list', kind: req.params.kind, query: toListQuery(req.query) })),
    );
  };
