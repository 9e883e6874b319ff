import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * A job's lease in table `jobs`: whoever moves `locked_until` forward with an UPDATE whose WHERE
 * requires it to have expired holds the job. The database decides between instances (one row,
 * one atomic UPDATE), so two servers never run the same job at the same time.
 */
export async function tryLease(db: Kysely<DB>, name: string, owner: string, now: Date, holdMs: number): Promise<boolean> {
  const at = now.toISOString();
  await db
    .insertInto('jobs')
    .values({ name, locked_until: null, locked_by: null, last_run_at: null, last_result: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const until = new Date(now.getTime() + holdMs).toISOString();
  const r = await db
    .updateTable('jobs')
    .set({ locked_until: until, locked_by: owner })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records the outcome and keeps the lease until `nextAt`, so no instance repeats the run before
 * its interval is over; released at once (nextAt = now) after a failure so another may retry.
 * Only the holder can finish: a lease that expired and was taken over is left alone.
 */
export async function finishLease(db: Kysely<DB>, name: string, owner: string, now: Date, nextAt: Date, result: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_until: nextAt.toISOString(), last_run_at: now.toISOString(), last_result: result.slice(0, 2000) })
    .where('name', '=', name)
    .where('locked_by', '=', owner)
    .execute();
}

export async function jobStatus(db: Kysely<DB>, name: string) {
  return db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
}
