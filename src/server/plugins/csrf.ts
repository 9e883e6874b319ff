import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors';

/** The custom header every state-changing request must carry (web/src/api/client.ts sends it). */
export const CSRF_HEADER = 'x-fazhi-request';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Extra origins allowed besides the server's own host (a reverse proxy under another name): FAZHI_ALLOWED_ORIGINS=https://a,https://b. */
function allowedOrigins(): string[] {
  return (process.env.FAZHI_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter(Boolean);
}

/** host[:port] with the scheme's default port dropped, lower case. */
function hostOf(u: URL): string {
  const port = u.port && !((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443')) ? `:${u.port}` : '';
  return `${u.hostname.toLowerCase()}${port}`;
}

function normaliseHost(host: string, protocol: string): string | null {
  try {
    return hostOf(new URL(`${protocol}://${host}`));
  } catch {
    return null;
  }
}

/** The request's Origin, or the origin of its Referer when a browser sent no Origin; null when neither. */
function originOf(req: FastifyRequest): URL | null {
  // An empty header counts as none.
  const raw = req.headers.origin || req.headers.referer;
  if (typeof raw !== 'string' || !raw || raw === 'null') return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Whether a request comes from a page of this server (or an allowed origin). */
export function sameOrigin(req: FastifyRequest): boolean {
  const o = originOf(req);
  if (!o) return false;
  if (allowedOrigins().includes(o.origin)) return true;
  // The host the browser addressed (X-Forwarded-Host behind a trusted proxy), compared by host and port:
  // a TLS-terminating proxy may talk plain HTTP to us while the page's origin is https.
  const own = normaliseHost(req.host, o.protocol.replace(':', ''));
  return own !== null && own === hostOf(o);
}

/**
 * Cross-site request forgery (GB/T 22239-2019 8.1.4.4 入侵防范): every POST/PUT/PATCH/DELETE under
 * /api needs both an Origin (or Referer) of this server and the custom header. SameSite=Lax cookies
 * alone let a cross-site form post `text/plain`; a form cannot set a header, and a script on another
 * origin that sets it triggers a CORS preflight this server never answers with permission.
 */
export function registerCsrf(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || !req.url.startsWith('/api/')) return;
    // A request the auth hook (registered before this one) authenticated by an API token carries no
    // cookie — a cookie beside a bearer is refused there — so no browser sends it on a user's behalf:
    // a cross-site page cannot set Authorization without a CORS preflight the server never grants.
    if (req.apiTokenId !== null) return;
    if (!sameOrigin(req)) throw new AppError('FORBIDDEN', '请求来源不可信（缺少或不匹配的 Origin/Referer），已拒绝：请从本系统页面操作');
    if (req.headers[CSRF_HEADER] !== '1') throw new AppError('FORBIDDEN', `请求缺少防跨站伪造标头 ${CSRF_HEADER}，已拒绝：请从本系统页面操作`);
  });
}
