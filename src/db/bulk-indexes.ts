import { sql, type Transaction } from 'kysely';
import type { DB } from './schema';
import type { Storage } from './connect';
import type { LedgerDef } from '../core/ledgers/types';
import { fieldIndexesOf } from './field-indexes';

/** A kind gets its field indexes rebuilt after a bulk insert of at least this many rows… */
export const BULK_REBUILD_MIN = 10_000;

/** SQLite's row-level trigger that marks a record's (org unit, kind) for its metric summaries (migrations.ts). */
const SUMMARY_INSERT_TRIGGER = 'records_summary_ins';

/**
 * Bulk loading on SQLite: inserting row by row into a kind's ten or so field indexes (one B-tree each,
 * keys in no useful order) costs several times the insert itself, while building an index from the
 * finished table is one sort. So when an import creates many rows of a kind — at least
 * BULK_REBUILD_MIN and at least as many as the kind already holds, so the rebuild costs at most
 * about twice the rows written — its field indexes are dropped before and created again after,
 * from the very definitions `migrate` keeps them in line with (field-indexes.ts).
 *
 * The summary trigger is treated the same way when at least BULK_REBUILD_MIN rows are created: run
 * once per row it is about a third of a big import's insert time, for marks that name the same few
 * (org unit, kind) pairs over and over. It is dropped before and created again after from its own
 * stored text, and the pairs of the new rows (ids past the highest before) are marked in one
 * statement — the same marks the trigger would have left.
 *
 * All of it inside the import's transaction, which holds SQLite's one write lock throughout (BEGIN
 * IMMEDIATE), so no other writer inserts while the trigger is away; a failed import rolls the DDL
 * back with the rows, and other connections keep reading the committed schema meanwhile (WAL).
 * PostgreSQL keeps its indexes and its statement-level trigger, which marks once per COPY anyway
 * (dropping either there would take a lock readers wait on).
 */
export async function withBulkLoadDeferred<T>(storage: Storage, trx: Transaction<DB>, creates: ReadonlyMap<LedgerDef, number>, fn: () => Promise<T>): Promise<T> {
  if (!storage.sqlite) return fn();
  const deferred: LedgerDef[] = [];
  let total = 0;
  for (const [def, n] of creates) {
    total += n;
    if (n < BULK_REBUILD_MIN) continue;
    const held = await sql<{ n: number }>`select count(*) as n from records where kind = ${def.kind}`.execute(trx);
    if (n >= Number(held.rows[0]?.n ?? 0)) deferred.push(def);
  }
  const indexes = deferred.flatMap((d) => fieldIndexesOf(trx, 'sqlite', d));
  for (const ix of indexes) await sql`drop index if exists ${sql.id(ix.name)}`.execute(trx);
  const trigger =
    total >= BULK_REBUILD_MIN
      ? (await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = ${SUMMARY_INSERT_TRIGGER}`.execute(trx)).rows[0]?.sql
      : undefined;
  let lastId = 0;
  if (trigger) {
    lastId = Number((await sql<{ m: number | null }>`select max(id) as m from records`.execute(trx)).rows[0]?.m ?? 0);
    await sql`drop trigger ${sql.id(SUMMARY_INSERT_TRIGGER)}`.execute(trx);
  }
  const out = await fn();
  if (trigger) {
    await sql`insert into metric_dirty(org_id, kind)
      select distinct r.org_id, r.kind from records r
      where r.id > ${lastId} and not exists (select 1 from metric_dirty m where m.kind = r.kind and m.org_id = r.org_id)`.execute(trx);
    await sql.raw(trigger).execute(trx);
  }
  for (const ix of indexes) for (const d of ix.ddl) await d.execute(trx);
  return out;
}
