import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { ListQuery } from '../../app/records';

/** A record list's query string, shared by the list and its export so both select the same rows. */
export const listQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(20),
    sort: z.string().max(60).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    orgId: z.coerce.number().int().optional(),
    deptId: z.coerce.number().int().optional(),
    year: z.coerce.number().int().min(1990).max(2150).optional(),
    status: z.string().max(400).optional(),
    deadlineState: z.string().max(100).optional(),
    deleted: z.enum(['true', 'false']).optional(),
    /** The keyword box: words in any text field, or a record number. */
    q: z.string().max(200).optional(),
    /** Selected records, comma-separated ids (an export of the checked rows). */
    ids: z
      .string()
      .max(20_000)
      .regex(/^\d+(,\d+)*$/, { error: '所选记录编号应为逗号分隔的数字' })
      .optional(),
  })
  .catchall(z.string().max(500));

export type ListQueryString = z.infer<typeof listQuerySchema>;

const KNOWN = new Set(['page', 'pageSize', 'sort', 'order', 'orgId', 'deptId', 'year', 'status', 'deadlineState', 'deleted', 'q', 'ids']);

/** The app's ListQuery for a parsed query string; `f.<field>…` keys become field filters. */
export function toListQuery(q: ListQueryString, extraKnown: readonly string[] = []): ListQuery {
  // No prototype: `f.__proto__=…` is an unknown field (400), not a write to Object.prototype's slot.
  const filters: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(q)) {
    if (k.startsWith('f.') && typeof v === 'string' && v !== '') filters[k.slice(2)] = v;
    else if (!KNOWN.has(k) && !extraKnown.includes(k)) throw new AppError('BAD_REQUEST', `未知的查询参数“${k}”（字段筛选请用 f.${k}）`);
  }
  const out: ListQuery = {
    page: q.page,
    pageSize: q.pageSize,
    sort: q.sort,
    order: q.order,
    orgId: q.orgId,
    deptId: q.deptId,
    year: q.year,
    status: q.status,
    deadlineState: q.deadlineState ? q.deadlineState.split(',') : undefined,
    deleted: q.deleted === 'true',
    filters,
  };
  if (q.q?.trim()) out.keyword = q.q.trim();
  if (q.ids) out.ids = q.ids.split(',').map(Number);
  return out;
}
