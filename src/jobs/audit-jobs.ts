import type { AppContext } from '../app/context';
import { systemActor } from '../app/context';
import { describeVerify, verifyAuditChain, type VerifyResult } from '../app/audit-verify';
import { pruneAudit, retentionDaysFrom } from '../app/audit-retention';
import { todayShanghai } from '../core/time';
import type { Job } from './runner';

export const AUDIT_VERIFY_JOB = 'audit_verify';
export const AUDIT_RETENTION_JOB = 'audit_retention';

/** Who is alerted when the chain breaks: the 审计管理员 and 安全管理员, or the 系统管理员 if there is none. */
const ALERT_ROLES = ['auditor', 'security'];

/**
 * Raises the alert for a broken chain: an in-app notification to each security/audit admin (one a
 * day per problem, by the unique dedupe key, whichever instance runs the job) and a log line.
 */
export async function alertBrokenChain(ctx: AppContext, r: VerifyResult, log: (msg: string) => void): Promise<number> {
  const db = ctx.storage.db;
  let users = await db.selectFrom('users').select('id').where('role', 'in', ALERT_ROLES).where('active', '=', 1).execute();
  if (!users.length) users = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
  const now = ctx.now();
  const day = todayShanghai(now);
  const p = r.problem!;
  let created = 0;
  for (const u of users) {
    const res = await db
      .insertInto('notifications')
      .values({
        user_id: u.id,
        record_id: null,
        kind: 'audit',
        title: '审计日志完整性告警',
        body: `${p.message}。请立即核查数据库访问记录，并保全现有审计数据。`,
        dedupe_key: `audit_chain:${p.kind}:${p.seq ?? 'head'}:${u.id}:${day}`,
        created_at: now.toISOString(),
        read_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    created += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  log(`【安全告警】${describeVerify(r)}（已通知${users.length}名管理员）`);
  return created;
}

/** Verifies the whole chain every FAZHI_AUDIT_VERIFY_MINUTES minutes (default 60) and alerts on a break. */
export function auditVerifyJob(log: (msg: string) => void = () => undefined, intervalMs = Number(process.env.FAZHI_AUDIT_VERIFY_MINUTES ?? 60) * 60_000): Job {
  return {
    name: AUDIT_VERIFY_JOB,
    intervalMs: Math.max(60_000, intervalMs),
    timeoutMs: 30 * 60_000,
    run: async (ctx) => {
      const r = await verifyAuditChain(ctx.storage.db);
      if (!r.ok) await alertBrokenChain(ctx, r, log);
      return describeVerify(r);
    },
  };
}

/** Daily pruning when FAZHI_AUDIT_RETENTION_DAYS is set (at least 180); none otherwise. */
export function auditRetentionJob(days: number): Job {
  return {
    name: AUDIT_RETENTION_JOB,
    intervalMs: 24 * 60 * 60_000,
    timeoutMs: 30 * 60_000,
    run: async (ctx) => {
      const r = await pruneAudit(ctx, systemActor(), days);
      return r.pruned ? `已清理${r.cutoff.slice(0, 10)}之前的审计记录${r.pruned}条（至第${r.throughSeq}条）` : `没有超过${days}天的审计记录`;
    },
  };
}

/** The audit jobs of a server; the retention setting is checked here so a wrong value stops the start. */
export function auditJobs(log?: (msg: string) => void): Job[] {
  const days = retentionDaysFrom(process.env.FAZHI_AUDIT_RETENTION_DAYS);
  return [auditVerifyJob(log), ...(days ? [auditRetentionJob(days)] : [])];
}
