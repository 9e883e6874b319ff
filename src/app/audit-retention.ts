import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError } from '../core/errors';
import { checkpointHash } from '../core/audit/chain';
import { audit, auditHashAlg } from './audit';

/** 网络安全法 art. 21 (3): network logs are kept for no less than six months. */
export const MIN_RETENTION_DAYS = 180;

/** FAZHI_AUDIT_RETENTION_DAYS: unset or 0 keeps every entry; otherwise at least 180. */
export function retentionDaysFrom(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '' || value.trim() === '0') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_RETENTION_DAYS) {
    throw new AppError('VALIDATION', `审计保留天数：应为不少于${MIN_RETENTION_DAYS}的整数（网络安全法第二十一条要求网络日志留存不少于六个月），收到“${value}”`);
  }
  return n;
}

export interface PruneResult {
  pruned: number;
  throughSeq: number | null;
  cutoff: string;
}

/**
 * Deletes the oldest entries, up to (not including) the first entry younger than `days`, so no
 * younger entry is ever deleted even if clocks went backwards. In one transaction with the chain
 * head locked: a checkpoint keeps the last pruned entry's seq, id and hash (itself hashed), the
 * entries are deleted (the delete trigger allows only entries a checkpoint covers), and a `prune`
 * entry naming the checkpoint's hash is appended, so the remaining chain verifies from the checkpoint.
 */
export async function pruneAudit(ctx: AppContext, who: Actor, days: number): Promise<PruneResult> {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) {
    throw new AppError('VALIDATION', `审计保留天数：不得少于${MIN_RETENTION_DAYS}天（网络安全法第二十一条）`);
  }
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const alg = auditHashAlg();
  return ctx.storage.db.transaction().execute(async (trx) => {
    // Lock the head first: no entry is appended while the prefix is chosen and cut.
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 0) })).where('id', '=', 1).execute();
    const young = await trx.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('s')).where('at', '>=', cutoff).executeTakeFirst();
    const top = young?.s != null ? Number(young.s) - 1 : Number((await trx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq);
    const last = await trx.selectFrom('audit_log').select(['seq', 'id', 'hash']).where('seq', '<=', top).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last || last.seq === null || last.hash === null) return { pruned: 0, throughSeq: null, cutoff };
    const content = { through_seq: Number(last.seq), through_id: Number(last.id), through_hash: last.hash, at: now.toISOString() };
    const hash = checkpointHash(alg, content);
    const counted = await trx.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('seq', '<=', content.through_seq).executeTakeFirstOrThrow();
    const pruned = Number(counted.n);
    await trx.insertInto('audit_checkpoints').values({ ...content, alg, hash, pruned }).execute();
    await trx.deleteFrom('audit_log').where('seq', '<=', content.through_seq).execute();
    await audit(trx, who, now.toISOString(), {
      action: 'prune',
      entity: 'audit',
      entityId: hash,
      after: { throughSeq: content.through_seq, throughHash: content.through_hash, pruned, retentionDays: days, cutoff },
      detail: `清理${cutoff.slice(0, 10)}之前的审计记录${pruned}条（保留${days}天）`,
    });
    return { pruned, throughSeq: content.through_seq, cutoff };
  });
}
