import type { Transaction } from 'kysely';
import type { Storage } from '../../db/connect';
import type { DB } from '../../db/schema';
import { dataColumn, dataValue } from '../../db/json';
import { LedgerRegistry } from '../ledger-registry';
import type { RecordData } from '../../core/ledgers/types';
import type { DataCipher } from './data-cipher';
import { isSealed, openAuditValue, openData, piiFields, sealData, piiIndex } from './pii-codec';
import { attachmentAad } from '../attachments';
import { writeKeyCheck } from './data-key';

export interface ResealCounts {
  records: number;
  auditEntries: number;
  attachments: number;
}

const PAGE = 1000;

/**
 * Re-encrypts every personal value (records and audit before/after values) and every attachment
 * from key `from` (null: the data is still plaintext, first start with a key) to key `to`, and
 * records `to`'s check value — all in one transaction, so a failure leaves everything under the
 * old key. Versions and timestamps are not touched: the content did not change.
 */
export async function resealAll(storage: Storage, from: DataCipher | null, to: DataCipher): Promise<ResealCounts> {
  const defs = await new LedgerRegistry(storage).all();
  const counts: ResealCounts = { records: 0, auditEntries: 0, attachments: 0 };
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
      const rows = await trx.selectFrom('attachments').select(['id', 'record_id', 'content', 'sealed']).where('id', '>', last).orderBy('id').limit(50).execute();
      if (!rows.length) break;
      for (const a of rows) {
        const raw = Buffer.from(a.content);
        const plain = a.sealed ? openWith(from, raw, a.record_id, a.id) : raw;
        await trx.updateTable('attachments').set({ content: to.seal(plain, attachmentAad(a.record_id)), sealed: 1 }).where('id', '=', a.id).execute();
        counts.attachments++;
      }
      last = rows[rows.length - 1]!.id;
    }
    await writeKeyCheck(trx, to);
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

/** Audit before/after values of a kind's records: opened with the old key, sealed with the new. */
async function resealAudit(
  trx: Transaction<DB>,
  kind: string,
  from: DataCipher | null,
  seal: (v: { data?: RecordData }) => unknown,
): Promise<number> {
  let n = 0;
  let last = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('audit_log')
      .select(['id', 'before', 'after'])
      .where('entity', '=', 'record')
      .where('kind', '=', kind)
      .where('id', '>', last)
      .where((eb) => eb.or([eb('before', 'is not', null), eb('after', 'is not', null)]))
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const redo = (text: string | null): string | null => {
        if (text === null) return null;
        const v = JSON.parse(text) as unknown;
        const plain = from ? openAuditValue(v, from) : v;
        return plain && typeof plain === 'object' && 'data' in plain ? JSON.stringify(seal(plain as { data?: RecordData })) : text;
      };
      const before = redo(r.before);
      const after = redo(r.after);
      if (before !== r.before || after !== r.after) {
        await trx.updateTable('audit_log').set({ before, after }).where('id', '=', r.id).execute();
        n++;
      }
    }
    last = rows[rows.length - 1]!.id;
  }
  return n;
}
