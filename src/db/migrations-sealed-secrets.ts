import type { Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

/**
 * TOTP secrets and attachment file names are sealed under the data key from now on
 * (app/crypto/sealed-text.ts). A migration never sees the key (it lives outside the database), so
 * this one leaves a marker and the start-up's key check (`ensureDataKey` → `sealPendingTexts`)
 * seals the values written before it, in one transaction, and removes the marker.
 */
export const SEALED_SECRETS_MIGRATION: Migration = {
  name: '0120_sealed_secrets',
  async up(db: AnyDb, _d: Dialect) {
    await db.insertInto('settings').values({ key: 'seal_texts_pending', value: '1' }).execute();
  },
};
