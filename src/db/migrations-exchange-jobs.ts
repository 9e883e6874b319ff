import type { Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

/**
 * Import jobs become exchange jobs: a big export runs as a job too (app/export-jobs.ts), with its
 * progress in the same row and the finished file in `content` until it is fetched or a day old.
 * `direction` says which; `params` keeps what an export selected (the list's query), so the scope
 * can be checked again when the file is fetched.
 */
export const EXCHANGE_JOBS_MIGRATION: Migration = {
  name: '0130_exchange_jobs',
  async up(db: AnyDb, _d: Dialect) {
    await db.schema.alterTable('import_jobs').renameTo('exchange_jobs').execute();
    await db.schema.alterTable('exchange_jobs').addColumn('direction', 'text', (c) => c.notNull().defaultTo('import')).execute();
    await db.schema.alterTable('exchange_jobs').addColumn('params', 'text').execute();
  },
};
