import { ApiError, CSRF_HEADER, CSRF_VALUE, api, download, request, withQuery } from './client';
import { call } from './typed';
import type { CalendarImportOutcome } from '../lib/calendarImport';
import type {
  AuditQuery,
  Attachment,
  DistrictCompare,
  HistoryEntry,
  LedgerDef,
  MetricsResponse,
  Org,
  Page,
  Rec,
  ReportDetail,
  ReportPart,
  ReportSegment,
  ReportState,
  ReportType,
  TodoItem,
  User,
  SessionPending,
  SecuritySettings,
} from './types';

export const authApi = {
  me: () => api.get<{ user: User; pending: SessionPending; mustChangePassword: boolean }>('/auth/me', undefined, true),
  login: (username: string, password: string) =>
    api.post<{ user: User; pending: SessionPending; mustChangePassword: boolean }>('/auth/login', { username, password }, true),
  sessions: () => call('GET /api/auth/sessions'),
  endSession: (id: string) => call('DELETE /api/auth/sessions/:id', { params: { id } }),
  endOtherSessions: () => call('DELETE /api/auth/sessions'),
  totpEnrol: () => call('POST /api/auth/totp/enrol'),
  totpConfirm: (code: string) => call('POST /api/auth/totp/confirm', { body: { code } }),
  totpVerify: (code: string) => call('POST /api/auth/totp/verify', { body: { code }, quiet401: true }),
  totpDisable: (code: string) => api.post<unknown>('/auth/totp/disable', { code }),
  logout: () => api.post<unknown>('/auth/logout'),
  changePassword: (oldPassword: string, newPassword: string) => api.post<unknown>('/auth/password', { oldPassword, newPassword }),
};

export const ledgerApi = {
  list: () => api.get<{ items: LedgerDef[] }>('/ledgers'),
  get: (kind: string) => api.get<LedgerDef>(`/ledgers/${encodeURIComponent(kind)}`),
  save: (def: Omit<LedgerDef, 'version' | 'builtin'>) => api.post<LedgerDef>('/ledgers', def),
};

export const recordApi = {
  list: (kind: string, query: URLSearchParams) => api.get<Page<Rec>>(`/records/${kind}`, query),
  get: (kind: string, id: number) => api.get<Rec>(`/records/${kind}/${id}`),
  create: (kind: string, body: { deptId: number | null; orgId?: number; data: Record<string, unknown> }) =>
    api.post<Rec>(`/records/${kind}`, body),
  update: (kind: string, id: number, body: { version: number; data: Record<string, unknown>; deptId?: number }) =>
    api.put<Rec>(`/records/${kind}/${id}`, body),
  remove: (kind: string, id: number) => api.del<unknown>(`/records/${kind}/${id}`),
  restore: (kind: string, id: number) => api.post<Rec>(`/records/${kind}/${id}/restore`),
  history: (kind: string, id: number) => api.get<{ items: HistoryEntry[] }>(`/records/${kind}/${id}/history`),
  transition: (kind: string, id: number, key: string, body: { data?: Record<string, unknown>; reason?: string; on?: string }) =>
    api.post<Rec>(`/records/${kind}/${id}/transitions/${key}`, body),
  /** 批量办理: one step on several records; the records it does not apply to come back with the reason. */
  batchTransition: (kind: string, key: string, body: { ids: number[]; data?: Record<string, unknown>; reason?: string; on?: string }) =>
    api.post<{ done: number[]; refused: { id: number; message: string }[] }>(`/records/${kind}/transitions/${key}`, body),
};

export const homeApi = {
  todo: () => api.get<{ items: TodoItem[] }>('/todo'),
  notifications: () => call('GET /api/notifications'),
  readNotification: (id: number) => call('POST /api/notifications/:id/read', { params: { id } }),
  dashboard: (orgId: number | undefined, year: number) => call('GET /api/dashboard', { query: { orgId, year } }),
};

export const metricApi = {
  values: (orgId: number | undefined, year: number, keys?: string) => api.get<MetricsResponse>('/metrics', { orgId, year, keys }),
  /** `value` narrows a by_ metric to one entry; `reportId` reads a 定稿 report's frozen record list. */
  records: (
    key: string,
    orgId: number | undefined,
    year: number | undefined,
    page: number,
    extra: { value?: string; reportId?: number; part?: 'denominator' | 'previous' } = {},
  ) =>
    api.get<Page<Rec>>(`/metrics/${encodeURIComponent(key)}/records`, { orgId, year, page, ...extra }),
  defs: () => api.get<{ items: Record<string, unknown>[] }>('/metric-defs'),
  saveDef: (def: Record<string, unknown>) => api.post<unknown>('/metric-defs', def),
};

/** A segment as the API takes it: without the Chinese names the server adds. */
function plainSegment(s: ReportSegment): ReportSegment {
  if (s.type === 'text') return { type: 'text', text: s.text };
  if (s.type === 'var') return { type: 'var', name: s.name };
  return { type: 'metric', key: s.key, format: s.format, ...(s.entry !== undefined ? { entry: s.entry } : {}) };
}

export const reportApi = {
  list: (orgId: number | undefined, year: number | undefined, type?: ReportType) => call('GET /api/reports', { query: { orgId, year, type } }),
  create: (orgId: number, year: number, type: ReportType = 'rule_of_law') => call('POST /api/reports', { body: { orgId, year, type } }),
  /** The records behind a cell of a generated table (live, or from the 定稿 snapshot). */
  cellRecords: (id: number, figure: string, page: number) => api.get<Page<Rec>>(`/reports/${id}/cells/${encodeURIComponent(figure)}/records`, { page }),
  duties: () => call('GET /api/todo/reports'),
  get: (id: number) => api.get<ReportDetail>(`/reports/${id}`),
  editParagraph: (id: number, pid: string, source: string) => api.put<unknown>(`/reports/${id}/paragraphs/${encodeURIComponent(pid)}`, { source }),
  /** The editor's way: text and figures (by key; the server checks them like any edit). */
  editSegments: (id: number, pid: string, segments: ReportSegment[], heading?: string) =>
    api.put<ReportDetail>(`/reports/${id}/paragraphs/${encodeURIComponent(pid)}`, { segments: segments.map(plainSegment), ...(heading !== undefined ? { heading } : {}) }),
  addParagraph: (id: number, part: ReportPart, index: number | undefined, segments: ReportSegment[]) =>
    api.post<ReportDetail>(`/reports/${id}/paragraphs`, { part, ...(index !== undefined ? { index } : {}), segments: segments.map(plainSegment) }),
  moveParagraph: (id: number, pid: string, part: ReportPart, index: number) => api.post<ReportDetail>(`/reports/${id}/paragraphs/${encodeURIComponent(pid)}/move`, { part, index }),
  removeParagraph: (id: number, pid: string) => api.del<ReportDetail>(`/reports/${id}/paragraphs/${encodeURIComponent(pid)}`),
  setOtherPart: (id: number, on: boolean) => api.put<ReportDetail>(`/reports/${id}/other-part`, { on }),
  setSettings: (id: number, body: { addressee?: string | null; signedOn?: string | null; noData?: 'omit' | 'mark' | null }) => api.put<ReportDetail>(`/reports/${id}/settings`, body),
  setIssuingName: (orgId: number, issuingName: string | null) => call('PUT /api/orgs/:id/issuing-name', { params: { id: orgId }, body: { issuingName } }),
  setState: (id: number, to: ReportState) => api.post<unknown>(`/reports/${id}/state`, { to }),
  newVersion: (id: number) => call('POST /api/reports/:id/new-version', { params: { id } }),
};

export const orgApi = {
  list: () => api.get<{ items: Org[] }>('/orgs'),
  create: (body: { code: string; name: string; level: Org['level']; parentId: number | null }) => api.post<Org>('/orgs', body),
  addDept: (orgId: number, name: string) => api.post<unknown>(`/orgs/${orgId}/depts`, { name }),
};

export const userApi = {
  list: () => call('GET /api/users'),
  create: (body: { username: string; displayName: string; role: string; orgId: number; deptId?: number | null; password?: string }) =>
    api.post<{ user: User; password?: string }>('/users', body),
  update: (id: number, body: { displayName?: string; role?: string; deptId?: number | null; active?: boolean }) => api.put<unknown>(`/users/${id}`, body),
  resetPassword: (id: number) => call('POST /api/users/:id/reset-password', { params: { id } }),
  resetTotp: (id: number) => api.post<unknown>(`/users/${id}/reset-totp`),
};

export const securityApi = {
  locks: () => call('GET /api/security/locks'),
  unlock: (key: string) => call('DELETE /api/security/locks', { query: { key } }),
  settings: () => api.get<SecuritySettings>('/security/settings'),
  saveSettings: (body: Partial<SecuritySettings>) => api.put<SecuritySettings>('/security/settings', body),
};

export const calendarApi = {
  get: (year: number) => call('GET /api/calendar', { query: { year } }),
  override: (date: string, kind: 'workday' | 'holiday' | null, name?: string) => api.put<unknown>(`/calendar/${date}`, { kind, name }),
  /** Posts a whole year's schedule (JSON or CSV text); the server replaces those years' days and recomputes deadlines. */
  importFile: (text: string, contentType: 'text/csv' | 'application/json') => request<CalendarImportOutcome>('POST', '/calendar/import', { body: text, contentType }),
};

export const auditApi = {
  list: (q: AuditQuery & { page: number; pageSize: number }) => call('GET /api/audit', { query: q }),
  verify: () => call('GET /api/audit/verify'),
  /** Downloads the filtered log for the assessor; the server audits the export. */
  export: (q: AuditQuery, format: 'xlsx' | 'csv') => download('/audit/export', { ...q, format }, `审计日志.${format}`),
};

export const districtApi = {
  compare: (orgId: number | undefined, year: number) => api.get<DistrictCompare>('/district/compare', { orgId, year }),
  disclosure: (orgId: number | undefined, year: number) => call('GET /api/district/disclosure', { query: { orgId, year } }),
};


/** Largest attachment the server accepts (MAX_ATTACHMENT_BYTES in src/app/attachments.ts). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * The content type to post a file with. The server parses JSON bodies as JSON and text bodies as
 * UTF-8 strings, so those go as octet-stream unless the round trip keeps the bytes (valid UTF-8 text):
 * a GBK-encoded .txt or any .json must arrive byte for byte.
 */
export async function uploadContentType(file: Blob): Promise<string> {
  const type = (file.type || 'application/octet-stream').toLowerCase();
  if (type === 'application/json' || type.endsWith('+json') || type.startsWith('multipart/')) return 'application/octet-stream';
  if (type === 'text/plain' || type === 'application/x-ndjson') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
      return type;
    } catch {
      return 'application/octet-stream';
    }
  }
  return type;
}

/** Posts raw bytes with upload progress (fetch cannot report upload progress, XMLHttpRequest can). */
function postBytes<T>(path: string, query: Record<string, string>, body: Blob, contentType: string, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(`/api${path}`, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader(CSRF_HEADER, CSRF_VALUE);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', '上传已取消'));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy page): handled by the status checks below.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(parsed as T);
      const err = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      if (err && typeof err.message === 'string') return reject(new ApiError(xhr.status, typeof err.code === 'string' ? err.code : 'ERROR', err.message));
      if (xhr.status === 413) return reject(new ApiError(413, 'TOO_LARGE', '附件不能超过20MB'));
      reject(new ApiError(xhr.status, 'HTTP', xhr.status >= 500 ? `服务器错误（${xhr.status}），请稍后重试` : `上传失败（${xhr.status}）`));
    };
    xhr.send(body);
  });
}

export const attachmentApi = {
  list: (kind: string, recordId: number) => call('GET /api/records/:kind/:id/attachments', { params: { kind, id: recordId } }),
  upload: async (kind: string, recordId: number, file: File, onProgress?: (percent: number) => void) =>
    postBytes<Attachment>(`/records/${encodeURIComponent(kind)}/${recordId}/attachments`, { filename: file.name }, file, await uploadContentType(file), onProgress),
  /** Address of the bytes: inline for previews in the browser, otherwise as a download. */
  url: (id: number, inline = false) => `/api/attachments/${id}${inline ? '?inline=1' : ''}`,
  download: (a: Pick<Attachment, 'id' | 'filename'>) => download(`/attachments/${a.id}`, undefined, a.filename),
  remove: (id: number) => call('DELETE /api/attachments/:id', { params: { id } }),
};
