import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Dialect } from '../../db/connect';
import type { SecuritySettings } from '../../core/identity/settings';
import { parseSecuritySettings, SECURITY_SETTINGS_KEY } from './settings';
import { USER_COLUMNS } from './user-columns';
import { tokenId, type SessionPending, type SessionRow } from './sessions';
import { compiledOnce } from '../../db/compiled-once';

/** Below the smallest idle limit (idleMinutes ≥ 5) and session length (sessionHours ≥ 1) the settings allow. */
const SAFE_IDLE_MS = 5 * 60_000;
const SAFE_AGE_MS = 3600_000;
/** The last-seen time is written at most once a minute, so a busy user costs no write per request. */
const TOUCH_MS = 60_000;

function sessionUserQuery(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .leftJoin('departments', 'departments.id', 'users.dept_id')
    .select(USER_COLUMNS)
    .select([
      'sessions.id as session_id',
      'sessions.created_at as session_created_at',
      'sessions.expires_at as session_expires_at',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.pending as session_pending',
      (eb) => eb.selectFrom('settings').select('value').where('key', '=', SECURITY_SETTINGS_KEY).as('security_settings'),
    ])
    .where('sessions.id', '=', id);
}

/** SQLite: the session, its user and the settings (built and compiled once: db/compiled-once.ts). */
const sessionQuery = compiledOnce((db, id: string) => sessionUserQuery(db, id));

/**
 * PostgreSQL: the same, with the last-seen time written in the same statement when it is due and the
 * session certainly alive (seen after `safeSeen`, created after `safeCreated`, before its expiry).
 */
const touchingSessionQuery = compiledOnce((db, id: string, at: string, touchBefore: string, safeSeen: string, safeCreated: string) => {
  const seenCol = sql<string>`coalesce(last_seen_at, created_at)`;
  return db
    .with('touched', (qc) =>
      qc
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('id', '=', id)
        .where(seenCol, '<=', touchBefore)
        .where(seenCol, '>', safeSeen)
        .where('created_at', '>', safeCreated)
        .where('expires_at', '>', at)
        .returning('id'),
    )
    .selectFrom(() => sessionUserQuery(db, id).as('s'))
    .selectAll('s')
    .select((eb) => eb.selectFrom('touched').select((e) => e.fn.countAll<string>().as('n')).as('touched'));
});

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof sessionUserQuery>['executeTakeFirst']>>>;
export type SessionUserRow = Omit<Row, 'session_id' | 'session_created_at' | 'session_expires_at' | 'session_last_seen_at' | 'session_pending' | 'security_settings'>;

/**
 * The session check of every request in ONE statement (issue 14): the session, its user with org unit
 * and department, and the security settings together. On PostgreSQL the same statement also writes the
 * last-seen time when it is due (a data-modifying CTE; the SELECT sees the row as it was before), as
 * long as the session is certainly alive under any allowed settings — seen within 5 minutes, younger
 * than an hour, before its expiry —, so the common path is one round trip. The rules themselves (idle
 * and absolute limits of the stored settings) are applied here on the row as read: an ended session is
 * deleted, and a touch the statement could not prove safe is written separately (at most once a minute).
 */
export async function checkSession(
  db: Kysely<DB>,
  dialect: Dialect,
  token: string,
  now: Date,
): Promise<{ session: SessionRow; user: SessionUserRow; settings: SecuritySettings } | null> {
  const id = tokenId(token);
  const t = now.getTime();
  const at = now.toISOString();
  const iso = (ms: number) => new Date(ms).toISOString();
  const row =
    dialect === 'postgres'
      ? (await touchingSessionQuery(db, id, at, iso(t - TOUCH_MS), iso(t - SAFE_IDLE_MS), iso(t - SAFE_AGE_MS)))[0]
      : (await sessionQuery(db, id))[0];
  if (!row) return null;
  const settings = parseSecuritySettings(row.security_settings ?? null);
  const seen = new Date(row.session_last_seen_at ?? row.session_created_at).getTime();
  const ends = Math.min(new Date(row.session_expires_at).getTime(), new Date(row.session_created_at).getTime() + settings.sessionHours * 3600_000);
  if (t >= ends || t - seen >= settings.idleMinutes * 60_000) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  const touched = 'touched' in row && Number(row.touched) > 0;
  if (t - seen >= TOUCH_MS && !touched) await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  const { session_id, session_created_at, session_expires_at: _e, session_last_seen_at: _l, session_pending, security_settings: _s, ...user } = row as Row & { touched?: unknown };
  delete (user as { touched?: unknown }).touched;
  return { session: { id: session_id, userId: user.id, pending: (session_pending as SessionPending) ?? null, createdAt: session_created_at }, user, settings };
}
