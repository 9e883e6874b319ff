import { api, download, request, type Query } from '../api/client';
/**
 * A big export as the server runs it (server: app/export-jobs.ts): started as a job, its progress
 * polled (rows written of the total), then its file downloaded. Small exports stay a direct download.
 */

/** Lists with more rows than this export through a job with a progress bar ("more than a few thousand"). */
export const EXPORT_JOB_MIN = 5000;

export interface ExportJob {
  id: number;
  fileName: string;
  format: 'xlsx' | 'jsonl';
  state: 'running' | 'done' | 'failed';
  phase: string;
  done: number;
  total: number;
  error: { code: string; message: string } | null;
  ready: boolean;
}

/** The bar's percentage and caption: rows written of the total, then the file's transfer. */
export function exportProgress(job: Pick<ExportJob, 'state' | 'done' | 'total'>): { percent: number; text: string } {
  if (job.state !== 'running') return { percent: 100, text: '正在下载文件' };
  const frac = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  return { percent: Math.min(99, Math.round(frac * 100)), text: `正在导出 ${job.done}/${job.total} 条` };
}

/** Starts the export job at `path` (e.g. `/records/petition/export-jobs`), follows it and downloads its file. */
export async function runExportJob(path: string, query: Query, onState: (p: { percent: number; text: string }) => void, everyMs = 400): Promise<string> {
  const { id, total } = await request<{ id: number; total: number }>('POST', path, { query, body: {} });
  onState(exportProgress({ state: 'running', done: 0, total }));
  for (;;) {
    const job = await api.get<ExportJob>(`/export-jobs/${id}`);
    onState(exportProgress(job));
    if (job.state === 'failed') throw new Error(job.error?.message ?? '导出失败');
    if (job.state === 'done') return download(`/export-jobs/${id}/file`, undefined, job.fileName);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
