import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * Login attempts counted in the database (GB/T 22239-2019 8.1.4.1 b: 登录失败处理), so that every
 * instance and every concurrent request sees the same count. An attempt is RESERVED before the password
 * is checked, in one atomic upsert: twenty wrong passwords sent at once take twenty numbers, only the
 * first `max` of them are checked at all, and the right password sent after them is refused too.
 *
 * Keys: `acct:<user name>|<address>` locks one account from one address (so an attacker elsewhere cannot
 * keep the administrator out), `addr:<address>` limits one address over all accounts, `totp:<user id>`
 * counts wrong second-factor codes.
 */
export interface Reservation {
  key: string;
  /** This attempt's number within the window (1 for the first). */
  attempt: number;
  /** Set while the key is locked. */
  lockedUntil: string | null;
}

type Db = Kysely<DB> | Transaction<DB>;

export const accountKey = (username: string, ip: string | null) => `acct:${username.trim().toLowerCase()}|${ip ?? '-'}`;
export const addressKey = (ip: string | null) => `addr:${ip ?? '-'}`;
export const totpKey = (userId: number) => `totp:${userId}`;

export async function reserveAttempt(
  db: Db,
  key: string,
  now: Date,
  windowMinutes: number,
  meta: { username?: string | null; ip?: string | null } = {},
): Promise<Reservation> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
  // Within a lock the count stands; once the window has passed or a lock has ended, counting starts at 1.
  const r = await sql<{ attempts: number; locked_until: string | null }>`
    insert into login_throttle (key, attempts, window_start, locked_until, username, ip)
    values (${key}, 1, ${at}, null, ${meta.username ?? null}, ${meta.ip ?? null})
    on conflict (key) do update set
      attempts = case
        when login_throttle.locked_until > ${at} then login_throttle.attempts
        when login_throttle.window_start <= ${windowStart} or login_throttle.locked_until is not null then 1
        else login_throttle.attempts + 1 end,
      window_start = case
        when login_throttle.locked_until > ${at} then login_throttle.window_start
        when login_throttle.window_start <= ${windowStart} or login_throttle.locked_until is not null then ${at}
        else login_throttle.window_start end,
      locked_until = case when login_throttle.locked_until > ${at} then login_throttle.locked_until else null end
    returning attempts, locked_until`.execute(db);
  const row = r.rows[0]!;
  return { key, attempt: Number(row.attempts), lockedUntil: row.locked_until && row.locked_until > at ? row.locked_until : null };
}

/** A reserved attempt failed: the key locks once `max` attempts in the window have failed. Returns the lock end. */
export async function attemptFailed(db: Db, r: Reservation, now: Date, max: number, lockMinutes: number): Promise<string | null> {
  if (r.attempt < max) return null;
  const until = new Date(now.getTime() + lockMinutes * 60_000).toISOString();
  await db
    .updateTable('login_throttle')
    .set({ locked_until: until })
    .where('key', '=', r.key)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', until)]))
    .execute();
  return until;
}

/** A reserved attempt succeeded: the key's count starts again. */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).where('locked_until', 'is', null).execute();
}

/** A reserved attempt on a shared key (an address) succeeded: give its number back. */
export async function releaseAttempt(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .where('locked_until', 'is', null)
    .execute();
}

/** Rows whose window and lock are long over are of no use: removed now and then (at a successful login). */
export async function pruneAttempts(db: Db, now: Date): Promise<void> {
  const at = now.toISOString();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  await db
    .deleteFrom('login_throttle')
    .where('window_start', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .execute();
}
