import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { auditPiiRead } from '../../app/pii-reads';
import { defineMetric, figureRecords, getMetrics, listMetricDefs } from '../../app/metrics-service';
import { snapshotRecords } from '../../app/reports';
import { todayShanghai } from '../../core/time';
import { AppError } from '../../core/errors';
import { ZRecordPage } from '../../app/record-view';
import { ZMetricDef, ZMetrics } from '../../app/view-schemas';

const year = (ctx: AppContext) =>
  z.coerce
    .number()
    .int()
    .min(1990)
    .max(2150)
    .default(() => Number(todayShanghai(ctx.now()).slice(0, 4)));

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 YYYY-MM-DD' });

/** Quarter, month or date range within the query (with `year`; see periodOf). */
const periodFields = {
  quarter: z.coerce.number().int().min(1, { error: '季度应为1至4' }).max(4, { error: '季度应为1至4' }).optional(),
  month: z.coerce.number().int().min(1, { error: '月份应为1至12' }).max(12, { error: '月份应为1至12' }).optional(),
  from: DATE.optional(),
  to: DATE.optional(),
};

const periodOfQuery = (q: { year: number; quarter?: number | undefined; month?: number | undefined; from?: string | undefined; to?: string | undefined }) => ({
  year: q.year,
  ...(q.quarter !== undefined ? { quarter: q.quarter } : {}),
  ...(q.month !== undefined ? { month: q.month } : {}),
  ...(q.from !== undefined ? { from: q.from } : {}),
  ...(q.to !== undefined ? { to: q.to } : {}),
});

export const metricRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/metrics',
      {
        schema: {
          tags: ['metrics'],
          summary: '某单位某期间的全部指标（含每个数字的统计口径）', response: { 200: ZMetrics },
          description:
            '期间：year 为年度；加 quarter（1–4）为该年某季度，加 month（1–12）为该年某月；或用 from、to（YYYY-MM-DD，含两端）指定任意日期范围。values：指标键 → 数值（比率、同比为小数，by_ 指标为对象，无数据为 null）；defs：名称、单位；sources：产生该数字的筛选条件及中文说明；warnings：一致性检查。',
          querystring: z.object({ orgId: z.coerce.number().int().optional(), year: year(ctx), ...periodFields, keys: z.string().max(4000).optional() }),
        },
      },
      async (req) => {
        const keys = req.query.keys?.split(',').map((s) => s.trim()).filter(Boolean);
        return getMetrics(ctx, actorOf(req), { orgId: req.query.orgId, ...periodOfQuery(req.query), ...(keys?.length ? { keys } : {}) });
      },
    );
    app.get(
      '/api/metrics/:key/records',
      {
        schema: {
          tags: ['metrics'],
          summary: '某个数字统计的台账记录（分页）', response: { 200: ZRecordPage },
          description: 'key 可写作 指标键[值] 表示 by_ 指标中的某一项（或用 value 参数）。part：比率的 numerator（分子，默认）或 denominator（分母）记录；同比的 previous 为上年同期的记录。期间参数同 /api/metrics（year、quarter、month、from/to）。带 reportId 且报告已定稿时，从定稿快照中取记录。',
          params: z.object({ key: z.string().max(200) }),
          querystring: z.object({
            orgId: z.coerce.number().int().optional(),
            year: year(ctx),
            ...periodFields,
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(500).default(20),
            value: z.string().max(200).optional(),
            reportId: z.coerce.number().int().positive().optional(),
            part: z.enum(['numerator', 'denominator', 'previous']).optional(),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const who = actorOf(req);
        // A 定稿 snapshot keeps the records each figure counts (a rate's numerator, this period's records).
        if (q.reportId !== undefined && q.part === undefined) {
          const figure = q.value !== undefined ? `${req.params.key}[${q.value}]` : req.params.key;
          const snap = await snapshotRecords(ctx, who, q.reportId, figure, q.page, q.pageSize).catch((e: unknown) => {
            // A draft's figures are live: fall through to the live records.
            if (e instanceof AppError && e.code === 'CONFLICT') return null;
            throw e;
          });
          if (snap) {
            await auditPiiRead(ctx, who, snap.items, 'list');
            return snap;
          }
        }
        const page = await figureRecords(ctx, who, req.params.key, { orgId: q.orgId, ...periodOfQuery(q), page: q.page, pageSize: q.pageSize, ...(q.value !== undefined ? { value: q.value } : {}), ...(q.part ? { part: q.part } : {}) });
        // The records behind a figure show personal data like a list does: audited the same way.
        await auditPiiRead(ctx, who, page.items, 'list');
        return page;
      },
    );
    app.get('/api/metric-defs', { schema: { tags: ['metrics'], summary: '自定义指标列表', response: { 200: z.object({ items: z.array(ZMetricDef), problems: z.array(z.object({ key: z.string(), message: z.string() })) }) } } }, async (req) => listMetricDefs(ctx, actorOf(req)));
    app.post(
      '/api/metric-defs',
      {
        schema: {
          tags: ['metrics'],
          summary: '定义（或替换）自定义指标（系统管理员）', response: { 201: ZMetricDef },
          description: '请求体为指标定义（type: count|sum|rate|list|by|yoy|composite）；可加 orgId 只对某单位生效。',
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (req, reply) => {
        const { orgId, ...def } = req.body;
        const org = typeof orgId === 'number' ? orgId : null;
        return reply.status(201).send(await defineMetric(ctx, actorOf(req), def, org));
      },
    );
  };
