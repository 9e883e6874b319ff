import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for /api/health and logs (no password). */
  describe: string;
  /** The SQLite driver handle, for the bulk-insert path (same connection, so same transaction). */
  sqlite?: Database.Database;
  /** The PostgreSQL pool, for the operator's pool-use metrics. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string;
  /** Folder of the SQLite file `fazhi.db` (default ./data). `:memory:` for a throwaway database. */
  dataDir?: string;
}

// PostgreSQL returns int8 (count(*)) and numeric (sum over JSON values) as strings; the domain wants numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openStorage(opts: StorageOptions = {}): Storage {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.FAZHI_PG_POOL ?? 10) });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool opens a new one on the next query.
    pool.on('error', (err) => console.error(`PostgreSQL connection error: ${err.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const safe = url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');
    return { db, dialect: 'postgres', describe: safe, pool, close: () => db.destroy() };
  }
  const dir = opts.dataDir ?? process.env.FAZHI_DATA ?? path.resolve('data');
  let file = ':memory:';
  if (dir !== ':memory:') {
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'fazhi.db');
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: file, sqlite, close: () => db.destroy() };
}
