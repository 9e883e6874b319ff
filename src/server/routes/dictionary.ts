import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { listDictionary, setDictionaryLabel } from '../../app/dictionary';

const ZDictionaryItem = z.object({
  kind: z.string(),
  kindLabel: z.string(),
  field: z.string(),
  fieldLabel: z.string(),
  value: z.string(),
  defaultLabel: z.string(),
  label: z.string(),
  overridden: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
});

/** The 字典: Chinese names of enum values (统计指标 codes, options), read by all, set by the 系统管理员. */
export const dictionaryRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/dictionary',
      {
        schema: {
          tags: ['ledgers'],
          summary: '字典：各台账选项（含统计指标代码）的中文名称，可按关键词、台账筛选，分页',
          querystring: z.object({
            q: z.string().max(100).optional(),
            kind: z.string().max(60).optional(),
            overridden: z.enum(['true', 'false']).optional(),
            page: z.coerce.number().int().min(1, { error: '页码应为正整数' }).default(1),
            pageSize: z.coerce.number().int().min(1).max(500, { error: '每页最多500条' }).default(20),
          }),
          response: {
            200: z.object({ items: z.array(ZDictionaryItem), total: z.number(), kinds: z.array(z.object({ kind: z.string(), label: z.string() })) }),
          },
        },
      },
      async (req) =>
        listDictionary(ctx, {
          ...req.query,
          overridden: req.query.overridden === undefined ? undefined : req.query.overridden === 'true',
        }),
    );
    app.put(
      '/api/dictionary',
      {
        schema: {
          tags: ['ledgers'],
          summary: '设置某选项的中文名称（系统管理员）；label 为 null 时恢复默认名称',
          body: z.object({
            kind: z.string({ error: '台账：必填' }).max(60),
            field: z.string({ error: '字段：必填' }).max(60),
            value: z.string({ error: '取值：必填' }).max(200),
            label: z.string({ error: '名称：应为文字或 null' }).max(1000).nullable(),
          }),
          response: { 200: ZDictionaryItem },
        },
      },
      async (req) => setDictionaryLabel(ctx, actorOf(req), req.body),
    );
  };
