import crypto from 'node:crypto';

/**
 * The audit hash chain (GB/T 22239-2019 8.1.4.3 安全审计 c: audit records protected against
 * deletion, modification and overwriting). Every entry carries a hash over its canonical content
 * and the previous entry's hash, so an edited, deleted or reordered entry breaks the chain at a
 * place `verify` can name. SM3 (GB/T 32905-2016) by default, SHA-256 selectable.
 */
export const HASH_ALGS = ['sm3', 'sha256'] as const;
export type HashAlg = (typeof HASH_ALGS)[number];

/** The hash the first entry points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed columns of an audit entry, as stored. */
export interface ChainedContent {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  kind: string | null;
  org_id: number | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  prev_hash: string;
}

export interface ChainedEntry extends ChainedContent {
  id: number;
  alg: string;
  hash: string;
}

/** The algorithm for new entries: FAZHI_AUDIT_HASH=sm3 (default) or sha256. Refuses anything else. */
export function hashAlgFrom(value: string | undefined): HashAlg {
  const v = (value ?? '').trim().toLowerCase() || 'sm3';
  if (!(HASH_ALGS as readonly string[]).includes(v)) {
    throw new Error(`FAZHI_AUDIT_HASH：应为 sm3 或 sha256，收到“${value}”`);
  }
  return v as HashAlg;
}

export function digest(alg: HashAlg, text: string): string {
  return crypto.createHash(alg).update(text, 'utf8').digest('hex');
}

/**
 * The canonical text of an entry: a JSON array in a fixed column order, so the hash never depends
 * on how a driver orders object keys. Numbers are normalised (PostgreSQL may hand back strings).
 */
export function canonical(e: ChainedContent): string {
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return JSON.stringify([
    num(e.seq),
    e.at,
    num(e.user_id),
    e.username,
    e.ip,
    e.action,
    e.entity,
    e.entity_id,
    e.kind,
    num(e.org_id),
    e.before,
    e.after,
    e.detail,
    e.prev_hash,
  ]);
}

export function entryHash(alg: HashAlg, e: ChainedContent): string {
  return digest(alg, canonical(e));
}

/** A checkpoint left when old entries are pruned: the head of the pruned part, hashed itself. */
export interface CheckpointContent {
  through_seq: number;
  through_id: number;
  through_hash: string;
  at: string;
}

export function checkpointHash(alg: HashAlg, c: CheckpointContent): string {
  return digest(alg, JSON.stringify(['checkpoint', Number(c.through_seq), Number(c.through_id), c.through_hash, c.at]));
}

export const CHAIN_PROBLEMS = ['edited', 'missing', 'reordered', 'link', 'algorithm'] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

/** Where verification stands: the last good entry (or the checkpoint the chain starts from). */
export interface ChainCursor {
  seq: number;
  id: number;
  hash: string;
}

export const START: ChainCursor = { seq: 0, id: 0, hash: GENESIS_HASH };

/**
 * Checks one entry (read in id order, the order they were written under the chain lock) against
 * the cursor. Returns the problem, or null when the entry is intact and follows the cursor.
 * `missing` vs `reordered` for a gap needs to know whether the expected entry exists later,
 * which only the storage can tell: the caller resolves `link` and gaps with `laterHasSeq`.
 */
export function checkEntry(cur: ChainCursor, e: ChainedEntry): ChainProblem | null {
  if (!(HASH_ALGS as readonly string[]).includes(e.alg)) return 'algorithm';
  if (entryHash(e.alg as HashAlg, e) !== e.hash) return 'edited';
  const seq = Number(e.seq);
  if (seq < cur.seq + 1) return 'reordered';
  if (seq > cur.seq + 1) return 'missing';
  if (e.prev_hash !== cur.hash) return 'link';
  return null;
}

/** The Chinese sentence naming the first problem for the CLI, the job's alert and the audit screen. */
export function describeProblem(p: ChainProblem, e: { id: number; seq: number }, expectedSeq: number): string {
  const which = `第 ${e.seq} 条（编号 ${e.id}）`;
  switch (p) {
    case 'edited':
      return `审计记录${which}的内容与其哈希不符：该记录被修改过`;
    case 'missing':
      return `审计记录第 ${expectedSeq} 条缺失（在${which}之前）：该记录被删除`;
    case 'reordered':
      return `审计记录${which}出现在第 ${expectedSeq} 条的位置：记录顺序被调换`;
    case 'link':
      return `审计记录${which}所记的上一条哈希与第 ${expectedSeq - 1} 条不符：链条被改动`;
    case 'algorithm':
      return `审计记录${which}的哈希算法无法识别`;
  }
}
