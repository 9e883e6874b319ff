import type { AppContext } from './context';
import { readScope, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { orgById } from './orgs';
import { openOrgExport, type ExportStream } from './exchange';
import { listExportFileName, openListExport } from './list-export';
import type { ListQuery } from './records';
import { writeXlsxExport } from '../documents/xlsx-writer';
import { createJob, finishJob, jobContent, jobState, ownJob, progressWriter, type JobRow } from './exchange-jobs';

/**
 * Exports, direct or as a job. What a download holds is decided in one place: `openExport` opens the
 * list's query (openListExport) or an org unit's records (openOrgExport) — scope checks, size limit and
 * audit entry first — and both the direct download and the job write its lines. A job (for exports of
 * more than a few thousand rows, which the web app shows with a progress bar) writes the file into its
 * row of `exchange_jobs` with the rows done so far, so any instance answers the poll and hands out the
 * file. Only the user who started it may fetch it, and only while their data scope is the one the
 * file was made under.
 */

export type ExportFormat = 'xlsx' | 'jsonl';

export type ExportSpec =
  | { source: 'list'; kind: string; query: ListQuery }
  | { source: 'org'; orgId: number; kind?: string; year?: number; format: ExportFormat };

export interface OpenedExport {
  stream: ExportStream;
  format: ExportFormat;
  orgId: number;
  kind: string | null;
  /** The file's name as a clerk expects it (庙行镇_培训与学法_2026.xlsx) and an ASCII fallback. */
  fileName: string;
  asciiName: string;
}

/** The data scope an export was made under, per kind: the file may be fetched only while it is the same. */
async function scopeOf(ctx: AppContext, who: Actor, spec: ExportSpec): Promise<string> {
  const kinds = spec.kind ? [spec.kind] : (await ctx.registry.all()).map((d) => d.kind);
  return JSON.stringify(kinds.map((k) => [k, readScope(who, k)]));
}

export async function openExport(ctx: AppContext, who: Actor, spec: ExportSpec): Promise<OpenedExport> {
  if (spec.source === 'list') {
    const stream = await openListExport(ctx, who, spec.kind, spec.query);
    const q = spec.query;
    return {
      stream,
      format: 'xlsx',
      orgId: q.orgId ?? who.orgId,
      kind: spec.kind,
      fileName: await listExportFileName(ctx, who, spec.kind, q),
      asciiName: `${spec.kind}${q.year !== undefined ? '-' + q.year : ''}.xlsx`,
    };
  }
  const org = await orgById(ctx.storage.db, spec.orgId);
  const stream = await openOrgExport(ctx, who, { orgCode: org.code, kind: spec.kind, year: spec.year, format: spec.format });
  const label = spec.kind ? (await ctx.registry.get(spec.kind)).label : '全部台账';
  const base = `${org.code}${spec.kind ? '-' + spec.kind : ''}${spec.year ? '-' + spec.year : ''}`;
  return {
    stream,
    format: spec.format,
    orgId: org.id,
    kind: spec.kind ?? null,
    fileName: spec.format === 'jsonl' ? `${base}.jsonl` : `${[org.name, label, spec.year !== undefined ? String(spec.year) : '全部年度'].join('_')}.xlsx`,
    asciiName: `${base}.${spec.format}`,
  };
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** An opened export written whole, with each line counted as it goes. */
async function render(ctx: AppContext, e: OpenedExport, onLine: (n: number) => void): Promise<{ buf: Buffer; rows: number }> {
  let rows = 0;
  async function* counted() {
    for await (const l of e.stream.lines) {
      yield l;
      onLine(++rows);
    }
  }
  if (e.format === 'jsonl') {
    const parts: string[] = [];
    for await (const l of counted()) parts.push(JSON.stringify(l) + '\n');
    return { buf: Buffer.from(parts.join(''), 'utf8'), rows };
  }
  const buf = await writeXlsxExport(counted(), await ctx.registry.all(), { emptyKind: e.kind ?? undefined });
  return { buf, rows };
}

export interface ExportJobView {
  id: number;
  fileName: string;
  format: ExportFormat;
  state: 'running' | 'done' | 'failed';
  phase: string;
  /** Rows written so far, of `total`. */
  done: number;
  total: number;
  error: { code: string; message: string } | null;
  /** The file is ready for GET /api/export-jobs/:id/file. */
  ready: boolean;
  createdAt: string;
  updatedAt: string;
}

function view(r: JobRow, now: Date): ExportJobView {
  const { state, interrupted } = jobState(r, now);
  return {
    id: r.id,
    fileName: r.file_name,
    format: r.format as ExportFormat,
    state,
    phase: r.phase,
    done: r.done,
    total: r.total,
    error: interrupted ? { code: 'INTERRUPTED', message: '导出中断（服务重启），请重新导出' } : r.error ? (JSON.parse(r.error) as ExportJobView['error']) : null,
    ready: state === 'done' && Number(r.content_size ?? 0) > 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Starts an export job: the export is opened (and so checked and audited) before the job exists, so
 * a refusal is the request's answer; then it is written in the background. `started` settles when
 * the file is in the row (tests wait on it, the API does not).
 */
export async function startExportJob(ctx: AppContext, who: Actor, spec: ExportSpec): Promise<{ id: number; total: number; started: Promise<void> }> {
  const opened = await openExport(ctx, who, spec);
  const params = JSON.stringify({ spec, scope: await scopeOf(ctx, who, spec) });
  const id = await createJob(ctx, who, { direction: 'export', orgId: opened.orgId, fileName: opened.fileName, format: opened.format, kind: opened.kind, params, phase: 'write', total: opened.stream.total });
  const progress = progressWriter(ctx, id);
  const total = opened.stream.total;
  const started = (async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const { buf, rows } = await render(ctx, opened, (n) => progress.report({ phase: 'write', done: n, total: Math.max(total, n) }));
      await progress.flushed();
      await finishJob(ctx, id, { state: 'done', done: rows, total: rows, result: { rows }, content: buf });
    } catch (e) {
      await progress.flushed();
      if (!(e instanceof AppError)) console.error(e);
      const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: '导出时服务器出错，请重试' };
      await finishJob(ctx, id, { state: 'failed', error });
    }
  })();
  return { id, total, started };
}

export async function getExportJob(ctx: AppContext, who: Actor, id: number): Promise<ExportJobView> {
  return view(await ownJob(ctx, who, id, 'export'), ctx.now());
}

/** The finished file, for the user who started the job, while their data scope is unchanged. */
export async function exportJobFile(ctx: AppContext, who: Actor, id: number): Promise<{ buf: Buffer; fileName: string; asciiName: string; mime: string }> {
  const r = await ownJob(ctx, who, id, 'export');
  const v = view(r, ctx.now());
  if (v.state === 'running') throw new AppError('CONFLICT', '导出尚未完成，请稍候');
  const { spec, scope } = JSON.parse(r.params ?? '{}') as { spec: ExportSpec; scope: string };
  // A role or department changed since: the file may hold rows the user no longer sees.
  if (!spec || (await scopeOf(ctx, who, spec)) !== scope) throw forbidden('您的数据权限已变化，该导出文件不能再下载，请重新导出');
  const buf = v.ready ? await jobContent(ctx, id) : null;
  if (!buf) throw new AppError('NOT_FOUND', v.error ? `导出失败：${v.error.message}` : '导出文件已过期（保留一天），请重新导出');
  return { buf, fileName: r.file_name, asciiName: `export-${id}.${v.format}`, mime: EXPORT_MIME[v.format] };
}
