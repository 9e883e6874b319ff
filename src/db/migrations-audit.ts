import { sql, type Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { Migration } from './migrations';
import { GENESIS_HASH, entryHash, hashAlgFrom, type ChainedContent } from '../core/audit/chain';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

const APPEND_ONLY = '审计记录只可追加，不可修改';
const PRUNE_ONLY = '审计记录只可追加，不可删除（过期记录只能由保留期清理删除）';

/**
 * The audit hash chain: seq, prev_hash, hash and alg on every entry, the chain head (one row,
 * locked by every writer so concurrent transactions chain one after another), checkpoints left by
 * retention pruning, and triggers that refuse an UPDATE of an entry and a DELETE of an entry not
 * covered by a checkpoint. Entries written before are chained here in id order.
 */
export const AUDIT_CHAIN_MIGRATION: Migration = {
  name: '0020_audit_chain',
  async up(db: AnyDb, d: Dialect) {
    await db.schema.alterTable('audit_log').addColumn('seq', 'integer').execute();
    await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('alg', 'text').execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('id', d === 'sqlite' ? 'integer' : 'serial', (c) => c.primaryKey())
      .addColumn('through_seq', 'integer', (c) => c.notNull())
      .addColumn('through_id', 'integer', (c) => c.notNull())
      .addColumn('through_hash', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('pruned', 'integer', (c) => c.notNull())
      .execute();

    // Chain what is there, in the order it was written.
    const alg = hashAlgFrom(process.env.FAZHI_AUDIT_HASH);
    let prev = GENESIS_HASH;
    let seq = 0;
    let lastId = 0;
    for (;;) {
      const rows = (await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(1000).execute()) as (ChainedContent & { id: number })[];
      if (!rows.length) break;
      for (const r of rows) {
        seq += 1;
        const content: ChainedContent = { ...r, seq, prev_hash: prev };
        const hash = entryHash(alg, content);
        await db.updateTable('audit_log').set({ seq, prev_hash: prev, hash, alg }).where('id', '=', r.id).execute();
        prev = hash;
        lastId = r.id;
      }
    }
    await db.insertInto('audit_head').values({ id: 1, seq, hash: prev }).execute();
    await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_user').on('audit_log').columns(['username', 'at']).execute();

    if (d === 'sqlite') {
      await sql.raw(`create trigger audit_log_no_update before update on audit_log begin select raise(abort, '${APPEND_ONLY}'); end`).execute(db);
      await sql
        .raw(
          `create trigger audit_log_prune_only before delete on audit_log
           when old.seq is null or old.seq > (select coalesce(max(through_seq), 0) from audit_checkpoints)
           begin select raise(abort, '${PRUNE_ONLY}'); end`,
        )
        .execute(db);
    } else {
      await sql
        .raw(
          `create or replace function fazhi_audit_guard() returns trigger language plpgsql as $$
           begin
             if tg_op = 'UPDATE' then raise exception '${APPEND_ONLY}'; end if;
             if old.seq is null or old.seq > (select coalesce(max(through_seq), 0) from audit_checkpoints) then
               raise exception '${PRUNE_ONLY}';
             end if;
             return old;
           end $$`,
        )
        .execute(db);
      await sql.raw(`create trigger audit_log_guard before update or delete on audit_log for each row execute function fazhi_audit_guard()`).execute(db);
    }
  },
};
