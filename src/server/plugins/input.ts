import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors';
import { hasLoneSurrogate } from '../../core/ledgers/ranges';

/** The path of the first string holding a lone surrogate (keys included), or null. */
function findLoneSurrogate(v: unknown, path: string, skipTopData: boolean): string | null {
  if (typeof v === 'string') return hasLoneSurrogate(v) ? path : null;
  if (!v || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findLoneSurrogate(v[i], `${path}[${i}]`, false);
      if (p) return p;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    const here = path ? `${path}.${k}` : k;
    if (hasLoneSurrogate(k)) return here;
    // A record's fields are checked by the core validation, which names them by their Chinese label.
    if (skipTopData && !path && k === 'data') continue;
    const p = findLoneSurrogate(x, here, false);
    if (p) return p;
  }
  return null;
}

/**
 * Refuses lone UTF-16 surrogates anywhere in a JSON body, the same way on both databases (SQLite
 * would store them, PostgreSQL refuses them with a message about encodings), naming the field.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined || req.body === null || Buffer.isBuffer(req.body)) return;
    const path = findLoneSurrogate(req.body, '', req.url.startsWith('/api/records/'));
    if (path !== null) {
      throw new AppError('VALIDATION', `${path || '请求内容'}：含有无效的字符（不成对的代理字符），请删除后重新输入`, {
        fields: [{ field: path, label: path, message: `${path}：含有无效的字符（不成对的代理字符）` }],
      });
    }
  });
}
