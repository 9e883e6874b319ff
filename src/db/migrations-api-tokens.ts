import type { Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

/**
 * API tokens for machine clients (issue 13). A service account is a `users` row marked `service = 1`
 * (so every record, audit entry and job names it like a person), which can never sign in with a
 * password; its tokens hold only the SHA-256 of the secret.
 */
export const API_TOKENS_MIGRATION: Migration = {
  name: '0110_api_tokens',
  async up(db: AnyDb, d: Dialect) {
    await db.schema.alterTable('users').addColumn('service', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', d === 'sqlite' ? 'integer' : 'serial', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', 'integer')
      .addColumn('last_used_at', 'text')
      .addColumn('last_used_ip', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id']).execute();
  },
};
