import type { Storage } from '../db/connect';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';
import { checkLedgerDefinition } from '../core/ledgers/definition';
import { AppError } from '../core/errors';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { createFieldIndexes } from '../db/field-indexes';
import { applyDictionary, type DictionaryEntry } from '../core/ledgers/dictionary';

/**
 * The active definition of every kind: built-ins from code, custom kinds from `ledger_defs`
 * (latest version), with the 字典's names of enum values laid over them (core/ledgers/dictionary.ts).
 * Instances are stateless: the cache is refreshed when the table's row count (or the dictionary's
 * highest `rev`) changes, which another instance's write makes visible within a second.
 */
export class LedgerRegistry {
  private custom = new Map<string, LedgerDef>();
  private seen = -1;
  private dictRev = -1;
  private entries: DictionaryEntry[] = [];
  private applied: LedgerDef[] = [...BUILTIN_LEDGERS];
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
    const { rev } = await db
      .selectFrom('dictionary_entries')
      .select((eb) => eb.fn.max<number | null>('rev').as('rev'))
      .executeTakeFirstOrThrow();
    const dictRev = Number(rev ?? 0);
    const changed = force || Number(n) !== this.seen || dictRev !== this.dictRev;
    if (Number(n) !== this.seen || force) {
      const rows = await db.selectFrom('ledger_defs').selectAll().orderBy('version').execute();
      const m = new Map<string, LedgerDef>();
      for (const r of rows) m.set(r.kind, JSON.parse(r.definition) as LedgerDef);
      this.custom = m;
      this.seen = Number(n);
    }
    if (dictRev !== this.dictRev || force) {
      this.entries = await db.selectFrom('dictionary_entries').select(['kind', 'field', 'value', 'label']).execute();
      this.dictRev = dictRev;
    }
    if (changed) this.applied = applyDictionary(this.raw(), this.entries);
    // Only a completed check counts: until then every caller waits for it (a fresh process's first requests).
    this.checkedAt = Date.now();
  }

  /** The definitions without the dictionary: their built-in names (the 字典 screen's 默认名称). */
  raw(): LedgerDef[] {
    return [...BUILTIN_LEDGERS, ...this.custom.values()];
  }

  async all(): Promise<LedgerDef[]> {
    await this.refresh();
    return [...this.applied];
  }

  /**
   * Called inside write transactions too (updateRecordIn), where SQLite's one connection is taken: a
   * kind already known is returned from the cache at once and the cache refreshed in the background
   * (a refresh awaited there would wait for the connection its own transaction holds). The server
   * loads the cache before it listens (server/app.ts), so the dictionary's names are there from the start.
   */
  async get(kind: string): Promise<LedgerDef> {
    const known = this.applied.find((x) => x.kind === kind);
    if (known) {
      this.refresh().catch(() => undefined);
      return known;
    }
    // A kind not known here may just have been defined on another instance: look now, unthrottled.
    await this.refresh(true);
    const d = this.applied.find((x) => x.kind === kind);
    if (!d) throw new AppError('NOT_FOUND', `台账类型“${kind}”不存在`);
    return d;
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
    this.applied = applyDictionary(this.raw(), this.entries);
    return applyDictionary([def], this.entries)[0]!;
  }
}
