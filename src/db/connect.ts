import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import os from 'node:os';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { DB } from './schema';
import { namePreparedStatements, preparedStatementsEnabled } from './pg-prepared';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for /api/health and logs (no password). */
  describe: string;
  /** The SQLite driver handle, for the bulk-insert path (same connection, so same transaction). */
  sqlite?: Database.Database;
  /** The PostgreSQL connection string, for pg_dump in `fazhi backup` (never logged: see `describe`). */
  pgUrl?: string;
  /** The PostgreSQL pool, for the operator's pool-use metrics. */
  pool?: pg.Pool;
  /**
   * The pool's client whose server process has this pid (`select pg_backend_pid()`): how the COPY
   * path (db/copy-records.ts) finds the very connection of a kysely transaction, which kysely does
   * not hand out.
   */
  pgClientOf?: (pid: number) => pg.PoolClient | undefined;
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
    const pool = new pg.Pool({ connectionString: url, max: pgPoolSize() });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool opens a new one on the next query.
    pool.on('error', (err) => console.error(`PostgreSQL connection error: ${err.message}`));
    const byPid = new Map<number, pg.PoolClient>();
    // processID comes with BackendKeyData, before the client is ready and the pool says 'connect'.
    pool.on('connect', (c) => byPid.set((c as unknown as { processID: number }).processID, c));
    if (preparedStatementsEnabled()) pool.on('connect', namePreparedStatements);
    pool.on('remove', (c) => byPid.delete((c as unknown as { processID: number }).processID));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const safe = url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');
    return { db, dialect: 'postgres', describe: safe, pgUrl: url, pool, pgClientOf: (pid) => byPid.get(pid), close: () => db.destroy() };
  }
  const dir = opts.dataDir ?? process.env.FAZHI_DATA ?? path.resolve('data');
  let file = ':memory:';
  if (dir !== ':memory:') {
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'fazhi.db');
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction acknowledged to the user survives a power cut, not only a process crash (备份与恢复).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted content is overwritten, not left in free pages (GB/T 22239 剩余信息保护).
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Reads of a large kind (metrics, counts) touch many pages: map the file (no read() per page) and
  // keep 64 MB of pages per connection instead of SQLite's default 2 MB.
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cachedStatements(sqlite) }) });
  return { db, dialect: 'sqlite', describe: file, sqlite, close: () => db.destroy() };
}

/**
 * Connections per process: FAZHI_PG_POOL, else twice the cores shared among the worker processes
 * (FAZHI_WORKERS, see server/cluster.ts), at least 4 — a pool much larger than the cores only queues
 * the same work inside PostgreSQL, and N workers × pool must stay under its max_connections.
 */
export function pgPoolSize(): number {
  if (process.env.FAZHI_PG_POOL) return Number(process.env.FAZHI_PG_POOL);
  const cores = os.availableParallelism();
  const workers = Math.max(1, Number(process.env.FAZHI_WORKERS ?? 1) || 1);
  return Math.max(4, Math.ceil((2 * cores) / workers));
}

/**
 * Transactions start with BEGIN IMMEDIATE: several server processes share one SQLite file
 * (FAZHI_WORKERS), and a deferred transaction that reads and then writes fails at once with
 * SQLITE_BUSY when another process wrote in between (busy_timeout does not retry that upgrade);
 * an immediate one takes the write lock first and waits its turn under busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }
    })(this.cfg);
  }
}

/**
 * Kysely prepares every statement anew; preparing is a good part of a short query's cost on SQLite.
 * The same SQL text gets the same prepared statement back (SQLite re-prepares it by itself after a
 * schema change). Kysely runs one statement at a time on the connection, so a statement is never in
 * use twice. The cache is cleared when it holds too many texts (an IN list of each length is one).
 */
function cachedStatements(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text);
      if (!stmt) {
        if (cache.size >= 500) cache.clear();
        stmt = sqlite.prepare(text) as unknown as SqliteStatement;
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}
