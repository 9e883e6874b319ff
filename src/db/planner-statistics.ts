import { sql } from 'kysely';
import type { Storage } from './connect';

/**
 * The query planner's statistics. PostgreSQL keeps its own (autovacuum analyses the tables as they
 * change). SQLite analyses only when told to, so the server does it at start and every few hours
 * (jobs/planner-statistics-job.ts) through `PRAGMA optimize`, which analyses only the tables whose
 * size moved far from their last statistics, with a bounded sample since SQLite 3.46.
 *
 * Only `sqlite_stat1` (rows per index key) is kept: the `sqlite_stat4` histograms are emptied in
 * the same transaction. With histograms, SQLite marks every statement whose plan could depend on a
 * bound value and plans it again on each execution with new bindings. On `records`, with its partial
 * index per filterable field of every kind, planning costs several times the read itself: the
 * list's page of ids took 100–160 µs instead of 10–18 µs, and its count 520 µs instead of 370 µs.
 * The histograms would only tell skewed field values apart; the indexes that serve a list are chosen
 * by their equality columns, which stat1 describes.
 *
 * Emptying stat4 inside the transaction of the ANALYZE means that other connections, which reload
 * their statistics when they see the schema version ANALYZE bumps, never read the histograms; this
 * connection reloads them by `ANALYZE sqlite_schema` after the commit.
 */
export async function refreshPlannerStatistics(storage: Storage, opts: { full?: boolean } = {}): Promise<void> {
  if (storage.dialect !== 'sqlite') return;
  await storage.db.transaction().execute(async (trx) => {
    // 0x10002: consider every table, not only those this connection has queried (it may be fresh).
    // `full`: every table and index completely, as after a bulk load in a benchmark or a test.
    await (opts.full ? sql`analyze` : sql`pragma optimize = 0x10002`).execute(trx);
    const stat4 = await sql<{ n: number }>`select count(*) as n from sqlite_schema where name = 'sqlite_stat4'`.execute(trx);
    if (Number(stat4.rows[0]?.n ?? 0) > 0) await sql`delete from sqlite_stat4`.execute(trx);
  });
  await sql`analyze sqlite_schema`.execute(storage.db);
}

/**
 * At a server's start the statistics are an optimisation, not a condition: a database whose write lock
 * another process holds past busy_timeout (a long import by another instance) must not stop a start or
 * a worker's restart. The failure is told to the operator; the job tries again later.
 */
export async function refreshStatisticsAtStart(storage: Storage, notify: (message: string) => void): Promise<void> {
  try {
    await refreshPlannerStatistics(storage);
  } catch (e) {
    notify(`查询统计信息未能在启动时更新（稍后由定时任务更新）：${e instanceof Error ? e.message : String(e)}`);
  }
}
