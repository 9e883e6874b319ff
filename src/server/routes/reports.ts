import { z } from 'zod';
import { auditPiiRead } from '../../app/pii-reads';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { sendError } from '../plugins/errors';
import {
  createReport,
  editParagraph,
  exportReport,
  getReport,
  listReports,
  newReportVersion,
  setReportState,
  snapshotRecords,
} from '../../app/reports';
import { addReportParagraph, moveReportParagraph, removeReportParagraph, setReportOtherPart, setReportSettings } from '../../app/report-structure';
import { setOrgIssuingName } from '../../app/report-signature';
import { PART_KEYS, TEMPLATE_VARIABLES } from '../../core/report';
import { PdfUnavailableError } from '../../documents/pdf';
import { reportCellRecords } from '../../app/report-cells';
import { REPORT_TYPES } from '../../core/report';

const reportType = z.enum(REPORT_TYPES, { error: `报告类型必须是 ${REPORT_TYPES.join('、')} 之一（rule_of_law 法治政府建设情况报告，disclosure 政府信息公开工作年度报告）` });
import { REPORT_FORMATS } from '../../documents/report-output';
import { REPORT_CONTENT_TYPES } from '../../documents/report-output';
import { ZRecordPage } from '../../app/record-view';
import { ZReportSummary, ZReportView } from '../../app/view-schemas';
import { fileResponse, itemsOf } from '../schemas';

/** Sends a file download; the Chinese file name goes in RFC 5987 form with an ASCII fallback. */
export function attachment(reply: FastifyReply, f: { body: Buffer; fileName: string; contentType: string }): FastifyReply {
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
    .send(f.body);
}

const idParams = z.object({ id: z.coerce.number().int().positive() });
const paragraphParams = z.object({ id: z.coerce.number().int().positive(), pid: z.string().max(100) });

/** The editor's segments: text, variables and figures (by key; shown by Chinese name). */
const segmentsSchema = z
  .array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), text: z.string().max(20000) }),
      z.object({ type: z.literal('var'), name: z.enum(TEMPLATE_VARIABLES) }),
      z.object({ type: z.literal('metric'), key: z.string().max(200), entry: z.string().max(200).optional(), format: z.string().max(40) }),
    ]),
  )
  .max(500, { error: '段落过长' });
const placeSchema = z.enum(['opening', ...PART_KEYS], { error: '部分必须是 opening、measures、shortcomings、responsibility、plans 或 other' });

export const reportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/reports',
      {
        schema: {
          tags: ['reports'],
          summary: '年度报告列表', response: { 200: itemsOf(ZReportSummary) },
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year: z.coerce.number().int().min(1990).max(2150).optional(), type: reportType.optional() }),
        },
      },
      async (req) => ({ items: await listReports(ctx, actorOf(req), req.query) }),
    );
    app.post(
      '/api/reports',
      {
        schema: {
          tags: ['reports'],
          summary: '用该类型的默认模板创建某单位某年度的报告（草稿）；type 默认为 rule_of_law（法治政府建设情况报告），disclosure 为政府信息公开工作年度报告', response: { 201: ZReportSummary },
          body: z.object({ orgId: z.number().int(), year: z.number().int().min(1990, { error: '年份无效' }).max(2150, { error: '年份无效' }), type: reportType.optional() }),
        },
      },
      async (req, reply) => reply.status(201).send(await createReport(ctx, actorOf(req), req.body)),
    );
    app.get('/api/reports/:id', { schema: { tags: ['reports'], summary: '报告内容（草稿为实时数字，定稿为快照）及一致性提示', response: { 200: ZReportView }, params: idParams } }, async (req) =>
      getReport(ctx, actorOf(req), req.params.id),
    );
    app.put(
      '/api/reports/:id/paragraphs/:pid',
      {
        schema: {
          tags: ['reports'],
          summary: '修改一个段落的文字（模板语法：…{{指标键|int}}…）', response: { 200: ZReportView },
          params: paragraphParams,
          body: z.object({
            source: z.string({ error: '段落内容必须是文本' }).max(20000, { error: '段落内容不能超过20000字' }).optional(),
            segments: segmentsSchema.optional(),
            heading: z.string().max(500).optional(),
          }),
        },
      },
      async (req) => editParagraph(ctx, actorOf(req), req.params.id, req.params.pid, req.body),
    );
    app.post(
      '/api/reports/:id/paragraphs',
      {
        schema: {
          tags: ['reports'],
          summary: '在某一部分的某个位置新增段落', response: { 201: ZReportView },
          params: idParams,
          body: z.object({
            part: placeSchema,
            index: z.number().int().min(0).optional(),
            source: z.string().max(20000, { error: '段落内容不能超过20000字' }).optional(),
            segments: segmentsSchema.optional(),
            heading: z.string().max(500).optional(),
          }),
        },
      },
      async (req, reply) => reply.status(201).send(await addReportParagraph(ctx, actorOf(req), req.params.id, req.body)),
    );
    app.post(
      '/api/reports/:id/paragraphs/:pid/move',
      {
        schema: {
          tags: ['reports'],
          summary: '把段落移到某一部分的某个位置', response: { 200: ZReportView },
          params: paragraphParams,
          body: z.object({ part: placeSchema, index: z.number().int().min(0) }),
        },
      },
      async (req) => moveReportParagraph(ctx, actorOf(req), req.params.id, req.params.pid, req.body),
    );
    app.delete('/api/reports/:id/paragraphs/:pid', { schema: { tags: ['reports'], summary: '删除段落', response: { 200: ZReportView }, params: paragraphParams } }, async (req) =>
      removeReportParagraph(ctx, actorOf(req), req.params.id, req.params.pid),
    );
    app.put(
      '/api/reports/:id/other-part',
      { schema: { tags: ['reports'], summary: '启用或关闭第五部分“其他需要报告的情况”', response: { 200: ZReportView }, params: idParams, body: z.object({ on: z.boolean({ error: '请说明是否启用' }) }) } },
      async (req) => setReportOtherPart(ctx, actorOf(req), req.params.id, req.body.on),
    );
    app.put(
      '/api/reports/:id/settings',
      {
        schema: {
          tags: ['reports'],
          summary: '设置主送机关、成文日期（默认定稿当日）和无数据句子的处理方式', response: { 200: ZReportView },
          params: idParams,
          body: z.object({
            addressee: z.string().max(200, { error: '主送机关不能超过200字' }).nullable().optional(),
            signedOn: z.string().max(10).nullable().optional(),
            noData: z.string().max(10).nullable().optional(),
          }),
        },
      },
      async (req) => setReportSettings(ctx, actorOf(req), req.params.id, req.body),
    );
    app.put(
      '/api/orgs/:id/issuing-name',
      {
        schema: {
          tags: ['reports'],
          summary: '设置单位的发文机关署名（null 恢复为按单位名称和级别生成）', response: { 200: z.object({ orgId: z.number(), issuingName: z.string() }) },
          params: idParams,
          body: z.object({ issuingName: z.string().max(100, { error: '发文机关署名不能超过100字' }).nullable() }),
        },
      },
      async (req) => setOrgIssuingName(ctx, actorOf(req), req.params.id, req.body.issuingName),
    );
    app.post(
      '/api/reports/:id/state',
      {
        schema: {
          tags: ['reports'],
          summary: '改变报告状态：草稿 → 审核 → 定稿，审核可退回草稿；定稿时固定数字及其记录', response: { 200: ZReportView },
          params: idParams,
          body: z.object({ to: z.string().max(10) }),
        },
      },
      async (req) => setReportState(ctx, actorOf(req), req.params.id, req.body.to),
    );
    app.post('/api/reports/:id/new-version', { schema: { tags: ['reports'], summary: '基于定稿创建新版本（草稿）', response: { 201: ZReportSummary }, params: idParams } }, async (req, reply) =>
      reply.status(201).send(await newReportVersion(ctx, actorOf(req), req.params.id)),
    );
    app.get(
      '/api/reports/:id/figures/:figure/records',
      {
        schema: {
          tags: ['reports'],
          summary: '定稿报告中某个数字统计的记录（来自定稿快照）', response: { 200: ZRecordPage },
          params: z.object({ id: z.coerce.number().int().positive(), figure: z.string().max(300) }),
          querystring: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(20) }),
        },
      },
      async (req) => {
        const page = await snapshotRecords(ctx, actorOf(req), req.params.id, req.params.figure, req.query.page, req.query.pageSize);
        await auditPiiRead(ctx, actorOf(req), page.items, 'list');
        return page;
      },
    );
    app.get(
      '/api/reports/:id/cells/:figure/records',
      {
        schema: {
          tags: ['reports'],
          summary: '报告表格中某个单元格统计的记录（定稿来自快照，草稿、审核为实时数据；上年结转为上年收到的申请）', response: { 200: ZRecordPage },
          params: z.object({ id: z.coerce.number().int().positive(), figure: z.string().max(300) }),
          querystring: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(20) }),
        },
      },
      async (req) => {
        const page = await reportCellRecords(ctx, actorOf(req), req.params.id, req.params.figure, req.query.page, req.query.pageSize);
        await auditPiiRead(ctx, actorOf(req), page.items, 'list');
        return page;
      },
    );
    app.get(
      '/api/reports/:id/export',
      {
        schema: {
          tags: ['reports'],
          summary: '导出报告（docx 按 GB/T 9704 版式；html 预览；md、json；xlsx 为报告中的表格；pdf 需服务器安装 LibreOffice）', response: { 200: fileResponse('报告文件（按 format）', ...Object.values(REPORT_CONTENT_TYPES)) },
          params: idParams,
          querystring: z.object({ format: z.enum(REPORT_FORMATS, { error: `格式必须是 ${REPORT_FORMATS.join('、')} 之一` }).default('docx') }),
        },
      },
      async (req, reply) => {
        try {
          return attachment(reply, await exportReport(ctx, actorOf(req), req.params.id, req.query.format));
        } catch (e) {
          if (e instanceof PdfUnavailableError) return sendError(req, reply, 503, 'UNAVAILABLE', e.message);
          if (e instanceof Error && e.message.startsWith('PDF转换失败')) return sendError(req, reply, 500, 'INTERNAL', e.message);
          throw e;
        }
      },
    );
  };
