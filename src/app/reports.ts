/**
 * The annual report as a stored object: created for (org unit, year) from the default template, kept
 * with its own template source so a town edits words paragraph by paragraph, moved through
 * 草稿 → 审核 → 定稿 by the 法治办, and frozen at 定稿 with its document, figures and the record ids
 * behind each figure (later record edits change nothing in it). A new version is drafted from a 定稿.
 */
import type { AppContext } from './context';
import type { ReportSummary } from './view-schemas';
import { audit } from './audit';
import { orgByCode, orgById } from './orgs';
import { allFigureRecordIds, computeOrgMetrics, recordViews, type OrgRow, type RecordPage } from './metrics-service';
import { recordRows } from '../db/records-repo';
import { toRecView, type RecRow, type RecView } from './record-view';
import { canEditReports, canReadReports, type Actor } from '../core/access/policy';
import { AppError, forbidden, notFound } from '../core/errors';
import { buildMetricCatalog } from '../core/metrics';
import { disclosureExtras, type ReportExtras } from './disclosure-report';
import { disclosureFigureKeys, emptyDisclosureTables } from '../core/disclosure';
import {
  attachTrace,
  compileTemplate,
  documentFigureKeys,
  figureKey,
  finalizeBlockers,
  isUnedited,
  DEFAULT_TEMPLATES,
  reportTypeOf,
  type DocTable,
  type ReportType,
  documentFigures,
  renderReport,
  REPORT_MOVES,
  REPORT_STATES,
  templateMetricKeys,
  uneditedParagraphs,
  type DocRun,
  type FinalizeCheck,
  type PartKey,
  type ReportBlocker,
  type ReportState,
  type UneditedParagraph,
  type DocParagraph,
  type MetricValue,
  type ParagraphSource,
  type ReportDocument,
  type ReportTemplate,
  type ReportWarning,
  type TemplateSource,
} from '../core/report';
import { loadMetricDefs } from '../db/metrics-defs';
import { reportFileName, REPORT_CONTENT_TYPES, writeReport, type ReportFormat } from '../documents/report-output';
import { parseSettings, reportSignature, type ReportSettings } from './report-signature';
import { editorSegments, segmentsToSource, type EditorSegment, type EditorSegmentInput } from './report-editor';

// The workflow is generic (core/report/workflow.ts); re-exported for the existing importers.
export { REPORT_STATES, type ReportState };
const MOVES = REPORT_MOVES;

export type { ReportSummary };

/** What 定稿 freezes. */
export interface ReportSnapshot {
  frozenAt: string;
  frozenBy: string;
  values: Record<string, MetricValue>;
  document: ReportDocument;
  /** Figure (`key`, or `key[entry]` for one value of a `by_` metric) → ids of the records it counts. */
  records: Record<string, number[]>;
  /**
   * The records as they were when frozen (id → row), so later edits or deletions do not show; `data`
   * as stored, personal values sealed (key rotation re-seals them, app/crypto/reseal.ts).
   */
  rows?: Record<string, RecRow>;
  /** Metric key → its Chinese definition when frozen. */
  definitions?: Record<string, string>;
}

export interface ReportRunView {
  text: string;
  metricKey?: string;
  entry?: string;
  display?: string;
  noData?: boolean;
  /** The metric's Chinese name (the editor shows figures by it, never by key). */
  label?: string;
  /** Part of a sentence left out of the outputs (a figure in it has no data): shown in the editor only. */
  withheld?: boolean;
}

/** The records a paragraph's words were drawn from (its list figures). */
export interface ParagraphSourceRecords {
  metricKey: string;
  label: string;
  recordIds: number[];
}

export interface ReportParagraphView {
  id: string;
  heading?: string;
  runs: ReportRunView[];
  /** The paragraph's text in template syntax, what `PUT …/paragraphs/:pid` takes. */
  source: string;
  headingSource?: string;
  /** The source as text and figures named in Chinese, for the editor (`PUT` takes it as `segments`). */
  segments: EditorSegment[];
  /** Template text not edited yet: the editor marks it 【待完善】 (never the outputs). */
  unedited: boolean;
  /** Words drawn from the records, with the records. */
  generated: boolean;
  sources: ParagraphSourceRecords[];
}

/** Where a paragraph may stand: before the parts, or in one of them. */
export type ReportPlace = 'opening' | PartKey;

export interface ReportView extends ReportSummary {
  frozenAt: string | null;
  /** Sections in order: the opening (no heading), then the template's parts. */
  document: { title: string; sections: { key: ReportPlace; heading: string; paragraphs: ReportParagraphView[]; tables?: DocTable[] }[] };
  warnings: ReportWarning[];
  /** What the actor may do now (the server checks again). */
  can: { edit: boolean; moves: ReportState[]; newVersion: boolean };
  settings: ReportSettings;
  /** 发文机关署名, 成文日期 (once known) and 主送机关 as the outputs print them. */
  signature: ReportDocument['signature'];
  /** Whether part 五 (其他需要报告的情况) is on. */
  otherPart: boolean;
  /** Template paragraphs still unedited (listed at 审核). */
  unedited: UneditedParagraph[];
  /** What keeps the actor from 定稿 now (empty = may approve). */
  blockers: ReportBlocker[];
}

interface ReportRow {
  id: number;
  type: string;
  org_id: number;
  year: number;
  version: number;
  state: string;
  title: string;
  template: string;
  snapshot: string | null;
  updated_at: string;
  settings: string | null;
  submitted_by: number | null;
}

const REPORT_COLUMNS = ['id', 'type', 'org_id', 'year', 'version', 'state', 'title', 'template', 'snapshot', 'updated_at', 'settings', 'submitted_by'] as const;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1990 || year > 2150) throw new AppError('BAD_REQUEST', `年份无效：${year}`);
}

export async function loadReport(ctx: AppContext, id: number): Promise<ReportRow> {
  const r = await ctx.storage.db
    .selectFrom('reports')
    .select(REPORT_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('报告');
  return r;
}

export async function readable(ctx: AppContext, who: Actor, id: number): Promise<{ row: ReportRow; org: OrgRow }> {
  const row = await loadReport(ctx, id);
  const org = await orgById(ctx.storage.db, row.org_id);
  if (!canReadReports(who, org.path)) throw forbidden('无权查看该报告（不在您的数据范围内）');
  return { row, org };
}

export async function editable(ctx: AppContext, who: Actor, id: number): Promise<{ row: ReportRow; org: OrgRow }> {
  const r = await readable(ctx, who, id);
  if (!canEditReports(who, r.org.path)) throw forbidden('只有法治办（或系统管理员）可以修改报告');
  return r;
}

function summary(row: Omit<ReportRow, 'settings' | 'submitted_by'>, org: { name: string }): ReportSummary {
  return {
    id: row.id,
    type: row.type as ReportType,
    orgId: row.org_id,
    orgName: org.name,
    year: row.year,
    version: row.version,
    state: row.state as ReportState,
    title: row.title,
    updatedAt: row.updated_at,
  };
}

function titleOf(src: TemplateSource, org: { name: string }, year: number): string {
  return src.title.replaceAll('{{org}}', org.name).replaceAll('{{year}}', String(year)).replaceAll('{{nextYear}}', String(year + 1)).replaceAll('{{prevYear}}', String(year - 1));
}

async function catalogFor(ctx: AppContext, orgId: number) {
  const { defs } = await loadMetricDefs(ctx.storage, orgId);
  return buildMetricCatalog(await ctx.registry.all(), defs).catalog;
}

function compiled(src: TemplateSource): ReportTemplate {
  const r = compileTemplate(src);
  if (!r.ok) throw new AppError('VALIDATION', `报告模板有误：${r.errors.map((e) => e.message).join('；')}`);
  return r.template;
}

/**
 * What the report's type adds to the metric catalog (the disclosure report's tables), or null;
 * `traced`: with the records behind every generated cell (`extras.records`), else counts only.
 */
async function extrasFor(ctx: AppContext, type: ReportType, org: { id: number; name: string; path?: string }, year: number, traced: boolean): Promise<ReportExtras | null> {
  if (type !== 'disclosure') return null;
  return disclosureExtras(ctx, { id: org.id, name: org.name, path: org.path ?? (await orgById(ctx.storage.db, org.id)).path }, year, { traced });
}

/**
 * Renders a template with live figures of the org unit and year (and, by its type, generated tables).
 * `traced`: the generated tables' cells come with their records (the trace, the snapshot, a cell's list).
 */
export async function renderLive(
  ctx: AppContext,
  src: TemplateSource,
  org: { id: number; name: string; path?: string },
  year: number,
  settings: ReportSettings = {},
  opts: { traced?: boolean } = {},
): Promise<{ document: ReportDocument; values: Record<string, MetricValue>; extras: ReportExtras | null; definitions: Record<string, string>; labels: Record<string, string> }> {
  const template = compiled(src);
  const catalog = await catalogFor(ctx, org.id);
  const extras = await extrasFor(ctx, reportTypeOf(src), org, year, opts.traced === true);
  // A metric the template names but the catalog no longer has (a custom metric was removed) shows as
  // no data with a warning, rather than failing the whole report.
  const used = templateMetricKeys(template).filter((k) => !(extras && k in extras.values));
  const known = used.filter((k) => catalog.has(k));
  const m = await computeOrgMetrics(ctx, org.id, year, known);
  const warnings: ReportWarning[] = m.warnings.map((w) => ({ metricKey: w.metricKey, message: w.message, kind: 'consistency' }));
  for (const k of used.filter((k) => !catalog.has(k))) warnings.push({ metricKey: k, message: `指标“${k}”不存在，无法计算`, kind: 'missingMetric' });
  const labels = Object.fromEntries(known.map((k) => [k, catalog.get(k)!.label]));
  const values = { ...m.values, ...(extras?.values ?? {}) };
  if (extras) warnings.push(...extras.warnings);
  const definitions = Object.fromEntries(known.filter((k) => m.sources[k]).map((k) => [k, m.sources[k]!.explain]));
  const document = renderReport(template, {
    orgName: org.name,
    year,
    values,
    warnings,
    labels,
    ...(settings.noData ? { noData: settings.noData } : {}),
    ...(extras ? { tables: extras.tables, data: extras.data } : {}),
  });
  return { document, values, extras, definitions, labels };
}

/** Every figure's records (live), by figure key. */
async function liveRecords(ctx: AppContext, orgId: number, year: number, keys: readonly string[]): Promise<Record<string, number[]>> {
  const records: Record<string, number[]> = {};
  for (const key of keys) records[key] = await allFigureRecordIds(ctx, orgId, year, key);
  return records;
}

function parseSnapshot(row: ReportRow): ReportSnapshot | null {
  return row.snapshot ? (JSON.parse(row.snapshot) as ReportSnapshot) : null;
}

/**
 * The report's document: the frozen one of a 定稿, live figures otherwise, with its signature block.
 * `trace`: each figure with its definition and records (the JSON and HTML outputs).
 */
async function documentOf(ctx: AppContext, row: ReportRow, org: OrgRow, opts: { trace?: boolean } = {}): Promise<ReportDocument> {
  const snap = parseSnapshot(row);
  if (snap) return opts.trace ? attachTrace(structuredClone(snap.document), snap.definitions ?? {}, snap.records) : snap.document;
  const settings = parseSettings(row.settings);
  const live = await renderLive(ctx, JSON.parse(row.template) as TemplateSource, org, row.year, settings, { traced: opts.trace === true });
  live.document.signature = await reportSignature(ctx.storage.db, org.id, settings);
  if (opts.trace) {
    // Generated tables' cells carry their own records; the other figures are the catalog's metrics.
    const records: Record<string, number[]> = { ...(live.extras?.records ?? {}) };
    Object.assign(records, await liveRecords(ctx, org.id, row.year, documentFigureKeys(live.document).filter((k) => !(k in records) && Object.hasOwn(live.labels, k.replace(/\[.*$/, '')))));
    attachTrace(live.document, live.definitions, records);
  }
  return live.document;
}

function allParagraphs(src: TemplateSource): ParagraphSource[] {
  return [...src.opening, ...src.parts.flatMap((p) => p.paragraphs)];
}

function runView(r: DocRun, labels: Readonly<Record<string, string>>, withheld: boolean): ReportRunView {
  if (r.type === 'text') return { text: r.text, ...(withheld ? { withheld: true } : {}) };
  const label = labels[r.metricKey];
  return {
    text: r.text,
    metricKey: r.metricKey,
    display: r.display,
    noData: r.noData,
    ...(r.entry !== undefined ? { entry: r.entry } : {}),
    ...(label !== undefined ? { label: r.entry !== undefined ? `${label}（${r.entry}）` : label } : {}),
    ...(withheld ? { withheld: true } : {}),
  };
}

/** The printed runs with the left-out sentences back where they stood, flagged for the editor. */
function editorRuns(p: DocParagraph, labels: Readonly<Record<string, string>>): ReportRunView[] {
  const out: ReportRunView[] = [];
  const pending = [...(p.withheld ?? [])].sort((a, b) => a.at - b.at);
  let offset = 0;
  const flush = (upTo: number) => {
    while (pending.length && pending[0]!.at <= upTo) for (const r of pending.shift()!.runs) out.push(runView(r, labels, true));
  };
  for (const r of p.runs) {
    flush(offset);
    if (r.type === 'text' && pending.length && pending[0]!.at < offset + r.text.length) {
      // A left-out sentence stood inside this text run: split it there.
      let rest = r.text;
      let at = offset;
      while (pending.length && pending[0]!.at < at + rest.length) {
        const cut = pending[0]!.at - at;
        if (cut > 0) out.push({ text: rest.slice(0, cut) });
        rest = rest.slice(cut);
        at += cut;
        flush(at);
      }
      if (rest) out.push({ text: rest });
    } else out.push(runView(r, labels, false));
    offset += r.text.length;
  }
  flush(Number.POSITIVE_INFINITY);
  return out;
}

function paragraphView(
  p: DocParagraph,
  src: ParagraphSource | undefined,
  labels: Readonly<Record<string, string>>,
  sources: ParagraphSourceRecords[],
): ReportParagraphView {
  return {
    id: p.id,
    ...(p.heading ? { heading: p.heading.number + p.heading.text } : {}),
    runs: editorRuns(p, labels),
    source: src?.text ?? '',
    ...(src?.heading !== undefined ? { headingSource: src.heading } : {}),
    segments: src ? editorSegments(src.text, labels) : [],
    unedited: src ? isUnedited(src) : false,
    generated: p.generated === true,
    sources,
  };
}

/** Warnings with the paragraph they concern (a consistency warning goes beside each paragraph using the figure). */
function flatWarnings(doc: ReportDocument): ReportWarning[] {
  const out: ReportWarning[] = [];
  const attached = new Set<string>();
  for (const p of [...doc.opening, ...doc.sections.flatMap((s) => s.paragraphs)]) {
    for (const w of p.warnings) {
      out.push({ paragraphId: p.id, metricKey: w.metricKey, message: w.message, ...(w.kind ? { kind: w.kind } : {}) });
      attached.add(`${w.metricKey}\u0000${w.message}`);
    }
  }
  for (const w of doc.warnings)
    if (!attached.has(`${w.metricKey}\u0000${w.message}`)) out.push({ metricKey: w.metricKey, message: w.message, ...(w.kind ? { kind: w.kind } : {}), ...(w.record ? { record: w.record } : {}) });
  return out;
}

interface ViewExtras {
  labels: Record<string, string>;
  /** Figure key → record ids, for the list figures of generated paragraphs. */
  records: Record<string, number[]>;
  blockers: ReportBlocker[];
}

function view(row: ReportRow, org: OrgRow, doc: ReportDocument, who: Actor, extras: ViewExtras): ReportView {
  const src = JSON.parse(row.template) as TemplateSource;
  const byId = new Map(allParagraphs(src).map((p) => [p.id, p]));
  const state = row.state as ReportState;
  const mayEdit = canEditReports(who, org.path);
  const sourcesOf = (p: DocParagraph): ParagraphSourceRecords[] => {
    if (!p.generated) return [];
    const keys = new Set<string>();
    for (const r of [...p.runs, ...(p.withheld ?? []).flatMap((w) => w.runs)]) if (r.type === 'figure' && Array.isArray(r.value)) keys.add(figureKey(r));
    return [...keys].map((k) => ({ metricKey: k, label: extras.labels[k] ?? k, recordIds: extras.records[k] ?? [] }));
  };
  const pv = (p: DocParagraph) => paragraphView(p, byId.get(p.id), extras.labels, sourcesOf(p));
  const sections: ReportView['document']['sections'] = [];
  if (doc.opening.length) sections.push({ key: 'opening', heading: '', paragraphs: doc.opening.map(pv) });
  for (const s of doc.sections) sections.push({ key: s.key, heading: s.number + s.title, paragraphs: s.paragraphs.map(pv), ...(s.tables ? { tables: s.tables } : {}) });
  return {
    ...summary(row, org),
    frozenAt: parseSnapshot(row)?.frozenAt ?? null,
    document: { title: doc.title, sections },
    warnings: flatWarnings(doc),
    can: { edit: mayEdit && state !== '定稿', moves: mayEdit ? [...MOVES[state]] : [], newVersion: mayEdit && state === '定稿' },
    settings: parseSettings(row.settings),
    signature: doc.signature,
    otherPart: src.parts.some((p) => p.key === 'other'),
    unedited: state === '定稿' ? [] : uneditedParagraphs(src),
    blockers: extras.blockers,
  };
}

export async function listReports(ctx: AppContext, who: Actor, q: { orgId?: number; year?: number; type?: ReportType }): Promise<ReportSummary[]> {
  let query = ctx.storage.db
    .selectFrom('reports')
    .innerJoin('org_units', 'org_units.id', 'reports.org_id')
    .select(['reports.id', 'reports.type', 'reports.org_id', 'reports.year', 'reports.version', 'reports.state', 'reports.title', 'reports.template', 'reports.snapshot', 'reports.updated_at', 'org_units.name', 'org_units.path']);
  if (who.role !== 'admin') query = query.where('org_units.path', 'like', `${who.orgPath}%`);
  if (q.orgId !== undefined) query = query.where('reports.org_id', '=', q.orgId);
  if (q.year !== undefined) query = query.where('reports.year', '=', q.year);
  if (q.type !== undefined) query = query.where('reports.type', '=', q.type);
  const rows = await query.orderBy('reports.year', 'desc').orderBy('org_units.path').orderBy('reports.version', 'desc').execute();
  // (settings and submitted_by are not needed for a summary.)
  return rows.filter((r) => canReadReports(who, r.path)).map((r) => summary(r, r));
}

export async function getReport(ctx: AppContext, who: Actor, id: number): Promise<ReportView> {
  const { row, org } = await readable(ctx, who, id);
  const snap = parseSnapshot(row);
  if (snap) {
    const labels = Object.fromEntries(documentFigureKeys(snap.document).map((k) => [k, k]));
    return view(row, org, snap.document, who, { labels: { ...labels, ...(await labelsFor(ctx, org.id)) }, records: snap.records, blockers: [] });
  }
  const settings = parseSettings(row.settings);
  const live = await renderLive(ctx, JSON.parse(row.template) as TemplateSource, org, row.year, settings);
  live.document.signature = await reportSignature(ctx.storage.db, org.id, settings);
  // The records behind the words of generated paragraphs (their list figures), for the editor.
  const listKeys = new Set<string>();
  for (const p of [...live.document.opening, ...live.document.sections.flatMap((s) => s.paragraphs)]) {
    if (!p.generated) continue;
    for (const r of [...p.runs, ...(p.withheld ?? []).flatMap((w) => w.runs)]) if (r.type === 'figure' && Array.isArray(r.value) && r.value.length) listKeys.add(figureKey(r));
  }
  const records = await liveRecords(ctx, org.id, row.year, [...listKeys]);
  const blockers =
    row.state === '审核' && canEditReports(who, org.path)
      ? finalizeBlockers({ document: live.document, submittedBy: row.submitted_by, approverId: who.userId }, typeChecks(live.extras?.blocking ?? []))
      : [];
  return view(row, org, live.document, who, { labels: live.labels, records, blockers });
}

/** Chinese names of every metric of the org unit's catalog. */
async function labelsFor(ctx: AppContext, orgId: number): Promise<Record<string, string>> {
  const catalog = await catalogFor(ctx, orgId);
  return Object.fromEntries([...catalog.keys()].map((k) => [k, catalog.get(k)!.label]));
}

/** Creates version 1 of the year's report of a type (default 法治政府建设情况报告) from the type's default template. */
export async function createReport(ctx: AppContext, who: Actor, input: { orgId: number; year: number; type?: ReportType }): Promise<ReportSummary> {
  checkYear(input.year);
  const org = await orgById(ctx.storage.db, input.orgId);
  if (!canEditReports(who, org.path)) throw forbidden('只有法治办（或系统管理员）可以创建报告');
  const at = ctx.now().toISOString();
  const type = input.type ?? 'rule_of_law';
  const src = DEFAULT_TEMPLATES[type];
  return ctx.storage.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('reports')
      .select(['id', 'version'])
      .where('org_id', '=', org.id)
      .where('type', '=', type)
      .where('year', '=', input.year)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    if (existing)
      throw new AppError('CONFLICT', `${org.name}${input.year}年的报告已存在（第${existing.version}版），请在该报告上修改，或基于定稿创建新版本`);
    const row = {
      type,
      org_id: org.id,
      year: input.year,
      version: 1,
      state: '草稿',
      title: titleOf(src, org, input.year),
      template: JSON.stringify(src),
      snapshot: null,
      settings: null,
      submitted_by: null,
      created_at: at,
      created_by: who.userId || null,
      updated_at: at,
      updated_by: who.userId || null,
    };
    const { id } = await trx.insertInto('reports').values(row).returning('id').executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'create', entity: 'report', entityId: id, orgId: org.id, after: { year: input.year, version: 1, template: src.id, type } });
    return summary({ ...row, id: Number(id) }, org);
  });
}

/** Replaces the words of one paragraph (and optionally its run-in heading), checked with the template parser. */
export async function editParagraph(
  ctx: AppContext,
  who: Actor,
  id: number,
  pid: string,
  input: { source?: string; segments?: EditorSegmentInput[]; heading?: string },
): Promise<ReportView> {
  const { row, org } = await editable(ctx, who, id);
  // The editor sends text and figures (named in Chinese on screen, by key here); the API also takes the syntax.
  const source = input.segments !== undefined ? segmentsToSource(input.segments) : input.source;
  if (source === undefined) throw new AppError('VALIDATION', '请提供段落内容', { fields: [{ field: 'source', label: '段落内容', message: '请提供段落内容' }] });
  if (row.state === '定稿') throw new AppError('CONFLICT', '报告已定稿，不能修改；如需修改，请基于定稿创建新版本');
  const src = JSON.parse(row.template) as TemplateSource;
  const p = allParagraphs(src).find((x) => x.id === pid);
  if (!p) throw notFound(`段落“${pid}”`);
  if (source.trim() === '') throw new AppError('VALIDATION', '段落内容不能为空', { fields: [{ field: 'source', label: '段落内容', message: '段落内容不能为空' }] });
  const before = { text: p.text, ...(p.heading !== undefined ? { heading: p.heading } : {}) };
  p.text = source;
  // Written by the town now: no longer template text to complete (【待完善】).
  p.edited = true;
  if (input.heading !== undefined) {
    if (input.heading.trim() === '') delete p.heading;
    else p.heading = input.heading;
  }
  const catalog = await catalogFor(ctx, org.id);
  const own = reportTypeOf(src) === 'disclosure' ? disclosureFigureKeys(emptyDisclosureTables) : new Set<string>();
  const r = compileTemplate(src, { isKnownMetric: (k) => catalog.has(k) || own.has(k) });
  if (!r.ok) {
    const mine = r.errors.filter((e) => e.paragraphId === pid);
    const errs = mine.length ? mine : r.errors;
    throw new AppError('VALIDATION', errs.map((e) => e.message).join('；'), {
      fields: errs.map((e) => ({ field: e.path.endsWith('.heading') ? 'heading' : 'source', label: e.path.endsWith('.heading') ? '小标题' : '段落内容', message: e.message })),
    });
  }
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('reports')
      .set({ template: JSON.stringify(src), title: titleOf(src, org, row.year), updated_at: at, updated_by: who.userId || null })
      .where('id', '=', id)
      .where('updated_at', '=', row.updated_at)
      .where('state', '<>', '定稿')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '报告已被他人修改或已定稿，请刷新后再试');
    await audit(trx, who, at, { action: 'update', entity: 'report', entityId: id, orgId: org.id, before: { paragraph: pid, ...before }, after: { paragraph: pid, text: p.text, ...(p.heading !== undefined ? { heading: p.heading } : {}) } });
  });
  return getReport(ctx, who, id);
}

/**
 * Freezes the live document: its figures, its signature block (成文日期 the day of 定稿 unless set),
 * and for every figure its definition and the ids of the records it counts (generated tables' cells
 * too); `blocking` is what the report's type refuses 定稿 for.
 */
async function takeSnapshot(ctx: AppContext, row: ReportRow, org: OrgRow, who: Actor, at: string): Promise<ReportSnapshot & { blocking: string[] }> {
  const settings = parseSettings(row.settings);
  const { document, values, extras, definitions, labels } = await renderLive(ctx, JSON.parse(row.template) as TemplateSource, org, row.year, settings, { traced: true });
  document.signature = await reportSignature(ctx.storage.db, org.id, settings, at);
  const records: Record<string, number[]> = { ...(extras?.records ?? {}) };
  Object.assign(records, await liveRecords(ctx, org.id, row.year, documentFigureKeys(document).filter((k) => !(k in records) && Object.hasOwn(labels, k.replace(/\[.*$/, '')))));
  attachTrace(document, definitions, records);
  const ids = [...new Set(Object.values(records).flat())];
  const rows: Record<string, RecRow> = {};
  for (let i = 0; i < ids.length; i += 1000) {
    for (const r of await recordRows(ctx.storage.db, ctx.storage.dialect).where('records.id', 'in', ids.slice(i, i + 1000)).execute()) {
      // Frozen as stored: personal values stay sealed (SM4 + HMAC-SM3) in the snapshot too, opened when shown.
      rows[String(r.id)] = { ...(r as RecRow), data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data };
    }
  }
  return { frozenAt: at, frozenBy: who.displayName, values, document, records, rows, definitions, blocking: extras?.blocking ?? [] };
}

/** The report type's own reasons to refuse 定稿 (the disclosure report's cross-checks) as a finalize check. */
function typeChecks(blocking: readonly string[]): FinalizeCheck[] {
  return [() => blocking.map((message) => ({ code: 'report_type', message }))];
}

/** A refused 定稿, with every problem in Chinese. */
function blocked(blockers: readonly ReportBlocker[]): AppError {
  return new AppError('CONFLICT', `不能定稿：${blockers.map((b) => b.message).join('；')}`, {
    fields: blockers.map((b) => ({ field: b.paragraphId ?? b.code, label: b.paragraphId ? `段落${b.paragraphId}` : '定稿', message: b.message })),
  });
}

/**
 * 草稿 → 审核 → 定稿 (or back to 草稿). Whoever moves a report to 审核 is recorded; 定稿 needs another
 * person and no blocking problem (core/report/workflow.ts); both moves are audited.
 */
export async function setReportState(ctx: AppContext, who: Actor, id: number, to: string): Promise<ReportView> {
  const { row, org } = await editable(ctx, who, id);
  if (!(REPORT_STATES as readonly string[]).includes(to)) throw new AppError('BAD_REQUEST', `报告状态必须是${REPORT_STATES.join('、')}之一`);
  const from = row.state as ReportState;
  if (!MOVES[from].includes(to as ReportState)) throw new AppError('CONFLICT', `报告当前为“${from}”，不能改为“${to}”`);
  const at = ctx.now().toISOString();
  const taken = to === '定稿' ? await takeSnapshot(ctx, row, org, who, at) : null;
  if (taken) {
    // The generic guard (second person, figures without data, consistency) and the type's own checks
    // (the disclosure report's cross-checks).
    const blockers = finalizeBlockers({ document: taken.document, submittedBy: row.submitted_by, approverId: who.userId }, typeChecks(taken.blocking));
    if (blockers.length) throw blocked(blockers);
  }
  const snapshot: ReportSnapshot | null = taken ? (({ blocking: _b, ...s }) => s)(taken) : null;
  const submittedBy = to === '审核' ? who.userId || null : to === '草稿' ? null : row.submitted_by;
  const unedited = to === '审核' ? uneditedParagraphs(JSON.parse(row.template) as TemplateSource) : [];
  await ctx.storage.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('reports')
      .set({ state: to, snapshot: snapshot ? JSON.stringify(snapshot) : null, submitted_by: submittedBy, ...(snapshot ? { title: snapshot.document.title } : {}), updated_at: at, updated_by: who.userId || null })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '报告状态已被他人修改，请刷新后再试');
    await audit(trx, who, at, {
      action: 'state',
      entity: 'report',
      entityId: id,
      orgId: org.id,
      before: { state: from, ...(row.submitted_by !== null ? { submittedBy: row.submitted_by } : {}) },
      after: {
        state: to,
        ...(snapshot ? { figures: Object.keys(snapshot.records).length, approvedBy: who.userId, submittedBy: row.submitted_by, signedOn: snapshot.document.signature?.date } : {}),
        ...(to === '审核' ? { submittedBy, unedited: unedited.map((u) => u.id) } : {}),
      },
    });
  });
  return getReport(ctx, who, id);
}

/** Drafts version n+1 from a 定稿 report (same template source, live figures again). */
export async function newReportVersion(ctx: AppContext, who: Actor, id: number): Promise<ReportSummary> {
  const { row, org } = await editable(ctx, who, id);
  if (row.state !== '定稿') throw new AppError('CONFLICT', '只有定稿的报告可以创建新版本');
  const at = ctx.now().toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    const latest = await trx
      .selectFrom('reports')
      .select(['version', 'state'])
      .where('org_id', '=', row.org_id)
      .where('type', '=', row.type)
      .where('year', '=', row.year)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    if (latest.version !== row.version) throw new AppError('CONFLICT', `已有更新的版本（第${latest.version}版，${latest.state}），请在该版本上修改`);
    const next = {
      type: row.type,
      org_id: row.org_id,
      year: row.year,
      version: row.version + 1,
      state: '草稿',
      title: row.title,
      template: row.template,
      snapshot: null,
      settings: row.settings,
      submitted_by: null,
      created_at: at,
      created_by: who.userId || null,
      updated_at: at,
      updated_by: who.userId || null,
    };
    const { id: newId } = await trx.insertInto('reports').values(next).returning('id').executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'new_version', entity: 'report', entityId: newId, orgId: row.org_id, before: { id: row.id, version: row.version }, after: { version: next.version } });
    return summary({ ...next, id: Number(newId) }, org);
  });
}

export interface ReportFile {
  body: Buffer;
  fileName: string;
  contentType: string;
}

/** The report as a file; audited as an export (writers' errors, e.g. no LibreOffice for PDF, pass through). */
export async function exportReport(ctx: AppContext, who: Actor, id: number, format: ReportFormat): Promise<ReportFile> {
  const { row, org } = await readable(ctx, who, id);
  // The JSON and HTML carry each figure's definition and records; the others print the text only.
  const doc = await documentOf(ctx, row, org, { trace: format === 'json' || format === 'html' });
  const body = await writeReport(doc, format);
  await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'export', entity: 'report', entityId: id, orgId: org.id, detail: `${format}（${row.state}，第${row.version}版）` });
  return { body, fileName: reportFileName(doc, format), contentType: REPORT_CONTENT_TYPES[format] };
}

/** The records behind a figure of a 定稿 report, from its snapshot. */
export async function snapshotRecords(ctx: AppContext, who: Actor, id: number, figure: string, page: number, pageSize: number): Promise<RecordPage> {
  const { row } = await readable(ctx, who, id);
  const snap = parseSnapshot(row);
  if (!snap) throw new AppError('CONFLICT', '报告尚未定稿，数字来自实时数据：请使用指标记录接口');
  // Own keys only: a figure named like an Object.prototype member is simply not in the report.
  const ids = Object.hasOwn(snap.records, figure) ? snap.records[figure] : undefined;
  if (!Array.isArray(ids)) throw notFound(`报告中的数字“${figure}”`);
  const slice = ids.slice((page - 1) * pageSize, page * pageSize);
  if (!snap.rows) return { items: await recordViews(ctx, who, slice), total: ids.length, page, pageSize };
  // The frozen rows, masked for the reader now.
  const items: RecView[] = [];
  for (const rid of slice) {
    const r = snap.rows[String(rid)];
    const def = r ? await ctx.registry.get(r.kind).catch(() => null) : null;
    if (r && def) items.push(toRecView(def, r, who));
  }
  return { items, total: ids.length, page, pageSize };
}

/** The latest report of a type and year (frozen or live), or a fresh draft from the type's default template: for the CLI. */
export async function reportDocumentFor(
  ctx: AppContext,
  orgCode: string,
  year: number,
  type: ReportType = 'rule_of_law',
): Promise<{ document: ReportDocument; state: string; version: number | null }> {
  checkYear(year);
  const org = await orgByCode(ctx.storage.db, orgCode);
  const row = await ctx.storage.db
    .selectFrom('reports')
    .select(REPORT_COLUMNS)
    .where('org_id', '=', org.id)
    .where('type', '=', type)
    .where('year', '=', year)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (row) return { document: await documentOf(ctx, row, org), state: row.state, version: row.version };
  const { document } = await renderLive(ctx, DEFAULT_TEMPLATES[type], org, year);
  document.signature = await reportSignature(ctx.storage.db, org.id, {});
  return { document, state: '草稿', version: null };
}

