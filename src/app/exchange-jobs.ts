import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError } from '../core/errors';

/**
 * What import and export jobs share (table `exchange_jobs`): a row per job holding its phase and
 * progress, its result or error, and a file — an import's upload while it failed (for the marked
 * copy), an export's finished workbook until it is a day old. Progress is written to the row, so
 * any instance answers the poll and a restarted one reports the job as interrupted: the server
 * keeps no job state in memory.
 */

export type JobDirection = 'import' | 'export';

/** Progress is written at most this often (ms). */
const PROGRESS_EVERY = 500;
/** A running job not heard of for this long died with its instance. */
const STALE_MS = 120_000;
/** Files of jobs are kept this long (a failed import's upload, an export's file). */
const KEEP_FILE_MS = 24 * 3600_000;

export async function loadJobRow(ctx: AppContext, id: number) {
  return ctx.storage.db
    .selectFrom('exchange_jobs')
    .select(['id', 'direction', 'params', 'user_id', 'org_id', 'file_name', 'format', 'kind', 'state', 'phase', 'done', 'total', 'result', 'error', 'created_at', 'updated_at'])
    .select((eb) => eb.fn<number>('length', [eb.ref('content')]).as('content_size'))
    .where('id', '=', id)
    .executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof loadJobRow>>>;

/** running, done or failed — a running job whose instance stopped reporting counts as failed. */
export function jobState(r: JobRow, now: Date): { state: 'running' | 'done' | 'failed'; interrupted: boolean } {
  const interrupted = r.state === 'running' && now.getTime() - Date.parse(r.updated_at) > STALE_MS;
  return { state: interrupted ? 'failed' : (r.state as 'running' | 'done' | 'failed'), interrupted };
}

export interface NewJob {
  direction: JobDirection;
  orgId: number;
  fileName: string;
  format: string;
  kind: string | null;
  params: string | null;
  phase: string;
  total: number;
}

/** Inserts a running job; files of jobs older than a day are dropped first (no scheduler needed: jobs are rare). */
export async function createJob(ctx: AppContext, who: Actor, job: NewJob): Promise<number> {
  const at = ctx.now().toISOString();
  await ctx.storage.db
    .updateTable('exchange_jobs')
    .set({ content: null })
    .where('created_at', '<', new Date(ctx.now().getTime() - KEEP_FILE_MS).toISOString())
    .where('content', 'is not', null)
    .execute();
  const { id } = await ctx.storage.db
    .insertInto('exchange_jobs')
    .values({ direction: job.direction, params: job.params, user_id: who.userId, org_id: job.orgId, file_name: job.fileName, format: job.format, kind: job.kind, state: 'running', phase: job.phase, done: 0, total: job.total, result: null, error: null, content: null, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

/** Progress reports, written to the job's row at most every PROGRESS_EVERY ms, one write after another. */
export function progressWriter(ctx: AppContext, id: number): { report(p: JobProgress): void; flushed(): Promise<void> } {
  let last = 0;
  let writing: Promise<unknown> = Promise.resolve();
  return {
    report(p) {
      const t = Date.now();
      if (t - last < PROGRESS_EVERY) return;
      last = t;
      writing = writing.then(() =>
        ctx.storage.db.updateTable('exchange_jobs').set({ phase: p.phase, done: p.done, total: p.total, updated_at: ctx.now().toISOString() }).where('id', '=', id).where('state', '=', 'running').execute(),
      );
    },
    flushed: () => writing.then(() => undefined, () => undefined),
  };
}

/** The job's end: done or failed, with its result or error and its file. */
export async function finishJob(
  ctx: AppContext,
  id: number,
  end: { state: 'done' | 'failed'; done?: number; total?: number; result?: unknown; error?: unknown; content?: Uint8Array | null },
): Promise<void> {
  await ctx.storage.db
    .updateTable('exchange_jobs')
    .set({
      state: end.state,
      phase: 'done',
      ...(end.done !== undefined ? { done: end.done } : {}),
      ...(end.total !== undefined ? { total: end.total } : {}),
      result: end.result === undefined ? null : JSON.stringify(end.result),
      error: end.error === undefined ? null : JSON.stringify(end.error),
      content: end.content ?? null,
      updated_at: ctx.now().toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A job as its owner may see it. Imports: their uploader or an administrator (the errors quote the
 * file). Exports: only the user who started it — the file holds what that user's scope selected.
 * Anyone else gets "not found", so a job id says nothing about another user's work.
 */
export async function ownJob(ctx: AppContext, who: Actor, id: number, direction: JobDirection): Promise<JobRow> {
  const r = await loadJobRow(ctx, id);
  const mine = r && r.direction === direction && (r.user_id === who.userId || (direction === 'import' && who.role === 'admin'));
  if (!mine) throw new AppError('NOT_FOUND', direction === 'import' ? '导入任务不存在' : '导出任务不存在');
  return r;
}

/** The job's file (an upload or an export). */
export async function jobContent(ctx: AppContext, id: number): Promise<Buffer | null> {
  const row = await ctx.storage.db.selectFrom('exchange_jobs').select('content').where('id', '=', id).executeTakeFirst();
  return row?.content ? Buffer.from(row.content) : null;
}
