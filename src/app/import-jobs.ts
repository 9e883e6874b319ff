import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError, type LineError } from '../core/errors';
import { orgById } from './orgs';
import { annotatedCopy, fileFormat, importFile, type FileFormat, type FileImportProgress } from './exchange-file';
import type { ImportResult } from './exchange';
import { createJob, finishJob, jobContent, jobState, ownJob, progressWriter, type JobRow } from './exchange-jobs';

/**
 * Imports as jobs: the upload returns at once with a job id, the import runs on the instance that
 * received the file, and its progress, result or errors are rows in `exchange_jobs` (exchange-jobs.ts),
 * so the web app can poll any instance (the server keeps no state of its own). A failed job keeps the
 * uploaded file for a day so the copy with the bad cells marked can be downloaded.
 */

export interface ImportJobView {
  id: number;
  fileName: string;
  state: 'running' | 'done' | 'failed';
  phase: string;
  done: number;
  total: number;
  result: ImportResult | null;
  error: { code: string; message: string; lines?: LineError[] } | null;
  /** A marked copy of the file can be downloaded (failed .xlsx/.csv imports). */
  annotated: boolean;
  createdAt: string;
  updatedAt: string;
}

function view(r: JobRow, now: Date): ImportJobView {
  const { state, interrupted } = jobState(r, now);
  return {
    id: r.id,
    fileName: r.file_name,
    state,
    phase: r.phase,
    done: r.done,
    total: r.total,
    result: r.result ? (JSON.parse(r.result) as ImportResult) : null,
    error: interrupted ? { code: 'INTERRUPTED', message: '导入中断（服务重启），未写入任何记录，请重新导入' } : r.error ? (JSON.parse(r.error) as ImportJobView['error']) : null,
    annotated: r.state === 'failed' && Number(r.content_size ?? 0) > 0 && r.format !== 'jsonl',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface StartImport {
  orgId: number;
  fileName: string;
  kind?: string;
  content: Buffer;
}

/**
 * Starts an import job and returns its id; `started` settles when the import has ended (tests and
 * the CLI wait on it, the API does not).
 */
export async function startImportJob(ctx: AppContext, who: Actor, input: StartImport): Promise<{ id: number; started: Promise<void> }> {
  const org = await orgById(ctx.storage.db, input.orgId);
  const format: FileFormat | undefined = fileFormat(input.fileName);
  if (!format) throw new AppError('UNSUPPORTED', '只支持 .xlsx、.csv 或 .jsonl 文件');
  const id = await createJob(ctx, who, { direction: 'import', orgId: org.id, fileName: input.fileName, format, kind: input.kind ?? null, params: null, phase: 'read', total: 0 });
  const progress = progressWriter(ctx, id);
  const started = (async () => {
    // Let the upload's response go out first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const result = await importFile(ctx, who, org.code, input.content, { fileName: input.fileName, format, kind: input.kind, source: input.fileName, onProgress: (p: FileImportProgress) => progress.report(p) });
      await progress.flushed();
      const n = result.imported + result.unchanged;
      await finishJob(ctx, id, { state: 'done', done: n, total: n, result });
    } catch (e) {
      await progress.flushed();
      const error = e instanceof AppError ? { code: e.code, message: e.message, lines: e.extra.lines } : { code: 'INTERNAL', message: '导入时服务器出错，未写入任何记录' };
      if (!(e instanceof AppError)) console.error(e);
      await finishJob(ctx, id, { state: 'failed', error, content: e instanceof AppError && e.extra.lines?.length ? input.content : null });
    }
  })();
  return { id, started };
}

export async function getImportJob(ctx: AppContext, who: Actor, id: number): Promise<ImportJobView> {
  return view(await ownJob(ctx, who, id, 'import'), ctx.now());
}

/** The uploaded file with its bad cells marked, for a failed job. */
export async function annotatedJobFile(ctx: AppContext, who: Actor, id: number): Promise<{ buf: Buffer; fileName: string }> {
  const r = await ownJob(ctx, who, id, 'import');
  const v = view(r, ctx.now());
  const buf = v.annotated && v.error?.lines ? await jobContent(ctx, id) : null;
  if (!buf || !v.error?.lines) throw new AppError('NOT_FOUND', '该导入任务没有可标注的错误文件（只有校验失败的 .xlsx 或 .csv 导入才有）');
  const base = r.file_name.replace(/\.[^.]+$/, '');
  return { buf: await annotatedCopy(ctx, buf, v.error.lines, { fileName: r.file_name, kind: r.kind ?? undefined }), fileName: `${base}_错误标注.xlsx` };
}
