import type { FieldError } from './types';

/** An error answered by the API: `message` is the server's Chinese message, `fields` the per-field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** For 409 CONFLICT: the record as it is now on the server. */
  readonly current: unknown;
  /** For import errors: the offending lines. */
  readonly lines: { line: number; field?: string; message: string }[];

  constructor(status: number, code: string, message: string, extra: { fields?: FieldError[]; current?: unknown; lines?: ApiError['lines'] } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = extra.fields ?? [];
    this.current = extra.current;
    this.lines = extra.lines ?? [];
  }
}

/**
 * Sent with every request. The server refuses a state-changing request without it (and without a
 * matching Origin): a cross-site form cannot set a custom header, and a cross-site script that
 * tries needs a CORS preflight the server never grants. See src/server/plugins/csrf.ts.
 */
export const CSRF_HEADER = 'X-Fazhi-Request';
export const CSRF_VALUE = '1';

export type Query = Record<string, string | number | boolean | null | undefined> | URLSearchParams;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      params.set(k, String(v));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Called on 401 from any request except the session probe, so the app can go back to the login page. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

async function parseError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (e.g. a proxy error page): fall through to a generic message.
  }
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  if (err && typeof err.message === 'string') {
    return new ApiError(res.status, typeof err.code === 'string' ? err.code : 'ERROR', err.message, {
      fields: Array.isArray(err.fields) ? (err.fields as FieldError[]) : undefined,
      current: err.current,
      lines: Array.isArray(err.lines) ? (err.lines as ApiError['lines']) : undefined,
    });
  }
  return new ApiError(res.status, 'HTTP', res.status >= 500 ? `服务器错误（${res.status}），请稍后重试` : `请求失败（${res.status}）`);
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** With a string body: send it as is with this content type (instead of as JSON). */
  contentType?: string;
  /** Do not trigger the global 401 handler (used by the session probe and login). */
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', [CSRF_HEADER]: CSRF_VALUE } };
  if (opts.body instanceof FormData) {
    init.body = opts.body;
  } else if (typeof opts.body === 'string' && opts.contentType) {
    init.body = opts.body;
    (init.headers as Record<string, string>)['Content-Type'] = opts.contentType;
  } else if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(withQuery(`/api${path}`, opts.query), init);
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络');
  }
  if (!res.ok) {
    const err = await parseError(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, quiet401 = false) => request<T>('GET', path, { query, quiet401 }),
  post: <T>(path: string, body?: unknown, quiet401 = false) => request<T>('POST', path, { body: body ?? {}, quiet401 }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Downloads a file from the API, keeping the server's file name; errors come back as ApiError. */
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  const res = await fetch(withQuery(`/api${path}`, query), { credentials: 'same-origin' });
  if (!res.ok) throw await parseError(res);
  const blob = await res.blob();
  const name = fileNameFrom(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // Malformed encoding: fall back to the plain filename parameter.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}
