/**
 * zod schemas of the metric definition format, with Chinese messages: a town's own metric (API,
 * CLI `fazhi metric define FILE.json`) is checked here for shape, then against the ledgers and the
 * other metrics by `checkMetricDef` (catalog.ts).
 */
import { z } from 'zod';
import { METRIC_COLUMNS, METRIC_UNITS, type Filter, type MetricDef } from './types';

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: '取值必须是文本、数字或是/否' });
const fieldKey = z.string({ error: '字段名必须是文本' }).regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: '字段名只能由字母、数字和下划线组成，且以字母开头' });
const column = z.enum(METRIC_COLUMNS, { error: `公共字段必须是 ${METRIC_COLUMNS.join('、')} 之一` });
const nonEmpty = <T extends z.ZodType>(t: T) => z.array(t).min(1, { error: '列表不能为空' });

export const ZFilter: z.ZodType<Filter> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ field: fieldKey, eq: scalar }),
      z.strictObject({ field: fieldKey, in: nonEmpty(scalar) }),
      z.strictObject({ field: fieldKey, notIn: nonEmpty(scalar) }),
      z.strictObject({ field: fieldKey, present: z.boolean({ error: 'present 必须是 true 或 false' }) }),
      z.strictObject({ column, eq: z.string({ error: '取值必须是文本' }) }),
      z.strictObject({ column, in: nonEmpty(z.string({ error: '取值必须是文本' })) }),
      z.strictObject({ column, notIn: nonEmpty(z.string({ error: '取值必须是文本' })) }),
      z.strictObject({ column, present: z.boolean({ error: 'present 必须是 true 或 false' }) }),
      z.strictObject({
        field: fieldKey,
        within: z.strictObject({ of: fieldKey, days: z.number().int({ error: '天数必须是整数' }).min(0, { error: '天数不能为负' }) }),
      }),
      z.strictObject({ anyOf: nonEmpty(ZFilter) }),
    ],
    { error: '筛选条件格式不正确：应为 {field, eq|in|notIn|present}、{column, …}、{field, within} 或 {anyOf}' },
  ),
);

export const METRIC_KEY_RE = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const metricKey = z.string({ error: '指标键必须是文本' }).regex(METRIC_KEY_RE, { error: '指标键只能由字母、数字、下划线和点组成，以小写字母开头，如 training.my_sessions' });

const meta = {
  key: metricKey,
  label: z.string({ error: '名称必须是文本' }).trim().min(1, { error: '名称不能为空' }).max(100, { error: '名称不能超过100字' }),
  unit: z.enum(METRIC_UNITS, { error: `单位必须是 ${METRIC_UNITS.filter(Boolean).join('、')} 之一或空` }),
  description: z.string().max(1000, { error: '说明不能超过1000字' }).optional(),
  requires: z.array(fieldKey).optional(),
  better: z.enum(['higher', 'lower'], { error: '优劣方向必须是 higher（越高越好）或 lower（越低越好）' }).optional(),
};
const scope = {
  kind: z.string({ error: '台账类型必须是文本' }).regex(/^[a-z][a-z0-9_]*$/, { error: '台账类型名称不正确' }),
  filters: z.array(ZFilter).optional(),
  dateField: fieldKey.optional(),
  shiftYears: z.number().int({ error: '年份偏移必须是整数' }).min(-10).max(10).optional(),
};

export const ZMetricDef: z.ZodType<MetricDef> = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...meta, ...scope, type: z.literal('count') }),
    z.strictObject({ ...meta, ...scope, type: z.literal('sum'), field: fieldKey, emptyAs: z.enum(['zero', 'null']).optional() }),
    z.strictObject({ ...meta, ...scope, type: z.literal('rate'), numerator: z.array(ZFilter), denominator: z.array(ZFilter) }),
    z.strictObject({ ...meta, ...scope, type: z.literal('list'), field: fieldKey.optional(), detail: fieldKey.optional() }),
    z.strictObject({ ...meta, ...scope, type: z.literal('by'), field: fieldKey, partsOf: metricKey.optional() }),
    z.strictObject({ ...meta, type: z.literal('yoy'), of: metricKey }),
    z.strictObject({ ...meta, type: z.literal('composite'), of: nonEmpty(metricKey) }),
  ],
  { error: '指标类型必须是 count、sum、rate、list、by、yoy 或 composite' },
);

/** Parses an unknown value as a metric definition; errors are Chinese, one per problem, with the path. */
export function parseMetricDef(input: unknown): { ok: true; def: MetricDef } | { ok: false; errors: string[] } {
  const r = ZMetricDef.safeParse(input);
  if (r.success) return { ok: true, def: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)),
  };
}
