import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Actor } from '../core/access/policy';

export interface AuditEntry {
  action: string; // create, update, delete, restore, transition, login, login_failed, export, import, grant, define…
  entity: string; // record, user, session, ledger_def, report, calendar…
  entityId?: string | number | null;
  kind?: string | null;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
}

/**
 * Appends to the audit log. Called with the transaction of the change it records, so the entry and
 * the change commit or fail together. There is no update or delete of audit rows anywhere.
 */
export async function audit(
  db: Kysely<DB> | Transaction<DB>,
  who: Pick<Actor, 'userId' | 'username' | 'ip'> | null,
  at: string,
  e: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at,
      user_id: who && who.userId > 0 ? who.userId : null,
      username: who?.username ?? null,
      ip: who?.ip ?? null,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId == null ? null : String(e.entityId),
      kind: e.kind ?? null,
      org_id: e.orgId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      detail: e.detail ?? null,
    })
    .execute();
}
