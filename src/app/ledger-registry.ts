import type { Storage } from '../db/connect';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';
import { checkLedgerDefinition } from '../core/ledgers/definition';
import { AppError } from '../core/errors';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { createFieldIndexes } from '../db/field-indexes';

/**
 * The active definition of every kind: built-ins from code, custom kinds from `ledger_defs`
 * (latest version). Instances are stateless: the cache is refreshed when the table's row count
 * changes, which another instance's define makes visible at once.
 */
export class LedgerRegistry {
  private custom = new Map<string, LedgerDef>();
  private seen = -1;
  private checkedAt = 0;
  /** The check under way: concurrent requests wait for it rather than read a cache not loaded yet. */
  private inflight: Promise<void> | null = null;

  constructor(private readonly storage: Storage) {}

  /** `db` is the transaction when called inside one (SQLite has a single connection). */
  async refresh(force = false, db: Kysely<DB> = this.storage.db): Promise<void> {
    if (force) return this.load(true, db);
    if (this.inflight) return this.inflight;
    if (Date.now() - this.checkedAt < 1000) return;
    this.inflight = this.load(false, db).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async load(force: boolean, db: Kysely<DB>): Promise<void> {
    const { n } = await db
      .selectFrom('ledger_defs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) !== this.seen || force) {
      const rows = await db.selectFrom('ledger_defs').selectAll().orderBy('version').execute();
      const m = new Map<string, LedgerDef>();
      for (const r of rows) m.set(r.kind, JSON.parse(r.definition) as LedgerDef);
      this.custom = m;
      this.seen = Number(n);
    }
    // Only a completed check counts: until then every caller waits for it (a fresh process's first requests).
    this.checkedAt = Date.now();
  }

  async all(): Promise<LedgerDef[]> {
    await this.refresh();
    return [...BUILTIN_LEDGERS, ...this.custom.values()];
  }

  async get(kind: string): Promise<LedgerDef> {
    const b = BUILTIN_LEDGERS.find((d) => d.kind === kind);
    if (b) return b;
    await this.refresh();
    const c = this.custom.get(kind);
    if (!c) throw new AppError('NOT_FOUND', `台账类型“${kind}”不存在`);
    return c;
  }

  /** Stores a new custom kind or a new version of one; returns the stored definition. */
  async define(db: Kysely<DB>, input: unknown, userId: number | null, at: string): Promise<LedgerDef> {
    await this.refresh(true, db);
    const kind = (input as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && BUILTIN_LEDGERS.some((d) => d.kind === kind)) {
      throw new AppError('VALIDATION', `“${kind}”是内置台账，不能修改定义`);
    }
    const previous = typeof kind === 'string' ? this.custom.get(kind) : undefined;
    const def = checkLedgerDefinition(input, previous);
    // Defining the same thing again is not a new version.
    if (previous && JSON.stringify({ ...previous, version: 0 }) === JSON.stringify({ ...def, version: 0 })) return previous;
    await db
      .insertInto('ledger_defs')
      .values({ kind: def.kind, version: def.version, definition: JSON.stringify(def), created_at: at, created_by: userId })
      .execute();
    // Its field indexes in the same transaction: a kind is never listed without them.
    await createFieldIndexes(db, this.storage.dialect, def);
    this.custom.set(def.kind, def);
    this.seen = -1;
    return def;
  }
}
