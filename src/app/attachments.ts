import crypto from 'node:crypto';
import type { AppContext } from './context';
import { canRead, canSeePii, canWrite, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { audit } from './audit';
import { placeOfRecord } from './record-view';
import { dataColumn } from '../db/json';
import { cleanFileName, maskFileName } from '../core/files/names';
import { attachmentNameAad, openText, sealText } from './crypto/sealed-text';
import type { LedgerDef } from '../core/ledgers/types';
import { activeCipher } from './crypto/active-key';
import { piiFields } from './crypto/pii-codec';

/**
 * Attachments are sealed at rest like personal fields (SM4 + HMAC-SM3), bound to their record; so are
 * their file names (a name like 张三身份证.pdf names a person), opened for those who may see them and
 * masked in audit entries.
 */
export const attachmentAad = (recordId: number) => `attachment:${recordId}`;

export function sealAttachment(recordId: number, content: Buffer): Buffer {
  return activeCipher().seal(content, attachmentAad(recordId));
}

export function openAttachment(a: { record_id: number; content: Uint8Array; sealed: number }): Buffer {
  const raw = Buffer.from(a.content);
  return a.sealed ? activeCipher().open(raw, attachmentAad(a.record_id)) : raw;
}

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export interface AttachmentView {
  id: number;
  recordId: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** The record an attachment hangs on, with the place that decides who may see it. */
async function recordPlace(ctx: AppContext, recordId: number) {
  const r = await ctx.storage.db
    .selectFrom('records')
    .innerJoin('org_units', 'org_units.id', 'records.org_id')
    .select(['records.id', 'records.kind', 'records.org_id', 'records.dept_id', 'records.deleted_at', 'org_units.path as org_path'])
    .select(dataColumn(ctx.storage.dialect).as('data'))
    .where('records.id', '=', recordId)
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', '记录不存在');
  return { row: r, place: placeOfRecord(r) };
}

export async function addAttachment(ctx: AppContext, who: Actor, recordId: number, filename: string, mime: string, content: Buffer): Promise<AttachmentView> {
  const { row, place } = await recordPlace(ctx, recordId);
  if (!canRead(who, place)) throw forbidden('无权查看该记录（不在您的数据范围内）');
  if (!canWrite(who, place)) throw forbidden('无权为该记录上传附件');
  if (row.deleted_at) throw new AppError('CONFLICT', '记录已删除');
  if (!content.length) throw new AppError('VALIDATION', '附件：文件为空');
  if (content.length > MAX_ATTACHMENT_BYTES) throw new AppError('TOO_LARGE', '附件：文件不能超过20MB');
  const at = ctx.now().toISOString();
  const sha256 = crypto.createHash('sha256').update(content).digest('hex');
  const name = cleanFileName(filename);
  const id = await ctx.storage.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('attachments')
      .values({ record_id: recordId, filename: sealText(name, attachmentNameAad(recordId)), mime: mime || 'application/octet-stream', size: content.length, sha256, content: sealAttachment(recordId, content), sealed: 1, created_at: at, created_by: who.userId || null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, who, at, { action: 'attach', entity: 'record', entityId: recordId, kind: row.kind, orgId: row.org_id, after: { attachmentId: id, filename: maskFileName(name), size: content.length } });
    return id;
  });
  return { id, recordId, filename: name, mime, size: content.length, sha256, createdAt: at };
}

/** A stored file name as this reader may see it: opened, and masked where the kind's personal data is. */
function shownName(def: LedgerDef, who: Actor, a: { record_id: number; filename: string }): string {
  const name = openText(a.filename, attachmentNameAad(a.record_id));
  return piiFields(def).length && !canSeePii(who) ? maskFileName(name) : name;
}

export async function listAttachments(ctx: AppContext, who: Actor, recordId: number): Promise<AttachmentView[]> {
  const { row, place } = await recordPlace(ctx, recordId);
  if (!canRead(who, place)) throw forbidden('无权查看该记录（不在您的数据范围内）');
  const def = await ctx.registry.get(row.kind);
  const rows = await ctx.storage.db
    .selectFrom('attachments')
    .select(['id', 'record_id', 'filename', 'mime', 'size', 'sha256', 'created_at'])
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, recordId: r.record_id, filename: shownName(def, who, r), mime: r.mime, size: r.size, sha256: r.sha256, createdAt: r.created_at }));
}

export async function getAttachment(ctx: AppContext, who: Actor, id: number): Promise<{ filename: string; mime: string; content: Buffer }> {
  const a = await ctx.storage.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND', '附件不存在');
  const { row, place } = await recordPlace(ctx, a.record_id);
  if (!canRead(who, place)) throw forbidden('无权下载该附件');
  // An attachment of a kind with personal fields is taken to hold personal data (an ID card copy,
  // a petition letter): a role that sees those fields masked does not get its bytes either.
  const def = await ctx.registry.get(row.kind);
  if (piiFields(def).length && !canSeePii(who)) throw forbidden(`无权下载该附件：“${def.label}”的附件含个人信息，您的角色只能查看脱敏信息`);
  const name = openText(a.filename, attachmentNameAad(a.record_id));
  // Attachments often hold personal documents: who took a copy is recorded like any export.
  await audit(ctx.storage.db, who, ctx.now().toISOString(), {
    action: 'download',
    entity: 'record',
    entityId: a.record_id,
    kind: row.kind,
    orgId: row.org_id,
    detail: JSON.stringify({ attachmentId: a.id, filename: maskFileName(name) }),
  });
  return { filename: name, mime: a.mime, content: openAttachment(a) };
}

export async function deleteAttachment(ctx: AppContext, who: Actor, id: number): Promise<void> {
  const a = await ctx.storage.db.selectFrom('attachments').select(['id', 'record_id', 'filename']).where('id', '=', id).executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND', '附件不存在');
  const { row, place } = await recordPlace(ctx, a.record_id);
  if (!canWrite(who, place)) throw forbidden('无权删除该附件');
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('attachments').where('id', '=', id).execute();
    await audit(trx, who, at, { action: 'detach', entity: 'record', entityId: a.record_id, kind: row.kind, orgId: row.org_id, before: { attachmentId: id, filename: maskFileName(openText(a.filename, attachmentNameAad(a.record_id))) } });
  });
}
