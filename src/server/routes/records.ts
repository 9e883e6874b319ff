import { MAX_BATCH, performBatchTransition } from '../../app/batch-transitions';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { createRecord, getRecord, listRecords, recordHistory, setDeleted, updateRecord } from '../../app/records';
import { AppError } from '../../core/errors';
import { performTransition } from '../../app/transitions';
import { listQuerySchema, toListQuery } from './list-params';
import { auditPiiRead } from '../../app/pii-reads';
import { ZHistoryEntry } from '../../app/view-schemas';
import { ZRecordListPage, ZRecView, type RecView } from '../../app/record-view';
import { itemsOf } from '../schemas';

const kindParam = z.object({ kind: z.string().max(60) });
const idParams = z.object({ kind: z.string().max(60), id: z.coerce.number().int().positive() });
// The list's query string lives in list-params.ts: the export (record-export.ts) takes the same one.
const listQuery = listQuerySchema;

export const recordRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/records/:kind',
      {
        schema: {
          tags: ['records'],
          summary: '台账记录列表（筛选、排序、分页）', response: { 200: ZRecordListPage },
          description: '字段筛选：f.<字段>=值（枚举可用逗号分隔多个值）、f.<字段>.from / f.<字段>.to（日期、数值区间）、f.<字段>.contains（文本包含）',
          params: kindParam,
          querystring: listQuery,
        },
      },
      async (req) => {
        const page = await listRecords(ctx, actorOf(req), req.params.kind, toListQuery(req.query));
        await auditPiiRead(ctx, actorOf(req), page.items, 'list');
        return page;
      },
    );
    app.post(
      '/api/records/:kind',
      {
        schema: {
          tags: ['records'],
          summary: '新增记录', response: { 201: ZRecView },
          params: kindParam,
          body: z.object({ orgId: z.number().int().optional(), deptId: z.number().int().optional(), data: z.record(z.string(), z.unknown()) }),
        },
      },
      async (req, reply) => reply.status(201).send(await createRecord(ctx, actorOf(req), req.params.kind, req.body)),
    );
    app.get('/api/records/:kind/:id', { schema: { tags: ['records'], summary: '记录详情', response: { 200: ZRecView }, params: idParams } }, async (req) => {
      const view = await getRecord(ctx, actorOf(req), req.params.kind, req.params.id);
      await auditPiiRead(ctx, actorOf(req), [view], 'detail');
      return view;
    });
    app.put(
      '/api/records/:kind/:id',
      {
        schema: {
          tags: ['records'],
          summary: '修改记录（需带上版本号，版本过期返回409和最新记录）', response: { 200: ZRecView },
          params: idParams,
          body: z.object({ version: z.number().int().positive(), deptId: z.number().int().optional(), data: z.record(z.string(), z.unknown()).optional() }),
        },
      },
      async (req) => {
        try {
          return await updateRecord(ctx, actorOf(req), req.params.kind, req.params.id, req.body);
        } catch (e) {
          // A stale version answers 409 with the newer record, personal values included: a read like the detail page.
          if (e instanceof AppError && e.code === 'CONFLICT' && e.extra.current) await auditPiiRead(ctx, actorOf(req), [e.extra.current as RecView], 'detail');
          throw e;
        }
      },
    );
    app.delete('/api/records/:kind/:id', { schema: { tags: ['records'], summary: '删除记录（可恢复）', response: { 200: ZRecView }, params: idParams } }, async (req) =>
      setDeleted(ctx, actorOf(req), req.params.kind, req.params.id, true),
    );
    app.post('/api/records/:kind/:id/restore', { schema: { tags: ['records'], summary: '恢复已删除的记录', response: { 200: ZRecView }, params: idParams } }, async (req) =>
      setDeleted(ctx, actorOf(req), req.params.kind, req.params.id, false),
    );
    app.get('/api/records/:kind/:id/history', { schema: { tags: ['records'], summary: '记录的修改历史', response: { 200: itemsOf(ZHistoryEntry) }, params: idParams } }, async (req) => ({
      items: await recordHistory(ctx, actorOf(req), req.params.kind, req.params.id),
    }));
  };

export const transitionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/records/:kind/:id/transitions/:key',
      {
        schema: {
          tags: ['records'],
          summary: '执行办理流程操作（如受理、答复、延期、补正）', response: { 200: ZRecView },
          params: z.object({ kind: z.string().max(60), id: z.coerce.number().int().positive(), key: z.string().max(60) }),
          body: z
            .object({
              data: z.record(z.string(), z.unknown()).optional(),
              reason: z.string().max(2000).optional(),
              on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为YYYY-MM-DD' }).optional(),
              /** For an extension shorter than the legal maximum. */
              period: z.object({ amount: z.number(), unit: z.string().max(20) }).optional(),
            })
            .default({}),
        },
      },
      async (req) => performTransition(ctx, actorOf(req), req.params.kind, req.params.id, req.params.key, req.body ?? {}),
    );
    app.post(
      '/api/records/:kind/transitions/:key',
      {
        schema: {
          tags: ['records'],
          summary: '批量办理：对所选记录执行同一流程操作（同一日期、理由和字段值，字段仅填入尚未填写的记录）；不适用的记录逐条说明原因',
          params: z.object({ kind: z.string().max(60), key: z.string().max(60) }),
          body: z.object({
            ids: z.array(z.number().int().positive(), { error: '请选择要办理的记录' }).min(1, { error: '请选择要办理的记录' }).max(MAX_BATCH, { error: `一次最多批量办理${MAX_BATCH}条` }),
            data: z.record(z.string(), z.unknown()).optional(),
            reason: z.string().max(2000).optional(),
            on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为YYYY-MM-DD' }).optional(),
          }),
          response: { 200: z.object({ done: z.array(z.number()), refused: z.array(z.object({ id: z.number(), message: z.string() })) }) },
        },
      },
      async (req) => performBatchTransition(ctx, actorOf(req), req.params.kind, req.params.key, req.body),
    );
  };
