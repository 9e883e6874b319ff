import type { Transaction } from 'kysely';
import type { Storage } from '../../db/connect';
import type { DB } from '../../db/schema';
import { dataColumn, dataValue } from '../../db/json';
import { LedgerRegistry } from '../ledger-registry';
import type { LedgerDef, RecordData } from '../../core/ledgers/types';
import type { DataCipher } from './data-cipher';
import { isSealed, openData, piiFields, sealData, piiIndex } from './pii-codec';
import { attachmentNameAad, isSealedText, openText, sealText, totpAad } from './sealed-text';
import { attachmentAad } from '../attachments';
import { writeKeyCheck } from './data-key';

export interface ResealCounts {
  records: number;
  auditEntries: number;
  attachments: number;
  /** TOTP secrets of users. */
  secrets: number;
  /** 定稿 reports whose frozen records hold personal values. */
  reports: number;
}

/** Set by migration 0120: TOTP secrets and attachment names written before it are still plaintext. */
export const SEAL_TEXTS_PENDING = 'seal_texts_pending';

const PAGE = 1000;

/**
 * Re-encrypts every personal value (records and audit before/after values) and every attachment
 * from key `from` (null: the data is still plaintext, first start with a key) to key `to`, and
 * records `to`'s check value — all in one transaction, so a failure leaves everything under the
 * old key. Versions and timestamps are not touched: the content did not change.
 */
export async function resealAll(storage: Storage, from: DataCipher | null, to: DataCipher): Promise<ResealCounts> {
  const defs = await new LedgerRegistry(storage).all();
  const counts: ResealCounts = { records: 0, auditEntries: 0, attachments: 0, secrets: 0, reports: 0 };
  await storage.db.transaction().execute(async (trx) => {
    for (const def of defs) {
      if (!piiFields(def).length) continue;
      let last = 0;
      for (;;) {
        const rows = await trx
          .selectFrom('records')
          .select(['id', dataColumn(storage.dialect).as('data')])
          .where('kind', '=', def.kind)
          .where('id', '>', last)
          .orderBy('id')
          .limit(PAGE)
          .execute();
        if (!rows.length) break;
        for (const r of rows) {
          const stored = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as RecordData;
          const plain = from ? openData(stored, from) : assertPlain(stored, r.id);
          await trx
            .updateTable('records')
            .set({ data: dataValue(storage.dialect, JSON.stringify(sealData(def, plain, to))), pii_index: piiIndex(def, plain, to) })
            .where('id', '=', r.id)
            .execute();
          counts.records++;
        }
        last = rows[rows.length - 1]!.id;
      }
      // Audit entries hold personal values masked (app/audit.ts), never sealed: nothing to re-encrypt there,
      // and the append-only chain refuses any UPDATE of an entry.
    }
    let last = 0;
    for (;;) {
      const rows = await trx.selectFrom('attachments').select(['id', 'record_id', 'content', 'sealed', 'filename']).where('id', '>', last).orderBy('id').limit(50).execute();
      if (!rows.length) break;
      for (const a of rows) {
        const raw = Buffer.from(a.content);
        const plain = a.sealed ? openWith(from, raw, a.record_id, a.id) : raw;
        const filename = sealText(openTextWith(from, a.filename, attachmentNameAad(a.record_id), `附件${a.id}的文件名`), attachmentNameAad(a.record_id), to);
        await trx.updateTable('attachments').set({ content: to.seal(plain, attachmentAad(a.record_id)), sealed: 1, filename }).where('id', '=', a.id).execute();
        counts.attachments++;
      }
      last = rows[rows.length - 1]!.id;
    }
    counts.secrets = await resealSecrets(trx, from, to, false);
    counts.reports = await resealSnapshots(trx, defs, from, to, false);
    await writeKeyCheck(trx, to);
    await trx.deleteFrom('settings').where('key', '=', SEAL_TEXTS_PENDING).execute();
  });
  return counts;
}

function assertPlain(stored: RecordData, id: number): RecordData {
  if (isSealed(stored)) throw new Error(`记录${id}已有加密的字段，但数据库中没有密钥校验值：请用加密时的密钥启动`);
  return stored;
}

function openWith(from: DataCipher | null, raw: Buffer, recordId: number, id: number): Buffer {
  if (!from) throw new Error(`附件${id}已加密，但数据库中没有密钥校验值：请用加密时的密钥启动`);
  return from.open(raw, attachmentAad(recordId));
}

function openTextWith(from: DataCipher | null, stored: string, aad: string, what: string): string {
  if (!isSealedText(stored)) return stored;
  if (!from) throw new Error(`${what}已加密，但数据库中没有密钥校验值：请用加密时的密钥启动`);
  return openText(stored, aad, from);
}

/** Users' TOTP secrets to key `to` (`onlyPlain`: those still in plaintext, from before migration 0120). */
async function resealSecrets(trx: Transaction<DB>, from: DataCipher | null, to: DataCipher, onlyPlain: boolean): Promise<number> {
  const rows = await trx.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).orderBy('id').execute();
  let n = 0;
  for (const u of rows) {
    if (onlyPlain && isSealedText(u.totp_secret!)) continue;
    const secret = sealText(openTextWith(from, u.totp_secret!, totpAad(u.id), `用户${u.id}的动态验证码密钥`), totpAad(u.id), to);
    await trx.updateTable('users').set({ totp_secret: secret }).where('id', '=', u.id).execute();
    n++;
  }
  return n;
}

/**
 * After migration 0120, on the first start with the key: seals the TOTP secrets, attachment names and
 * 定稿 snapshots' frozen records still in plaintext, in one transaction, and clears the migration's marker. Returns how many.
 */
export async function sealPendingTexts(storage: Storage, cipher: DataCipher): Promise<{ secrets: number; names: number; reports: number }> {
  const pending = await storage.db.selectFrom('settings').select('key').where('key', '=', SEAL_TEXTS_PENDING).executeTakeFirst();
  if (!pending) return { secrets: 0, names: 0, reports: 0 };
  const defs = await new LedgerRegistry(storage).all();
  return storage.db.transaction().execute(async (trx) => {
    const secrets = await resealSecrets(trx, cipher, cipher, true);
    const reports = await resealSnapshots(trx, defs, cipher, cipher, true);
    let names = 0;
    let last = 0;
    for (;;) {
      const rows = await trx.selectFrom('attachments').select(['id', 'record_id', 'filename']).where('id', '>', last).orderBy('id').limit(PAGE).execute();
      if (!rows.length) break;
      for (const a of rows) {
        if (isSealedText(a.filename)) continue;
        await trx.updateTable('attachments').set({ filename: sealText(a.filename, attachmentNameAad(a.record_id), cipher) }).where('id', '=', a.id).execute();
        names++;
      }
      last = rows[rows.length - 1]!.id;
    }
    await trx.deleteFrom('settings').where('key', '=', SEAL_TEXTS_PENDING).execute();
    return { secrets, names, reports };
  });
}

/**
 * The frozen records of 定稿 reports (`reports.snapshot` → rows): personal values opened with `from`
 * and sealed with `to` (`onlyPlain`: only those frozen in clear, before migration 0120).
 */
async function resealSnapshots(trx: Transaction<DB>, defs: readonly LedgerDef[], from: DataCipher | null, to: DataCipher, onlyPlain: boolean): Promise<number> {
  const byKind = new Map(defs.filter((d) => piiFields(d).length).map((d) => [d.kind, d]));
  if (!byKind.size) return 0;
  const reports = await trx.selectFrom('reports').select(['id', 'snapshot']).where('snapshot', 'is not', null).orderBy('id').execute();
  let n = 0;
  for (const r of reports) {
    const snap = JSON.parse(r.snapshot!) as { rows?: Record<string, { id: number; kind: string; data: RecordData }> };
    let changed = false;
    for (const row of Object.values(snap.rows ?? {})) {
      const def = byKind.get(row.kind);
      if (!def || (onlyPlain && isSealed(row.data))) continue;
      if (isSealed(row.data) && !from) throw new Error(`报告${r.id}的定稿记录已加密，但数据库中没有密钥校验值：请用加密时的密钥启动`);
      const plain = isSealed(row.data) ? openData(row.data, from!) : row.data;
      row.data = sealData(def, plain, to);
      changed = true;
    }
    if (!changed) continue;
    await trx.updateTable('reports').set({ snapshot: JSON.stringify(snap) }).where('id', '=', r.id).execute();
    n++;
  }
  return n;
}
