import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { readScope } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { audit } from './audit';
import { orgById } from './orgs';
import { listRecords, listSelection, type ListQuery } from './records';
import type { ExportStream } from './exchange';
import { auditPiiExport } from './pii-reads';
import { piiFields } from './crypto/pii-codec';
import { canSeePii } from '../core/access/policy';

/** An export holds at most this many rows: past it the clerk is asked to narrow the filter. */
export const LIST_EXPORT_MAX = 50_000;
const PAGE = 500;

/**
 * The rows a list shows, as exchange lines, for its 导出: the list's own query (filters, keyword,
 * selected ids, sort) run page by page through listRecords, so the file holds exactly what the
 * list selects, with the same scope checks and personal data masked the same way. Opening it
 * checks scope and size and writes the audit entry, before any line is produced; the direct
 * download and the export job (export-jobs.ts) both read it.
 */
export async function openListExport(ctx: AppContext, who: Actor, kind: string, q: ListQuery): Promise<ExportStream> {
  const def = await ctx.registry.get(kind);
  if (!readScope(who, kind)) throw forbidden(`无权导出“${def.label}”`);
  const first = await listRecords(ctx, who, kind, { ...q, page: 1, pageSize: PAGE, countCap: LIST_EXPORT_MAX });
  if (first.totalCapped) throw new AppError('BAD_REQUEST', `符合条件的记录超过${LIST_EXPORT_MAX}条，请加筛选条件后分批导出`);
  await audit(ctx.storage.db, who, ctx.now().toISOString(), {
    action: 'export',
    entity: 'records',
    orgId: q.orgId ?? who.orgId,
    detail: JSON.stringify({ kind, format: 'xlsx', rows: first.total, query: describeQuery(q) }),
  });
  // Personal values leave in clear: the records are named too (the same selection, ids only).
  if (piiFields(def).length && canSeePii(who)) {
    const { base } = await listSelection(ctx, who, kind, q);
    const ids = (await base.select('records.id').limit(LIST_EXPORT_MAX).execute()).map((r) => r.id);
    await auditPiiExport(ctx, who, def, q.orgId ?? who.orgId, ids);
  }
  async function* lines(): AsyncGenerator<Record<string, unknown>> {
    let page = first;
    for (let n = 1; ; n++) {
      for (const r of page.items) yield { kind, dept: r.deptName, ...(def.flow && r.status ? { status: r.status } : {}), ...r.data };
      if (n * PAGE >= page.total || page.items.length < PAGE) break;
      page = await listRecords(ctx, who, kind, { ...q, page: n + 1, pageSize: PAGE, countCap: LIST_EXPORT_MAX });
    }
  }
  return { total: first.total, lines: lines() };
}

/** The same as a generator whose first step does the checks (see openListExport). */
export async function* exportListed(ctx: AppContext, who: Actor, kind: string, q: ListQuery): AsyncGenerator<Record<string, unknown>> {
  yield* (await openListExport(ctx, who, kind, q)).lines;
}

/** What was exported, for the audit entry (the filters as given). */
function describeQuery(q: ListQuery): Record<string, unknown> {
  const { page: _p, pageSize: _s, countCap: _c, ...rest } = q;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== false && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)));
}

/** `庙行镇_培训与学法_2026.xlsx`: org unit, ledger, year (or 全部年度), 所选N条 for a selection. */
export async function listExportFileName(ctx: AppContext, who: Actor, kind: string, q: ListQuery): Promise<string> {
  const def = await ctx.registry.get(kind);
  const org = await orgById(ctx.storage.db, q.orgId ?? who.orgId);
  const parts = [org.name, def.label, q.year !== undefined ? String(q.year) : '全部年度'];
  if (q.ids) parts.push(`所选${q.ids.length}条`);
  return `${parts.join('_')}.xlsx`;
}
