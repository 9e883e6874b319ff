import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { compareDistrict, DISTRICT_EXPORT_FORMATS, exportDistrict } from '../../app/district';
import { todayShanghai } from '../../core/time';
import { attachment } from './reports';
import { districtDisclosure, exportDistrictDisclosure } from '../../app/district-disclosure';

const DOCX_MIME = REPORT_CONTENT_TYPES.docx;
import { REPORT_CONTENT_TYPES } from '../../documents/report-output';
import { XLSX_MIME } from '../../documents/xlsx-writer';
import { ZDistrictCompare, ZDistrictDisclosure } from '../../app/view-schemas';
import { fileResponse } from '../schemas';

export const districtRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const year = z.coerce
      .number()
      .int()
      .min(1990)
      .max(2150)
      .default(() => Number(todayShanghai(ctx.now()).slice(0, 4)));
    app.get(
      '/api/district/compare',
      {
        schema: {
          tags: ['district'],
          summary: '区内各镇（街道）主要指标对比：并列、合计、排名', response: { 200: ZDistrictCompare },
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year }),
        },
      },
      async (req) => compareDistrict(ctx, actorOf(req), req.query),
    );
    app.get(
      '/api/district/compare/export',
      {
        schema: {
          tags: ['district'],
          summary: '导出对比表附件（.xlsx 或 .docx）', response: { 200: fileResponse('对比表', XLSX_MIME, DOCX_MIME) },
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year, format: z.enum(DISTRICT_EXPORT_FORMATS, { error: '格式必须是 xlsx 或 docx' }).default('xlsx') }),
        },
      },
      async (req, reply) => {
        const f = await exportDistrict(ctx, actorOf(req), req.query);
        return attachment(reply, f);
      },
    );
    app.get(
      '/api/district/disclosure',
      {
        schema: {
          tags: ['district'],
          summary: '区内各镇（街道）政府信息公开工作年度报告表格并列、区级合计（勾稽关系复核）及定稿情况', response: { 200: ZDistrictDisclosure },
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year }),
        },
      },
      async (req) => districtDisclosure(ctx, actorOf(req), req.query),
    );
    app.get(
      '/api/district/disclosure/export',
      {
        schema: {
          tags: ['district'],
          summary: '导出各镇（街道）政府信息公开年度报告表格汇总（.xlsx）', response: { 200: fileResponse('汇总表', XLSX_MIME) },
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year }),
        },
      },
      async (req, reply) => attachment(reply, await exportDistrictDisclosure(ctx, actorOf(req), req.query)),
    );
  };
