import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { addAttachment, deleteAttachment, getAttachment, listAttachments, MAX_ATTACHMENT_BYTES } from '../../app/attachments';
import { AppError } from '../../core/errors';
import { ZAttachment } from '../../app/view-schemas';
import { fileResponse, itemsOf, ZOk } from '../schemas';

export const attachmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Uploads are the file's raw bytes, byte for byte whatever their content type (no JSON or text
    // parsing in this scope), with the name in ?filename=.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1024 }, (_req, body, done) => done(null, body));
    const recParams = z.object({ kind: z.string().max(60), id: z.coerce.number().int().positive() });
    app.get('/api/records/:kind/:id/attachments', { schema: { tags: ['attachments'], summary: '记录的附件列表', response: { 200: itemsOf(ZAttachment) }, params: recParams } }, async (req) => ({
      items: await listAttachments(ctx, actorOf(req), req.params.id),
    }));
    app.post(
      '/api/records/:kind/:id/attachments',
      {
        schema: {
          tags: ['attachments'],
          summary: '上传附件（请求体为文件内容，文件名放在 filename 参数）', response: { 201: ZAttachment },
          params: recParams,
          querystring: z.object({ filename: z.string().min(1).max(200) }),
          // Any type: the upload's Content-Type is kept as the attachment's type.
          consumes: ['application/octet-stream', '*/*'],
        },
      },
      async (req, reply) => {
        const body = req.body;
        if (!Buffer.isBuffer(body)) throw new AppError('BAD_REQUEST', '请以文件内容作为请求体上传附件');
        const mime = String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!;
        return reply.status(201).send(await addAttachment(ctx, actorOf(req), req.params.id, req.query.filename, mime, body));
      },
    );
    const idParams = z.object({ id: z.coerce.number().int().positive() });
    app.get(
      '/api/attachments/:id',
      { schema: { tags: ['attachments'], summary: '下载或预览附件', response: { 200: fileResponse('附件内容（上传时的类型）', '*/*') }, params: idParams, querystring: z.object({ inline: z.enum(['1', '0']).optional() }) } },
      async (req, reply) => {
        const a = await getAttachment(ctx, actorOf(req), req.params.id);
        const disp = req.query.inline === '1' ? 'inline' : 'attachment';
        reply
          .header('content-type', a.mime)
          .header('content-disposition', `${disp}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
          .header('x-content-type-options', 'nosniff')
          // An uploaded HTML or SVG file previewed inline must not run script on this site.
          .header('content-security-policy', 'sandbox');
        return reply.send(a.content);
      },
    );
    app.delete('/api/attachments/:id', { schema: { tags: ['attachments'], summary: '删除附件', response: { 200: ZOk }, params: idParams } }, async (req) => {
      await deleteAttachment(ctx, actorOf(req), req.params.id);
      return { ok: true };
    });
  };
