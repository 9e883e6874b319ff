/**
 * The records behind a cell of a report's generated tables: from the snapshot once 定稿, live
 * otherwise (上年结转 lists the previous year's requests, since those are the records it counts).
 */
import type { AppContext } from './context';
import { readable, renderLive, snapshotRecords } from './reports';
import { recordViews, type RecordPage } from './metrics-service';
import type { Actor } from '../core/access/policy';
import { notFound } from '../core/errors';
import type { TemplateSource } from '../core/report';

export async function reportCellRecords(ctx: AppContext, who: Actor, id: number, figure: string, page: number, pageSize: number): Promise<RecordPage> {
  const { row, org } = await readable(ctx, who, id);
  if (row.snapshot) return snapshotRecords(ctx, who, id, figure, page, pageSize);
  const { extras } = await renderLive(ctx, JSON.parse(row.template) as TemplateSource, org, row.year, {}, { traced: true });
  const ids = extras && Object.hasOwn(extras.records, figure) ? extras.records[figure]! : undefined;
  if (!ids) throw notFound(`报告表格中的单元格“${figure}”`);
  // Masked and scope-filtered like every record list: recordViews applies the reader's view.
  return { items: await recordViews(ctx, who, ids.slice((page - 1) * pageSize, page * pageSize)), total: ids.length, page, pageSize };
}
