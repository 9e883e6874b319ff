import { sql, type Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { DB } from './schema';
import { AUDIT_CHAIN_MIGRATION } from './migrations-audit';
import { RATE_LIMIT_MIGRATION } from './migrations-rate-limit';
import { DICTIONARY_MIGRATION } from './migrations-dictionary';
import { API_TOKENS_MIGRATION } from './migrations-api-tokens';
import { SEALED_SECRETS_MIGRATION } from './migrations-sealed-secrets';
import { EXCHANGE_JOBS_MIGRATION } from './migrations-exchange-jobs';
import { syncFieldIndexes } from './field-indexes';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists. */
type AnyDb = Kysely<any>;

export interface Migration {
  name: string;
  up(db: AnyDb, dialect: Dialect): Promise<void>;
}

const id = (dialect: Dialect) => (dialect === 'sqlite' ? 'integer' : 'serial');
const json = (dialect: Dialect) => (dialect === 'sqlite' ? 'text' : 'jsonb');
const blob = (dialect: Dialect) => (dialect === 'sqlite' ? 'blob' : 'bytea');

/** Forward-only. Never edit an applied migration: add a new one. */
export const MIGRATIONS: Migration[] = [
  {
    name: '0001_foundation',
    async up(db, d) {
      await db.schema
        .createTable('org_units')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('path', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('departments')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addUniqueConstraint('departments_org_name', ['org_id', 'name'])
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('dept_id', 'integer', (c) => c.references('departments.id'))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema
        .createTable('ledger_defs')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addPrimaryKeyConstraint('ledger_defs_pk', ['kind', 'version'])
        .execute();
      await db.schema
        .createTable('records')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('dept_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('occurred_on', 'text')
        .addColumn('status', 'text')
        .addColumn('due_on', 'text')
        .addColumn('closed_on', 'text')
        .addColumn('deadline_state', 'text')
        .addColumn('deadline_rule', 'text')
        .addColumn('data', json(d), (c) => c.notNull())
        .addColumn('clock', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Lists and metrics filter live records by org, kind, (department,) and a date range of occurred_on.
      const live = sql<boolean>`deleted_at is null`;
      await db.schema.createIndex('records_org_kind_date').on('records').columns(['org_id', 'kind', 'occurred_on']).where(live).execute();
      await db.schema.createIndex('records_org_kind_dept_date').on('records').columns(['org_id', 'kind', 'dept_id', 'occurred_on']).where(live).execute();
      // Platform-wide lists (admin) page by date within a kind.
      await db.schema.createIndex('records_kind_date').on('records').columns(['kind', 'occurred_on']).where(live).execute();
      await db.schema.createIndex('records_deleted').on('records').columns(['org_id', 'kind', 'deleted_at']).where(sql<boolean>`deleted_at is not null`).execute();
      // The reminder sweep and to-do lists read only records whose deadline is still running.
      await db.schema
        .createIndex('records_open_due')
        .on('records')
        .columns(['due_on'])
        .where(sql<boolean>`deadline_state in ('正常', '临期', '逾期') and deleted_at is null`)
        .execute();
      // The sweep also recomputes running deadlines whose clock is stopped (by flow state).
      await db.schema
        .createIndex('records_open_stopped')
        .on('records')
        .columns(['kind', 'status'])
        .where(sql<boolean>`deadline_state in ('正常', '临期', '逾期') and deleted_at is null`)
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('username', 'text')
        .addColumn('ip', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('kind', 'text')
        .addColumn('org_id', 'integer')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity', 'entity_id']).execute();
      await db.schema
        .createTable('calendar_overrides')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('updated_by', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('declared_by', 'integer')
        .addColumn('declared_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('record_id', 'integer')
        .addColumn('kind', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
      await db.schema
        .createTable('jobs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('locked_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_run_at', 'text')
        .addColumn('last_result', 'text')
        .execute();
      await db.schema
        .createTable('metric_defs')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'integer')
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .addUniqueConstraint('reports_org_year_version', ['org_id', 'year', 'version'])
        .execute();
      await db.schema
        .createTable('attachments')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', blob(d), (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .execute();
      await db.schema.createIndex('attachments_record').on('attachments').columns(['record_id']).execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  AUDIT_CHAIN_MIGRATION,
  RATE_LIMIT_MIGRATION,
  {
    // 身份鉴别: login throttling counted in the database, password history and expiry, forced change,
    // TOTP second factor with recovery codes, idle sessions and sessions waiting for their second factor.
    name: '0010_identity',
    async up(db, d) {
      await db.schema
        .createTable('login_throttle')
        // 'acct:<user name>|<address>' or 'addr:<address>' or 'totp:<user id>'
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('username', 'text')
        .addColumn('ip', 'text')
        .execute();
      await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();
      await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
      await db.schema.alterTable('users').addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
      await db.schema
        .createTable('password_history')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'id']).execute();
      await db.schema
        .createTable('totp_recovery')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('totp_recovery_pk', ['user_id', 'code_hash'])
        .execute();
      await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
      // null: a full session; 'totp': waits for the second factor; 'enrol': must enrol one first.
      await db.schema.alterTable('sessions').addColumn('pending', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
      // Order of opening within a user (timestamps tie under a frozen clock): the session limit ends the oldest.
      await db.schema.alterTable('sessions').addColumn('seq', 'integer').execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();
    },
  },
  {
    // Personal fields are sealed inside records.data (SM4 + HMAC-SM3); their blind index lives
    // beside it for equality filters; attachments say whether their content is sealed (rows from
    // before encryption are sealed by the start-up pass, see app/crypto/reseal.ts).
    name: '0030_pii_encryption',
    async up(db) {
      await db.schema.alterTable('records').addColumn('pii_index', 'text').execute();
      await db.schema.alterTable('attachments').addColumn('sealed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  {
    // Issue 10: the signature block (an org unit's full issuing name; a report's 主送机关, 成文日期 and
    // no-data mode as JSON settings) and the second-person rule (who moved the report to 审核).
    name: '0051_report_signature',
    async up(db) {
      await db.schema.alterTable('org_units').addColumn('issuing_name', 'text').execute();
      await db.schema.alterTable('reports').addColumn('settings', 'text').execute();
      await db.schema.alterTable('reports').addColumn('submitted_by', 'integer').execute();
    },
  },
  {
    // A second statutory report (政府信息公开工作年度报告) beside the 法治政府建设情况报告: one row per
    // (org, type, year, version). The old unique key (org, year, version) is replaced.
    name: '0060_report_type',
    async up(db, d) {
      await db.schema.alterTable('reports').addColumn('type', 'text', (c) => c.notNull().defaultTo('rule_of_law')).execute();
      if (d === 'postgres') {
        await sql`alter table reports drop constraint reports_org_year_version`.execute(db);
      } else {
        // SQLite cannot drop a table constraint: rebuild the table from its own DDL (whatever columns
        // other migrations added), with the new key, and copy the rows.
        const row = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'reports'`.execute(db);
        const ddl = row.rows[0]?.sql ?? '';
        const without = ddl.replace(/,\s*constraint\s+"?reports_org_year_version"?\s+unique\s*\([^)]*\)/i, '');
        if (without === ddl) throw new Error('0060_report_type: reports_org_year_version not found in the reports DDL');
        await sql.raw(without.replace(/^create table\s+"?reports"?/i, 'create table "reports_0060"')).execute(db);
        await sql`insert into reports_0060 select * from reports`.execute(db);
        await sql`drop table reports`.execute(db);
        await sql`alter table reports_0060 rename to reports`.execute(db);
      }
      await db.schema.createIndex('reports_org_type_year_version').on('reports').columns(['org_id', 'type', 'year', 'version']).unique().execute();
    },
  },
  {
    // Import jobs: progress of a big import for the web app (any instance can answer the poll), its
    // result or every error, and the uploaded file while it failed (for the copy with bad cells marked).
    name: '0070_import_jobs',
    async up(db, d) {
      await db.schema
        .createTable('import_jobs')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('content', blob(d))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('import_jobs_user').on('import_jobs').columns(['user_id', 'id']).execute();
    },
  },
  {
    // Per org unit, kind, date field and month, the aggregates the metrics need (src/db/metric-summaries.ts).
    // Triggers on `records` mark an (org unit, kind) dirty in the writing transaction itself, whatever
    // the path (record commands, bulk import, sweep, calendar recompute); roll-ups rebuild dirty pairs.
    name: '0090_metric_summaries',
    async up(db, d) {
      await db.schema
        .createTable('metric_buckets')
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('spec_key', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('vals', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('metric_buckets_pk', ['kind', 'spec_key', 'org_id', 'month'])
        .execute();
      await db.schema.createIndex('metric_buckets_org').on('metric_buckets').columns(['org_id', 'kind']).execute();
      await db.schema
        .createTable('metric_built')
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('built_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('metric_built_pk', ['kind', 'org_id'])
        .execute();
      await db.schema
        .createTable('metric_dirty')
        .addColumn('id', id(d), (c) => c.primaryKey())
        .addColumn('org_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('metric_dirty_kind_org').on('metric_dirty').columns(['kind', 'org_id']).execute();
      if (d === 'sqlite') {
        // One writer at a time on SQLite, and a rebuild writes before it reads (metric-summaries.ts):
        // a mark that is already there need not be added again.
        const mark = (row: 'NEW' | 'OLD') =>
          `INSERT INTO metric_dirty(org_id, kind) SELECT ${row}.org_id, ${row}.kind WHERE NOT EXISTS (SELECT 1 FROM metric_dirty WHERE kind = ${row}.kind AND org_id = ${row}.org_id);`;
        await sql.raw(`CREATE TRIGGER records_summary_ins AFTER INSERT ON records BEGIN ${mark('NEW')} END`).execute(db);
        await sql.raw(`CREATE TRIGGER records_summary_upd AFTER UPDATE ON records BEGIN ${mark('NEW')} ${mark('OLD')} END`).execute(db);
        await sql.raw(`CREATE TRIGGER records_summary_del AFTER DELETE ON records BEGIN ${mark('OLD')} END`).execute(db);
      } else {
        // Statement-level with transition tables: one mark per (org unit, kind) a statement touches, so a
        // bulk insert adds a handful of rows, not one per record. Always inserted (no "already marked"
        // check): a rebuild running concurrently may be about to consume the existing mark.
        for (const [event, tables, sel] of [
          ['INSERT', 'NEW TABLE AS n', 'SELECT DISTINCT org_id, kind FROM n'],
          ['UPDATE', 'OLD TABLE AS o NEW TABLE AS n', 'SELECT org_id, kind FROM n UNION SELECT org_id, kind FROM o'],
          ['DELETE', 'OLD TABLE AS o', 'SELECT DISTINCT org_id, kind FROM o'],
        ] as const) {
          const fn = `records_summary_${event.toLowerCase()}`;
          await sql
            .raw(
              `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO metric_dirty(org_id, kind) ${sel}; RETURN NULL; END $$`,
            )
            .execute(db);
          await sql.raw(`CREATE TRIGGER ${fn} AFTER ${event} ON records REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`).execute(db);
        }
      }
      // Records written before this migration: every (org unit, kind) starts dirty.
      await sql`insert into metric_dirty(org_id, kind) select distinct org_id, kind from records`.execute(db);
    },
  },
  DICTIONARY_MIGRATION,
  API_TOKENS_MIGRATION,
  SEALED_SECRETS_MIGRATION,
  EXCHANGE_JOBS_MIGRATION,
];

/**
 * Applies pending migrations in order, each in its own transaction; returns the names applied now.
 * `upTo` stops after the named migration (tests build an older schema with it to check upgrades).
 */
export async function migrate(db: Kysely<DB>, dialect: Dialect, opts: { upTo?: string } = {}): Promise<string[]> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  if (dialect === 'postgres') {
    // Several instances may start at once: serialize migrations on an advisory lock.
    await sql`select pg_advisory_lock(727001)`.execute(db);
  }
  try {
    const done = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
    const applied: string[] = [];
    for (const m of MIGRATIONS) {
      if (!done.has(m.name)) {
        await db.transaction().execute(async (trx) => {
          await m.up(trx as AnyDb, dialect);
          await trx.insertInto('schema_migrations').values({ name: m.name, applied_at: new Date().toISOString() }).execute();
        });
        applied.push(m.name);
      }
      if (m.name === opts.upTo) break;
    }
    // An older schema on purpose (upTo) keeps the indexes it had.
    if (opts.upTo === undefined) await syncFieldIndexes(db, dialect, await currentDefinitions(db));
    return applied;
  } finally {
    if (dialect === 'postgres') await sql`select pg_advisory_unlock(727001)`.execute(db);
  }
}

export async function appliedMigrations(db: Kysely<DB>): Promise<string[]> {
  return (await db.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
}

/**
 * Every kind's active definition, for the indexes derived from them (db/field-indexes.ts): not a
 * migration, since built-in kinds change with the code and custom kinds with their definitions.
 */
async function currentDefinitions(db: Kysely<DB>): Promise<LedgerDef[]> {
  const custom = new Map<string, LedgerDef>();
  for (const r of await db.selectFrom('ledger_defs').select(['kind', 'definition']).orderBy('version').execute()) custom.set(r.kind, JSON.parse(r.definition) as LedgerDef);
  return [...BUILTIN_LEDGERS, ...custom.values()];
}
