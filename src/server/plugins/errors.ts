import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors';
import type { AppContext } from '../../app/context';
import { audit } from '../../app/audit';

/**
 * The one error body: `{ error: { code, message, requestId, fields?, lines?, current? } }`, the message
 * in Chinese. The request id is the one fastify logs with every line of the request, so a user's
 * screenshot leads to the log.
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, extra: object = {}): FastifyReply {
  if (status >= 500) req.log.error({ code, status }, message);
  else req.log.info({ code, status }, message);
  return reply.status(status).send({ error: { code, message, requestId: req.id, ...extra } });
}

/** A refused attempt is audited (GB/T 22239-2019 8.1.4.3): who, what, and the path without its query (filter values may be personal data). */
async function auditRefusal(ctx: AppContext, req: FastifyRequest, message: string): Promise<void> {
  if (!req.actor) return;
  try {
    await audit(ctx.storage.db, req.actor, ctx.now().toISOString(), {
      action: 'denied',
      entity: 'request',
      entityId: `${req.method} ${req.url.split('?')[0]}`.slice(0, 300),
      orgId: req.actor.orgId || null,
      detail: message.slice(0, 500),
    });
  } catch (e) {
    req.log.error({ err: e }, 'could not audit a refused request');
  }
}

/** One error shape for every route, messages in Chinese. */
export function registerErrorHandling(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(async (err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      if (err.status === 403) await auditRefusal(ctx, req, err.message);
      const retry = (err as AppError & { retryAfter?: number }).retryAfter;
      if (retry !== undefined) reply.header('retry-after', String(retry));
      return sendError(req, reply, err.status, err.code, err.message, err.extra);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const fields = fe.validation.map((v) => {
        const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String((v.params as { missingProperty?: string })?.missingProperty ?? '');
        return { field: path, label: path, message: `${path || '请求'}：${v.message ?? '格式不正确'}` };
      });
      return sendError(req, reply, 400, 'BAD_REQUEST', `请求参数不正确：${fields.map((f) => f.message).join('；')}`, { fields });
    }
    // Values the database itself refuses (an id beyond the integer range, a NUL character) are the
    // client's mistake: say so instead of failing with a 500.
    const pgCode = (err as { code?: unknown }).code;
    if (pgCode === '22003') return sendError(req, reply, 400, 'BAD_REQUEST', '请求中的编号或数值超出范围');
    if (pgCode === '22021' || pgCode === '22P05') return sendError(req, reply, 400, 'BAD_REQUEST', '请求内容含有不允许的字符（如空字符或不成对的代理字符）');
    if (pgCode === '22P02') return sendError(req, reply, 400, 'BAD_REQUEST', '请求中的编号或数值格式不正确');
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(req, reply, 413, 'TOO_LARGE', '请求内容过大，超过了允许的大小');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(req, reply, 415, 'UNSUPPORTED', '不支持的请求内容类型，请以JSON格式提交');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(req, reply, 400, 'BAD_REQUEST', '请求内容为空');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(req, reply, 400, 'BAD_REQUEST', '请求内容不是有效的JSON');
    }
    if (err instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(err.message))) {
      return sendError(req, reply, 400, 'BAD_REQUEST', '请求内容不是有效的JSON');
    }
    if (fe.statusCode === 429) return sendError(req, reply, 429, 'TOO_MANY_REQUESTS', err.message);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendError(req, reply, fe.statusCode, 'BAD_REQUEST', `请求不正确（${fe.message}）`);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 500, 'INTERNAL', '服务器内部错误，请稍后重试或联系管理员');
  });
}
