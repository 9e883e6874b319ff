import fs from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { DataKeyError } from '../../app/crypto/data-cipher';

/**
 * Transport security (GB/T 22239 数据保密性 in transit). The server serves HTTPS itself when
 * FAZHI_TLS_CERT and FAZHI_TLS_KEY name PEM files; behind a TLS-terminating proxy (nginx, see
 * SECURITY.md) FAZHI_TRUST_PROXY=1 makes `req.protocol` follow X-Forwarded-Proto.
 */
export function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): { cert: Buffer; key: Buffer } | undefined {
  const cert = env.FAZHI_TLS_CERT;
  const key = env.FAZHI_TLS_KEY;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new DataKeyError('HTTPS 需要同时设置 FAZHI_TLS_CERT（证书）和 FAZHI_TLS_KEY（私钥）');
  for (const f of [cert, key]) if (!fs.existsSync(f)) throw new DataKeyError(`TLS 文件不存在：${f}`);
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}

/** The session cookie is `Secure` whenever the request came over HTTPS (or FAZHI_SECURE_COOKIE=1 forces it). */
export function cookieSecure(req: FastifyRequest): boolean {
  return process.env.FAZHI_SECURE_COOKIE === '1' || req.protocol === 'https';
}

/** Query parameters whose values are safe to log; every other value (field filters: names) is replaced. */
const LOGGED_PARAMS = new Set(['page', 'pageSize', 'sort', 'order', 'year', 'orgId', 'deptId', 'status', 'deleted', 'format', 'kind', 'inline', 'deadlineState']);

/** A URL as written to the log: personal filter values (`?petitioner=张三`) never reach a log line. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const out: string[] = [];
  for (const [k, v] of params) out.push(`${encodeURIComponent(k)}=${LOGGED_PARAMS.has(k) ? encodeURIComponent(v) : '***'}`);
  return `${url.slice(0, q)}?${out.join('&')}`;
}

/** pino serializer for requests (fastify's default fields, with the URL redacted; no headers, no body). */
export function logRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
