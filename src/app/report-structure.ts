/**
 * Commands on a report's structure and settings, for every report type: paragraphs added, moved and
 * removed (core/report/structure.ts), part 五 switched on or off, and the signature settings
 * (主送机关, 成文日期, no-data mode). Each is checked like a paragraph edit and audited.
 */
import type { AppContext } from './context';
import { audit } from './audit';
import { editable, getReport, type ReportView } from './reports';
import { reportSettingsSchema, parseSettings, type ReportSettings } from './report-signature';
import { segmentsToSource, type EditorSegmentInput } from './report-editor';
import { buildMetricCatalog } from '../core/metrics';
import { loadMetricDefs } from '../db/metrics-defs';
import type { Actor } from '../core/access/policy';
import { AppError } from '../core/errors';
import {
  addParagraph,
  compileTemplate,
  moveParagraph,
  removeParagraph,
  setOtherPart,
  StructureError,
  type ParagraphPlace,
  type TemplateSource,
} from '../core/report';

async function isKnownMetric(ctx: AppContext, orgId: number): Promise<(k: string) => boolean> {
  const { defs } = await loadMetricDefs(ctx.storage, orgId);
  const catalog = buildMetricCatalog(await ctx.registry.all(), defs).catalog;
  return (k) => catalog.has(k);
}

/** Applies a change to a draft's template source, checks it, stores it (optimistically) and audits it. */
async function changeTemplate(
  ctx: AppContext,
  who: Actor,
  id: number,
  change: (src: TemplateSource) => TemplateSource,
  /** The audit entry's before/after, from the sources before and after the change. */
  entry: (before: TemplateSource, after: TemplateSource) => { before?: unknown; after: unknown },
): Promise<ReportView> {
  const { row, org } = await editable(ctx, who, id);
  if (row.state === '定稿') throw new AppError('CONFLICT', '报告已定稿，不能修改；如需修改，请基于定稿创建新版本');
  const old = JSON.parse(row.template) as TemplateSource;
  let src: TemplateSource;
  try {
    src = change(old);
  } catch (e) {
    if (e instanceof StructureError) throw new AppError('VALIDATION', e.message);
    throw e;
  }
  const r = compileTemplate(src, { isKnownMetric: await isKnownMetric(ctx, org.id) });
  if (!r.ok) throw new AppError('VALIDATION', r.errors.map((e) => e.message).join('；'), { fields: r.errors.map((e) => ({ field: 'source', label: '段落内容', message: e.message })) });
  const e = entry(old, src);
  await saveDraft(ctx, who, { id, updatedAt: row.updated_at, orgId: org.id }, { template: JSON.stringify(src) }, e.before ?? null, e.after);
  return getReport(ctx, who, id);
}

/** Writes a draft's change if nobody changed it meanwhile (and it is not 定稿), with its audit entry. */
async function saveDraft(
  ctx: AppContext,
  who: Actor,
  report: { id: number; updatedAt: string; orgId: number },
  set: { template?: string; settings?: string },
  before: unknown,
  after: unknown,
): Promise<void> {
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('reports')
      .set({ ...set, updated_at: at, updated_by: who.userId || null })
      .where('id', '=', report.id)
      .where('updated_at', '=', report.updatedAt)
      .where('state', '<>', '定稿')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '报告已被他人修改或已定稿，请刷新后再试');
    await audit(trx, who, at, { action: 'update', entity: 'report', entityId: report.id, orgId: report.orgId, before, after });
  });
}

export interface NewParagraph {
  part: ParagraphPlace;
  /** Position in the part (0 = first); default last. */
  index?: number;
  source?: string;
  segments?: EditorSegmentInput[];
  heading?: string;
}

export async function addReportParagraph(ctx: AppContext, who: Actor, id: number, input: NewParagraph): Promise<ReportView> {
  const text = input.segments !== undefined ? segmentsToSource(input.segments) : (input.source ?? '');
  if (text.trim() === '') throw new AppError('VALIDATION', '段落内容不能为空', { fields: [{ field: 'source', label: '段落内容', message: '段落内容不能为空' }] });
  let newId = '';
  return changeTemplate(
    ctx,
    who,
    id,
    (src) => {
      const r = addParagraph(src, input.part, { text, ...(input.heading !== undefined ? { heading: input.heading } : {}) }, input.index);
      newId = r.id;
      return r.source;
    },
    () => ({ after: { paragraphAdded: { id: newId, part: input.part, index: input.index ?? null, text } } }),
  );
}

export async function moveReportParagraph(ctx: AppContext, who: Actor, id: number, pid: string, to: { part: ParagraphPlace; index: number }): Promise<ReportView> {
  return changeTemplate(ctx, who, id, (src) => moveParagraph(src, pid, to.part, to.index), () => ({ after: { paragraphMoved: { id: pid, ...to } } }));
}

export async function removeReportParagraph(ctx: AppContext, who: Actor, id: number, pid: string): Promise<ReportView> {
  return changeTemplate(
    ctx,
    who,
    id,
    (src) => removeParagraph(src, pid),
    (before) => ({ before: { paragraph: [...before.opening, ...before.parts.flatMap((p) => p.paragraphs)].find((p) => p.id === pid) ?? null }, after: { paragraphRemoved: pid } }),
  );
}

export async function setReportOtherPart(ctx: AppContext, who: Actor, id: number, on: boolean): Promise<ReportView> {
  return changeTemplate(ctx, who, id, (src) => setOtherPart(src, on), () => ({ after: { otherPart: on } }));
}

/** Sets the report's 主送机关, 成文日期 and no-data mode (a field sent as null clears it). */
export async function setReportSettings(
  ctx: AppContext,
  who: Actor,
  id: number,
  input: { addressee?: string | null; signedOn?: string | null; noData?: string | null },
): Promise<ReportView> {
  const { row, org } = await editable(ctx, who, id);
  if (row.state === '定稿') throw new AppError('CONFLICT', '报告已定稿，不能修改；如需修改，请基于定稿创建新版本');
  const before = parseSettings(row.settings);
  const next: Record<string, unknown> = { ...before };
  for (const k of ['addressee', 'signedOn', 'noData'] as const) {
    const v = input[k];
    if (v === null || v === '') delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  const r = reportSettingsSchema.safeParse(next);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ field: String(i.path[0] ?? 'settings'), label: LABELS[String(i.path[0])] ?? '报告设置', message: i.message }));
    throw new AppError('VALIDATION', issues.map((i) => `${i.label}：${i.message}`).join('；'), { fields: issues });
  }
  const settings: ReportSettings = r.data;
  await saveDraft(ctx, who, { id, updatedAt: row.updated_at, orgId: org.id }, { settings: JSON.stringify(settings) }, { settings: before }, { settings });
  return getReport(ctx, who, id);
}

const LABELS: Record<string, string> = { addressee: '主送机关', signedOn: '成文日期', noData: '无数据处理方式' };
