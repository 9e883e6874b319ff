import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { CHAIN_PROBLEMS, START, checkEntry, checkpointHash, describeProblem, type ChainCursor, type ChainProblem, type ChainedEntry, type HashAlg } from '../core/audit/chain';

/** The chain's state (GET /api/audit/verify). */
export const ZVerifyResult = z
  .object({
    ok: z.boolean(),
    /** Entries checked (after the latest checkpoint, if any). */
    checked: z.number(),
    /** The head's seq and hash (what an external copy of the log can be compared with). */
    headSeq: z.number(),
    headHash: z.string(),
    /** The checkpoint the chain starts from after pruning. */
    checkpoint: z.object({ throughSeq: z.number(), at: z.string() }).nullable(),
    /** The first problem, named. */
    problem: z.object({ kind: z.enum([...CHAIN_PROBLEMS, 'checkpoint', 'head']), seq: z.number().nullable(), id: z.number().nullable(), message: z.string() }).optional(),
  })
  .meta({ id: 'AuditVerify' });
export type VerifyResult = z.infer<typeof ZVerifyResult>;

const PAGE = 2000;

/**
 * Checks the whole chain: the latest checkpoint (hashed, and confirmed by the `prune` entry that
 * made it), every entry in id order (hash over its content, seq one more than the last, link to
 * the previous hash), and the head row. Stops at the first problem and names the entry.
 */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  const cp = await db.selectFrom('audit_checkpoints').selectAll().orderBy('through_seq', 'desc').limit(1).executeTakeFirst();
  let cur: ChainCursor = START;
  const base = { headSeq: Number(head?.seq ?? 0), headHash: head?.hash ?? '', checkpoint: cp ? { throughSeq: Number(cp.through_seq), at: cp.at } : null };
  let checked = 0;
  const fail = (kind: NonNullable<VerifyResult['problem']>['kind'], e: { seq: number; id: number } | null, message: string): VerifyResult => ({
    ok: false,
    checked,
    ...base,
    problem: { kind, seq: e?.seq ?? null, id: e?.id ?? null, message },
  });
  if (!head) return fail('head', null, '审计链头不存在：审计表被改动');
  if (cp) {
    if (checkpointHash(cp.alg as HashAlg, cp) !== cp.hash) return fail('checkpoint', null, `清理检查点（第 ${cp.through_seq} 条）的哈希不符：检查点被修改过`);
    // The prune entry that made the checkpoint is in the chain; a forged checkpoint has none.
    const confirmed = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'prune')
      .where('entity', '=', 'audit')
      .where('entity_id', '=', cp.hash)
      .executeTakeFirst();
    if (!confirmed) return fail('checkpoint', null, `清理检查点（第 ${cp.through_seq} 条）没有对应的清理审计记录：检查点不可信`);
    cur = { seq: Number(cp.through_seq), id: Number(cp.through_id), hash: cp.through_hash };
  }
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('id', '>', cur.id).orderBy('id').limit(PAGE).execute()) as unknown as ChainedEntry[];
    if (!rows.length) break;
    for (const raw of rows) {
      const e: ChainedEntry = { ...raw, id: Number(raw.id), seq: Number(raw.seq), alg: raw.alg ?? '', hash: raw.hash ?? '', prev_hash: raw.prev_hash ?? '' };
      if (raw.seq === null) return fail('edited', { seq: 0, id: e.id }, `审计记录（编号 ${e.id}）没有链序号：该记录未经审计写入路径写入`);
      let p = checkEntry(cur, e);
      if (p === 'missing') {
        // The expected entry may still be there, further on: then the entries were reordered.
        const later = await db.selectFrom('audit_log').select('id').where('seq', '=', cur.seq + 1).executeTakeFirst();
        if (later) p = 'reordered';
      }
      if (p) return fail(p, e, describeProblem(p, e, cur.seq + 1));
      cur = { seq: e.seq, id: e.id, hash: e.hash };
      checked += 1;
    }
  }
  if (Number(head.seq) !== cur.seq || head.hash !== cur.hash) {
    const expected = cur.seq + 1;
    return fail('missing', null, Number(head.seq) > cur.seq ? `审计记录第 ${expected} 条至第 ${head.seq} 条缺失（链尾被删除）` : `审计链头与最后一条记录（第 ${cur.seq} 条）不符`);
  }
  return { ok: true, checked, ...base };
}

/** One line for the CLI, the job's result and the logs. */
export function describeVerify(r: VerifyResult): string {
  if (!r.ok) return `审计链校验失败：${r.problem!.message}`;
  const from = r.checkpoint ? `（自清理检查点第 ${r.checkpoint.throughSeq} 条起）` : '';
  return `审计链完整：共校验 ${r.checked} 条${from}，链尾第 ${r.headSeq} 条，哈希 ${r.headHash}`;
}
