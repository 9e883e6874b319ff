import { z } from 'zod';
import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { AppContext } from '../context';
import type { SecuritySettings } from '../../core/identity/settings';
import { notFound } from '../../core/errors';
import { audit } from '../audit';
import type { Actor } from '../../core/access/policy';

/** What a session still waits for before it may do anything but finish signing in. */
export type SessionPending = 'totp' | 'enrol' | null;

/** Sessions are random tokens; only their SHA-256 is stored, so a database copy opens no session. */
export const tokenId = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Opens a session and ends the user's oldest ones beyond the configured number of concurrent sessions
 * (会话控制). Returns the token (only ever sent in the cookie).
 */
export async function openSession(
  db: Db,
  userId: number,
  now: Date,
  s: SecuritySettings,
  opts: { ip: string | null; userAgent?: string | null; pending: SessionPending },
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + s.sessionHours * 3600_000).toISOString();
  const id = tokenId(token);
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      created_at: at,
      expires_at: expiresAt,
      ip: opts.ip,
      last_seen_at: at,
      pending: opts.pending,
      user_agent: opts.userAgent?.slice(0, 200) ?? null,
      seq: sql<number>`(select coalesce(max(seq), 0) + 1 from sessions where user_id = ${userId})`,
    })
    .execute();
  // Newest first in the order of opening; the one just opened always stays.
  const keep = await db
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', '!=', id)
    .orderBy('seq', 'desc')
    .limit(Math.max(0, s.maxSessions - 1))
    .execute();
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', 'not in', [id, ...keep.map((k) => k.id)])
    .execute();
  await db.deleteFrom('sessions').where('expires_at', '<', at).execute();
  return { token, id, expiresAt };
}

export interface SessionRow {
  id: string;
  userId: number;
  pending: SessionPending;
  createdAt: string;
}

export const ZSessionView = z
  .object({ id: z.string(), createdAt: z.string(), lastSeenAt: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable(), current: z.boolean() })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof ZSessionView>;

/** The user's own open sessions, newest first. */
export async function listOwnSessions(ctx: AppContext, who: Actor, currentId: string): Promise<SessionView[]> {
  const rows = await ctx.storage.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', who.userId)
    .where('expires_at', '>', ctx.now().toISOString())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastSeenAt: r.last_seen_at ?? r.created_at, ip: r.ip, userAgent: r.user_agent, current: r.id === currentId }));
}

/** Ends one of the user's own sessions, or all but the current one (`id` omitted). Audited. */
export async function endOwnSessions(ctx: AppContext, who: Actor, currentId: string, id?: string): Promise<number> {
  const at = ctx.now().toISOString();
  return ctx.storage.db.transaction().execute(async (trx) => {
    let q = trx.deleteFrom('sessions').where('user_id', '=', who.userId);
    q = id === undefined ? q.where('id', '!=', currentId) : q.where('id', '=', id);
    const n = Number((await q.executeTakeFirst()).numDeletedRows);
    if (id !== undefined && n === 0) throw notFound('会话');
    await audit(trx, who, at, { action: 'session_end', entity: 'session', entityId: id ?? null, detail: id === undefined ? `结束其他会话 ${n} 个` : '结束会话' });
    return n;
  });
}

/** Ends every session of a user (disabled, password or second factor reset). */
export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** A session that finished its second factor becomes a full one. */
export async function completeSession(db: Db, id: string): Promise<void> {
  await db.updateTable('sessions').set({ pending: null }).where('id', '=', id).execute();
}
