import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { exportListed, listExportFileName } from '../../app/list-export';
import { streamXlsxExport, XLSX_MIME } from '../../documents/xlsx-exchange';
import { listQuerySchema, toListQuery } from './list-params';
import { fileResponse } from '../schemas';

/** RFC 6266 header: an ASCII fallback and the UTF-8 (Chinese) name. */
export const attachmentHeader = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

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
      async (req, reply) => {
        const who = actorOf(req);
        const q = toListQuery(req.query);
        const it = exportListed(ctx, who, req.params.kind, q);
        // The first step runs the scope checks and the audit: its errors still get a proper status.
        const first = await it.next();
        async function* all() {
          if (first.done) return;
          yield first.value;
          yield* it;
        }
        const out = new PassThrough();
        streamXlsxExport(all(), await ctx.registry.all(), out, { emptyKind: req.params.kind }).catch((e: unknown) => {
          req.log.error({ err: e }, 'xlsx export failed');
          out.destroy(e instanceof Error ? e : new Error(String(e)));
        });
        const name = await listExportFileName(ctx, who, req.params.kind, q);
        const ascii = `${req.params.kind}${q.year !== undefined ? '-' + q.year : ''}.xlsx`;
        reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(ascii, name));
        return reply.send(out);
      },
    );
  };
