import type { Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

/** Rate-limit counters live in the database so every instance behind a load balancer shares them. */
export const RATE_LIMIT_MIGRATION: Migration = {
  name: '0021_rate_limits',
  async up(db: AnyDb, _d: Dialect) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      // Milliseconds since the epoch; a bigint on PostgreSQL (parsed back to a number in db/connect.ts).
      .addColumn('reset_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
