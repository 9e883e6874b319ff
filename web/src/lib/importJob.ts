import { CSRF_HEADER, CSRF_VALUE } from '../api/client';
/**
 * An import as the server runs it: the file's bytes uploaded as a job (XHR, for upload progress),
 * then the job polled for its progress, result or errors (every error of every row, with sheet,
 * row, column and the column's Chinese label).
 */

export interface ImportLineError {
  line: number;
  field?: string;
  sheet?: string;
  row?: number;
  column?: string;
  label?: string;
  message: string;
}

export interface ImportJob {
  id: number;
  fileName: string;
  state: 'running' | 'done' | 'failed';
  phase: 'read' | 'check' | 'write' | 'done';
  done: number;
  total: number;
  result: { imported: number; created: number; updated: number; unchanged: number; byKind: Record<string, number> } | null;
  error: { code: string; message: string; lines?: ImportLineError[] } | null;
  annotated: boolean;
}

export const IMPORT_EXTENSIONS = ['.xlsx', '.csv', '.jsonl'];

export function isImportFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMPORT_EXTENSIONS.some((e) => lower.endsWith(e));
}

const PHASE: Record<ImportJob['phase'], string> = { read: '正在读取文件', check: '正在校验', write: '正在写入', done: '完成' };

/** The progress bar's percentage and caption: upload 0–30 %, reading 30–50 %, checking 50–80 %, writing 80–100 %. */
export function progressOf(job: Pick<ImportJob, 'phase' | 'done' | 'total'>): { percent: number; text: string } {
  const frac = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  const [from, to] = job.phase === 'read' ? [30, 50] : job.phase === 'check' ? [50, 80] : job.phase === 'write' ? [80, 100] : [100, 100];
  const percent = Math.round(from + (to - from) * (job.phase === 'read' ? 0.5 : frac));
  const count = job.phase === 'read' ? (job.done ? `，已读 ${job.done} 行` : '') : job.total ? ` ${job.done}/${job.total}` : '';
  return { percent, text: `${PHASE[job.phase]}${count}` };
}

/** Uploads the file as an import job; `onUpload` gets the fraction sent. Resolves with the job id. */
export function uploadImport(file: File, q: { orgId?: number; kind?: string }, onUpload: (fraction: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const params = new URLSearchParams({ fileName: file.name });
    if (q.orgId !== undefined) params.set('orgId', String(q.orgId));
    if (q.kind) params.set('kind', q.kind);
    xhr.open('POST', `/api/import-jobs?${params.toString()}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    // A state-changing request: the CSRF header every such request carries (server/plugins/csrf.ts).
    xhr.setRequestHeader(CSRF_HEADER, CSRF_VALUE);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onUpload(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { id?: number; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON: reported by status below.
      }
      if (xhr.status < 300 && typeof body.id === 'number') resolve(body.id);
      else reject(new Error(body.error?.message ?? `上传失败（${xhr.status}）`));
    };
    xhr.onerror = () => reject(new Error('无法连接服务器'));
    xhr.send(file);
  });
}

/** Polls a job until it ends, reporting each state seen. */
export async function followImport(id: number, onState: (job: ImportJob) => void, everyMs = 400): Promise<ImportJob> {
  for (;;) {
    const res = await fetch(`/api/import-jobs/${id}`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`查询导入进度失败（${res.status}）`);
    const job = (await res.json()) as ImportJob;
    onState(job);
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
