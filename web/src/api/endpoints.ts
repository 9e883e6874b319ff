import { api, request } from './client';
import type {
  CalendarYear,
  Dashboard,
  DistrictCompare,
  HistoryEntry,
  LedgerDef,
  MetricsResponse,
  Notification,
  Org,
  Page,
  Rec,
  ReportDetail,
  ReportState,
  ReportSummary,
  TodoItem,
  User,
} from './types';

export const authApi = {
  me: () => api.get<{ user: User }>('/auth/me', undefined, true),
  login: (username: string, password: string) => api.post<{ user: User }>('/auth/login', { username, password }, true),
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
};

export const homeApi = {
  todo: () => api.get<{ items: TodoItem[] }>('/todo'),
  notifications: () => api.get<{ items: Notification[]; unread: number }>('/notifications'),
  readNotification: (id: number) => api.post<unknown>(`/notifications/${id}/read`),
  dashboard: (orgId: number | undefined, year: number) => api.get<Dashboard>('/dashboard', { orgId, year }),
};

export const metricApi = {
  values: (orgId: number | undefined, year: number) => api.get<MetricsResponse>('/metrics', { orgId, year }),
  records: (key: string, orgId: number | undefined, year: number | undefined, page: number) =>
    api.get<Page<Rec>>(`/metrics/${encodeURIComponent(key)}/records`, { orgId, year, page }),
  defs: () => api.get<{ items: Record<string, unknown>[] }>('/metric-defs'),
  saveDef: (def: Record<string, unknown>) => api.post<unknown>('/metric-defs', def),
};

export const reportApi = {
  list: (orgId: number | undefined, year: number | undefined) => api.get<{ items: ReportSummary[] }>('/reports', { orgId, year }),
  create: (orgId: number, year: number) => api.post<ReportSummary>('/reports', { orgId, year }),
  get: (id: number) => api.get<ReportDetail>(`/reports/${id}`),
  editParagraph: (id: number, pid: string, source: string) => api.put<unknown>(`/reports/${id}/paragraphs/${encodeURIComponent(pid)}`, { source }),
  setState: (id: number, to: ReportState) => api.post<unknown>(`/reports/${id}/state`, { to }),
  newVersion: (id: number) => api.post<ReportSummary>(`/reports/${id}/new-version`),
};

export const orgApi = {
  list: () => api.get<{ items: Org[] }>('/orgs'),
  create: (body: { code: string; name: string; level: Org['level']; parentId: number | null }) => api.post<Org>('/orgs', body),
  addDept: (orgId: number, name: string) => api.post<unknown>(`/orgs/${orgId}/depts`, { name }),
};

export const userApi = {
  list: () => api.get<{ items: User[] }>('/users'),
  create: (body: { username: string; displayName: string; role: string; orgId: number; deptId?: number | null; password?: string }) =>
    api.post<{ user: User; password?: string }>('/users', body),
  update: (id: number, body: { displayName?: string; role?: string; deptId?: number | null; active?: boolean }) => api.put<unknown>(`/users/${id}`, body),
  resetPassword: (id: number) => api.post<{ password?: string }>(`/users/${id}/reset-password`),
};

export const calendarApi = {
  get: (year: number) => api.get<CalendarYear>('/calendar', { year }),
  override: (date: string, kind: 'workday' | 'holiday' | null, name?: string) => api.put<unknown>(`/calendar/${date}`, { kind, name }),
};

export const districtApi = {
  compare: (orgId: number | undefined, year: number) => api.get<DistrictCompare>('/district/compare', { orgId, year }),
};

export async function importFile(file: File, orgId: number | undefined): Promise<{ imported: number }> {
  const form = new FormData();
  if (orgId !== undefined) form.append('orgId', String(orgId));
  form.append('file', file);
  return request<{ imported: number }>('POST', '/import', { body: form });
}
