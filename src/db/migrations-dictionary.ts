import type { Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

/**
 * The 字典 (core/ledgers/dictionary.ts): the Chinese names of enum values per deployment. Rows are
 * never deleted (a null label is "back to the built-in name"), and `rev` grows with every write, so
 * each instance sees a change by the table's highest `rev` (app/ledger-registry.ts).
 */
export const DICTIONARY_MIGRATION: Migration = {
  name: '0100_dictionary',
  async up(db: AnyDb, _d: Dialect) {
    await db.schema
      .createTable('dictionary_entries')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('rev', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer')
      .addPrimaryKeyConstraint('dictionary_entries_pk', ['kind', 'field', 'value'])
      .execute();
  },
};
