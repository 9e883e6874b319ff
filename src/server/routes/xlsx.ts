import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { exportLines, importLines } from '../../app/exchange';
import { orgById } from '../../app/orgs';
import { readScope } from '../../core/access/policy';
import { AppError, forbidden } from '../../core/errors';
import { importXlsx, streamXlsxExport, writeXlsxTemplate, XLSX_MIME } from '../../documents/xlsx-exchange';

const MAX_XLSX = 50 * 1024 * 1024;

/** RFC 6266 header with an ASCII fallback and the UTF-8 (Chinese) name. */
const attachment = (ascii: string, utf8: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;

/** Excel import, export and blank templates (the exchange format as .xlsx). */
export const xlsxRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Scoped to this plugin: only these routes take workbook bytes.
    app.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: MAX_XLSX }, (_req, body, done) => done(null, body));

    app.get(
      '/api/templates/:kind.xlsx',
      {
        schema: {
          tags: ['exchange'],
          summary: '台账导入模板（.xlsx，含填写说明和下拉选项）',
          params: z.object({ kind: z.string().max(60) }),
        },
      },
      async (req, reply) => {
        const who = actorOf(req);
        const def = await ctx.registry.get(req.params.kind);
        if (!readScope(who, def.kind)) throw forbidden(`无权查看${def.label}`);
        let q = ctx.storage.db.selectFrom('departments').select('name').where('org_id', '=', who.orgId);
        if (who.role === 'clerk' && who.deptId !== null) q = q.where('id', '=', who.deptId);
        const deptNames = (await q.orderBy('id').execute()).map((d) => d.name);
        const buf = await writeXlsxTemplate(def, { deptNames, defs: await ctx.registry.all() });
        reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(`${def.kind}-template.xlsx`, `${def.label}导入模板.xlsx`));
        return reply.send(buf);
      },
    );

    app.get(
      '/api/export.xlsx',
      {
        schema: {
          tags: ['exchange'],
          summary: '导出记录（.xlsx，每个台账一个工作表）',
          querystring: z.object({
            orgId: z.coerce.number().int(),
            kind: z.string().max(60).optional(),
            year: z.coerce.number().int().min(1990).max(2150).optional(),
          }),
        },
      },
      async (req, reply) => {
        const { orgId, kind, year } = req.query;
        const org = await orgById(ctx.storage.db, orgId);
        const it = exportLines(ctx, actorOf(req), { orgCode: org.code, kind, year, format: 'xlsx' });
        // The first step runs the scope checks and the audit: its errors still get a proper status.
        const first = await it.next();
        async function* all() {
          if (first.done) return;
          yield first.value;
          yield* it;
        }
        const out = new PassThrough();
        streamXlsxExport(all(), await ctx.registry.all(), out, { emptyKind: kind }).catch((e: unknown) => {
          req.log.error({ err: e }, 'xlsx export failed');
          out.destroy(e instanceof Error ? e : new Error(String(e)));
        });
        const ascii = `${org.code}${kind ? '-' + kind : ''}${year ? '-' + year : ''}.xlsx`;
        // The name a clerk expects: 庙行镇_培训与学法_2026.xlsx.
        const label = kind ? (await ctx.registry.get(kind)).label : '全部台账';
        const name = `${[org.name, label, year !== undefined ? String(year) : '全部年度'].join('_')}.xlsx`;
        reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(ascii, name));
        return reply.send(out);
      },
    );

    app.post(
      '/api/import.xlsx',
      {
        bodyLimit: MAX_XLSX,
        schema: {
          tags: ['exchange'],
          summary: '导入记录（.xlsx 文件内容，全部成功或全部不写入）',
          querystring: z.object({ orgId: z.coerce.number().int(), kind: z.string().max(60).optional() }),
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED', `请以 ${XLSX_MIME} 提交 .xlsx 文件内容`);
        const who = actorOf(req);
        const org = await orgById(ctx.storage.db, req.query.orgId);
        return importXlsx(
          req.body,
          await ctx.registry.all(),
          (lines, parseErrors) => importLines(ctx, who, org.code, lines, { source: 'xlsx', parseErrors }),
          { kindHint: req.query.kind },
        );
      },
    );
  };
