import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError, forbidden, type LineError } from '../core/errors';
import { orgById } from './orgs';
import { annotatedCopy, fileFormat, importFile, type FileFormat, type FileImportProgress } from './exchange-file';
import type { ImportResult } from './exchange';

/**
 * Imports as jobs: the upload returns at once with a job id, the import runs on the instance that
 * received the file, and its progress, result or errors are rows in `import_jobs`, so the web app
 * can poll any instance (the server keeps no state of its own). A failed job keeps the uploaded file
 * for a day so the copy with the bad cells marked can be downloaded.
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

/** Progress is written at most this often (ms). */
const PROGRESS_EVERY = 500;
/** A running job not heard of for this long died with its instance. */
const STALE_MS = 120_000;
/** Files of failed jobs are kept this long for the marked copy. */
const KEEP_FILE_MS = 24 * 3600_000;

type Row = Awaited<ReturnType<typeof loadRow>>;

async function loadRow(ctx: AppContext, id: number) {
  return ctx.storage.db
    .selectFrom('import_jobs')
    .select(['id', 'user_id', 'org_id', 'file_name', 'format', 'kind', 'state', 'phase', 'done', 'total', 'result', 'error', 'created_at', 'updated_at'])
    .select((eb) => eb.fn<number>('length', [eb.ref('content')]).as('content_size'))
    .where('id', '=', id)
    .executeTakeFirst();
}

function view(r: NonNullable<Row>, now: Date): ImportJobView {
  const stale = r.state === 'running' && now.getTime() - Date.parse(r.updated_at) > STALE_MS;
  return {
    id: r.id,
    fileName: r.file_name,
    state: stale ? 'failed' : (r.state as ImportJobView['state']),
    phase: r.phase,
    done: r.done,
    total: r.total,
    result: r.result ? (JSON.parse(r.result) as ImportResult) : null,
    error: stale ? { code: 'INTERRUPTED', message: '导入中断（服务重启），未写入任何记录，请重新导入' } : r.error ? (JSON.parse(r.error) as ImportJobView['error']) : null,
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
  const at = ctx.now().toISOString();
  // Old files of failed jobs are dropped here rather than by a scheduler: imports are rare.
  await ctx.storage.db
    .updateTable('import_jobs')
    .set({ content: null })
    .where('created_at', '<', new Date(ctx.now().getTime() - KEEP_FILE_MS).toISOString())
    .where('content', 'is not', null)
    .execute();
  const { id } = await ctx.storage.db
    .insertInto('import_jobs')
    .values({ user_id: who.userId, org_id: org.id, file_name: input.fileName, format, kind: input.kind ?? null, state: 'running', phase: 'read', done: 0, total: 0, result: null, error: null, content: null, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  let last = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const progress = (p: FileImportProgress) => {
    const t = Date.now();
    if (t - last < PROGRESS_EVERY) return;
    last = t;
    writing = writing.then(() =>
      ctx.storage.db.updateTable('import_jobs').set({ phase: p.phase, done: p.done, total: p.total, updated_at: ctx.now().toISOString() }).where('id', '=', id).where('state', '=', 'running').execute(),
    );
  };
  const started = (async () => {
    // Let the upload's response go out first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const result = await importFile(ctx, who, org.code, input.content, { fileName: input.fileName, format, kind: input.kind, source: input.fileName, onProgress: progress });
      await writing;
      await ctx.storage.db
        .updateTable('import_jobs')
        .set({ state: 'done', phase: 'done', done: result.imported + result.unchanged, total: result.imported + result.unchanged, result: JSON.stringify(result), updated_at: ctx.now().toISOString() })
        .where('id', '=', id)
        .execute();
    } catch (e) {
      await writing.catch(() => undefined);
      const err = e instanceof AppError ? { code: e.code, message: e.message, lines: e.extra.lines } : { code: 'INTERNAL', message: '导入时服务器出错，未写入任何记录' };
      if (!(e instanceof AppError)) console.error(e);
      await ctx.storage.db
        .updateTable('import_jobs')
        .set({ state: 'failed', phase: 'done', error: JSON.stringify(err), content: e instanceof AppError && e.extra.lines?.length ? input.content : null, updated_at: ctx.now().toISOString() })
        .where('id', '=', id)
        .execute();
    }
  })();
  return { id, started };
}

async function ownJob(ctx: AppContext, who: Actor, id: number): Promise<NonNullable<Row>> {
  const r = await loadRow(ctx, id);
  // Only its author (or an admin) sees a job: its errors quote the file's contents.
  if (!r || (r.user_id !== who.userId && who.role !== 'admin')) throw new AppError('NOT_FOUND', '导入任务不存在');
  return r;
}

export async function getImportJob(ctx: AppContext, who: Actor, id: number): Promise<ImportJobView> {
  return view(await ownJob(ctx, who, id), ctx.now());
}

/** The uploaded file with its bad cells marked, for a failed job. */
export async function annotatedJobFile(ctx: AppContext, who: Actor, id: number): Promise<{ buf: Buffer; fileName: string }> {
  const r = await ownJob(ctx, who, id);
  const v = view(r, ctx.now());
  if (!v.annotated || !v.error?.lines) throw new AppError('NOT_FOUND', '该导入任务没有可标注的错误文件（只有校验失败的 .xlsx 或 .csv 导入才有）');
  const row = await ctx.storage.db.selectFrom('import_jobs').select('content').where('id', '=', id).executeTakeFirstOrThrow();
  const buf = Buffer.from(row.content!);
  const base = r.file_name.replace(/\.[^.]+$/, '');
  return { buf: await annotatedCopy(ctx, buf, v.error.lines, { fileName: r.file_name, kind: r.kind ?? undefined }), fileName: `${base}_错误标注.xlsx` };
}
