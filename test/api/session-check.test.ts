/**
 * Issue 14 item 2: the session check of a request is one statement (session, user and security
 * settings; on PostgreSQL the due last-seen write too), and still applies the idle and absolute limits
 * of the stored settings. Statements are counted on a logging handle over the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import type { DB } from '../../src/db/schema';
import { testDialects } from '../../src/db/testing';
import { checkSession } from '../../src/app/identity/session-check';
import { startApi, type ApiHarness } from '../support/api';

describe.each(testDialects())('the session check on %s', (dialect) => {
  let h: ApiHarness;
  let clock = new Date('2026-05-06T02:00:00.000Z');
  let logged: Kysely<DB>;
  const statements: CompiledQuery[] = [];
  const tokenOf = (cookie: string) => cookie.replace(/^fazhi_sid=/, '');
  const lastSeen = async (token: string) => {
    const { tokenId } = await import('../../src/app/identity/sessions');
    return (await h.storage.db.selectFrom('sessions').select('last_seen_at').where('id', '=', tokenId(token)).executeTakeFirst())?.last_seen_at;
  };
  const check = async (token: string) => {
    statements.length = 0;
    return checkSession(logged, dialect, token, clock);
  };

  beforeAll(async () => {
    h = await startApi(dialect, () => clock);
    const log = (e: LogEvent) => {
      if (e.level === 'query') statements.push(e.query);
    };
    logged =
      dialect === 'sqlite'
        ? new Kysely<DB>({ dialect: new SqliteDialect({ database: h.storage.sqlite! }), log })
        : new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: h.storage.pgUrl!, max: 1 }) }), log });
  }, 120_000);
  afterAll(async () => {
    if (dialect === 'postgres') await logged?.destroy();
    await h?.close();
  });

  it('reads session, user and settings in one statement, and writes the last-seen time at most once a minute', async () => {
    const token = tokenOf(await h.login('office'));
    const first = await check(token);
    expect(first?.user.username).toBe('office');
    expect(first?.settings.idleMinutes).toBe(30);
    expect(statements.length).toBe(1);
    const seen = await lastSeen(token);
    // 90 seconds later the touch is due: still one statement on PostgreSQL (the CTE writes it), two on SQLite.
    clock = new Date(clock.getTime() + 90_000);
    expect(await check(token)).not.toBeNull();
    expect(statements.length).toBe(dialect === 'postgres' ? 1 : 2);
    expect(await lastSeen(token)).toBe(clock.toISOString());
    expect(await lastSeen(token)).not.toBe(seen);
    // Right after, nothing is due: one read, no write.
    clock = new Date(clock.getTime() + 1_000);
    expect(await check(token)).not.toBeNull();
    expect(statements.length).toBe(1);
  });

  it('ends a session idle past the stored limit, even one the statement would have touched', async () => {
    const token = tokenOf(await h.login('leader'));
    await h.storage.db.insertInto('settings').values({ key: 'security', value: JSON.stringify({ idleMinutes: 5 }) }).execute();
    try {
      clock = new Date(clock.getTime() + 5 * 60_000);
      expect(await check(token)).toBeNull();
      expect(await lastSeen(token)).toBeUndefined(); // deleted
    } finally {
      await h.storage.db.deleteFrom('settings').where('key', '=', 'security').execute();
    }
  });

  it('ends a session at its absolute limit (12 hours) however busy it is', async () => {
    const token = tokenOf(await h.login('adviser'));
    const start = clock.getTime();
    // A request every 20 minutes keeps it within the idle limit for 12 hours, not a minute longer.
    for (let at = start + 20 * 60_000; at < start + 12 * 3600_000; at += 20 * 60_000) {
      clock = new Date(at);
      expect(await check(token), clock.toISOString()).not.toBeNull();
    }
    clock = new Date(start + 12 * 3600_000);
    expect(await check(token)).toBeNull();
    expect(await lastSeen(token)).toBeUndefined();
  });

  it('gives nothing for an unknown token', async () => {
    expect(await check('no-such-token')).toBeNull();
    expect(statements.length).toBe(1);
  });
});
