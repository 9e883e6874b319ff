import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors';

/** One error shape for every route: `{ error: { code, message, fields?, lines?, current? } }`, messages in Chinese. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...err.extra } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const fields = fe.validation.map((v) => {
        const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String((v.params as { missingProperty?: string })?.missingProperty ?? '');
        return { field: path, label: path, message: `${path || '请求'}：${v.message ?? '格式不正确'}` };
      });
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: `请求参数不正确：${fields.map((f) => f.message).join('；')}`, fields } });
    }
    // Values the database itself refuses (an id beyond the integer range, a NUL character) are the
    // client's mistake: say so instead of failing with a 500.
    const pgCode = (err as { code?: unknown }).code;
    if (pgCode === '22003') return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求中的编号或数值超出范围' } });
    if (pgCode === '22021' || pgCode === '22P05') return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求内容含有不允许的字符（如空字符）' } });
    if (pgCode === '22P02') return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求中的编号或数值格式不正确' } });
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ error: { code: 'TOO_LARGE', message: '请求内容过大，超过了允许的大小' } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: { code: 'UNSUPPORTED', message: '不支持的请求内容类型，请以JSON格式提交' } });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求内容为空' } });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求内容不是有效的JSON' } });
    }
    if (err instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(err.message))) {
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: '请求内容不是有效的JSON' } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'BAD_REQUEST', message: `请求不正确（${fe.message}）` } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员' } });
  });
}
