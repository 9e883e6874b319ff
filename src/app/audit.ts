import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Actor } from '../core/access/policy';
import { entryHash, hashAlgFrom, type ChainedContent } from '../core/audit/chain';
import { maskAuditValue } from '../core/audit/mask';

export interface AuditEntry {
  action: string; // create, update, delete, restore, transition, login, login_failed, logout, denied, read_pii, export, import, grant, define, prune…
  entity: string; // record, user, session, ledger_def, report, calendar, audit…
  entityId?: string | number | null;
  kind?: string | null;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
  /** Keys of personal-data fields: masked in before/after (and their `data`) before they are stored. */
  pii?: readonly string[];
}

/** The hash algorithm for new entries (FAZHI_AUDIT_HASH, default SM3); read per call so tests can switch it. */
export function auditHashAlg() {
  return hashAlgFrom(process.env.FAZHI_AUDIT_HASH);
}

/**
 * Appends to the audit log and its hash chain. Called with the transaction of the change it
 * records, so the entry and the change commit or fail together; called with the database, it
 * opens its own transaction. There is no update or delete of audit rows (triggers refuse them;
 * only retention pruning deletes entries a checkpoint covers, see audit-retention.ts).
 *
 * Concurrent writers: the chain head row is updated first, which locks it until commit (a row
 * lock on PostgreSQL, the write lock on SQLite), so transactions chain strictly one after another
 * and the entry's id (taken after the lock) follows its seq.
 */
export async function audit(
  db: Kysely<DB> | Transaction<DB>,
  who: Pick<Actor, 'userId' | 'username' | 'ip'> | null,
  at: string,
  e: AuditEntry,
): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => audit(trx, who, at, e));
    return;
  }
  const alg = auditHashAlg();
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const pii = e.pii ?? [];
  const content: ChainedContent = {
    seq: Number(head.seq),
    at,
    user_id: who && who.userId > 0 ? who.userId : null,
    username: who?.username ?? null,
    ip: who?.ip ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId == null ? null : String(e.entityId),
    kind: e.kind ?? null,
    org_id: e.orgId ?? null,
    before: e.before === undefined ? null : JSON.stringify(maskAuditValue(e.before, pii)),
    after: e.after === undefined ? null : JSON.stringify(maskAuditValue(e.after, pii)),
    detail: e.detail ?? null,
    prev_hash: head.hash,
  };
  const hash = entryHash(alg, content);
  await db.insertInto('audit_log').values({ ...content, hash, alg }).execute();
  await db.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
}

/** The PII field keys of a ledger definition, for `AuditEntry.pii`. */
export function piiKeys(def: { fields: readonly { key: string; pii?: boolean }[] }): string[] {
  return def.fields.filter((f) => f.pii).map((f) => f.key);
}
