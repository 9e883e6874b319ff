import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * One fixed-window counter per key, in the database so all instances share it: an upsert that
 * starts a new window when the old one is over and counts otherwise, atomic on both databases
 * (INSERT … ON CONFLICT DO UPDATE … RETURNING).
 */
export async function hitRateLimit(db: Kysely<DB>, key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAt: number }> {
  const resetAt = nowMs + windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.reset_at <= ${nowMs} then 1 else rate_limits.count + 1 end`,
        reset_at: sql<number>`case when rate_limits.reset_at <= ${nowMs} then ${resetAt} else rate_limits.reset_at end`,
      }),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), resetAt: Number(row.reset_at) };
}

/** Drops counters whose window ended (they would be restarted anyway). */
export async function purgeRateLimits(db: Kysely<DB>, nowMs: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('reset_at', '<', nowMs).execute();
}
