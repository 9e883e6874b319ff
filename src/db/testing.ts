import crypto from 'node:crypto';
import pg from 'pg';
import { openStorage, type Dialect, type Storage } from './connect';
import { migrate } from './migrations';

/**
 * Test support: every storage test runs against both databases. PostgreSQL comes from
 * FAZHI_TEST_PG_URL (a superuser URL of a throwaway cluster started by scripts/test.sh); each call
 * creates a fresh database in it. In CI a missing PostgreSQL is an error, not a silent skip.
 */
export function testDialects(): Dialect[] {
  if (process.env.FAZHI_TEST_PG_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error('FAZHI_TEST_PG_URL is not set: storage tests must run on PostgreSQL in CI');
  return ['sqlite'];
}

export interface TestStorage extends Storage {
  /** Closes the connection and drops the throwaway database. */
  dispose(): Promise<void>;
  /** PostgreSQL: the throwaway database's URL, for a second connection (e.g. one that logs queries). */
  url?: string;
}

export async function openTestStorage(dialect: Dialect): Promise<TestStorage> {
  if (dialect === 'sqlite') {
    const s = openStorage({ dataDir: ':memory:', databaseUrl: '' });
    await migrate(s.db, s.dialect);
    return { ...s, dispose: () => s.close() };
  }
  const admin = process.env.FAZHI_TEST_PG_URL;
  if (!admin) throw new Error('FAZHI_TEST_PG_URL is not set');
  const name = `fazhi_t_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const s = openStorage({ databaseUrl: url.toString() });
  await migrate(s.db, s.dialect);
  return {
    ...s,
    url: url.toString(),
    async dispose() {
      await s.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
