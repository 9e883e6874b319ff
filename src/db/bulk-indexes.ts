import { sql, type Transaction } from 'kysely';
import type { DB } from './schema';
import type { Storage } from './connect';
import type { LedgerDef } from '../core/ledgers/types';
import { fieldIndexesOf } from './field-indexes';

/** A kind gets its field indexes rebuilt after a bulk insert of at least this many rows… */
export const BULK_REBUILD_MIN = 10_000;

/**
 * Bulk loading on SQLite: inserting row by row into a kind's ten or so field indexes (one B-tree each,
 * keys in no useful order) costs several times the insert itself, while building an index from the
 * finished table is one sort. So when an import creates many rows of a kind — at least
 * BULK_REBUILD_MIN and at least as many as the kind already holds, so the rebuild costs at most
 * about twice the rows written — its field indexes are dropped before and created again after,
 * from the very definitions `migrate` keeps them in line with (field-indexes.ts). All of it inside
 * the import's transaction: a failed import rolls the DDL back with the rows, and other
 * connections keep reading the committed indexes meanwhile (WAL). PostgreSQL keeps its indexes
 * (its bulk path is COPY, and dropping an index there would take a lock readers wait on).
 */
export async function withFieldIndexesDeferred<T>(storage: Storage, trx: Transaction<DB>, creates: ReadonlyMap<LedgerDef, number>, fn: () => Promise<T>): Promise<T> {
  if (!storage.sqlite) return fn();
  const deferred: LedgerDef[] = [];
  for (const [def, n] of creates) {
    if (n < BULK_REBUILD_MIN) continue;
    const held = await sql<{ n: number }>`select count(*) as n from records where kind = ${def.kind}`.execute(trx);
    if (n >= Number(held.rows[0]?.n ?? 0)) deferred.push(def);
  }
  const indexes = deferred.flatMap((d) => fieldIndexesOf(trx, 'sqlite', d));
  for (const ix of indexes) await sql`drop index if exists ${sql.id(ix.name)}`.execute(trx);
  const out = await fn();
  for (const ix of indexes) for (const d of ix.ddl) await d.execute(trx);
  return out;
}
