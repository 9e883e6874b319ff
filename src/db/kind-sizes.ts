import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';
import { kindIs } from './records-repo';

/**
 * About how many live records a kind holds, counted again at most once per REFRESH_MS in each process.
 *
 * It only chooses how a list counts its matches, never what the count is: a list reports exact totals
 * up to a cap, and a plain `count(*)` costs about 40% less than the capped form (`count(*)` over a
 * subquery with a LIMIT, which SQLite runs as a co-routine handing over one row at a time), but is
 * unbounded on a kind of millions. Where the whole kind holds no more than the cap, no filter can
 * match more, so the plain count is as bounded as the capped one. A stale size can only pick the
 * slower or the unbounded form for a while; both give the same answer (the caller clamps to the cap).
 */
const REFRESH_MS = 60_000;

interface Entry {
  at: number;
  size: Promise<number>;
}

const sizes = new WeakMap<Kysely<DB>, Map<string, Entry>>();

export function kindSize(db: Kysely<DB>, kind: string, now = Date.now()): Promise<number> {
  let byKind = sizes.get(db);
  if (!byKind) sizes.set(db, (byKind = new Map()));
  const hit = byKind.get(kind);
  if (hit && now - hit.at < REFRESH_MS) return hit.size;
  // One count in flight per kind however many requests ask at once; a failed count is not kept.
  const size = db
    .selectFrom('records')
    // Named so that a test reading a list's statements can tell this one apart.
    .select(sql<number>`count(*)`.as('kind_size'))
    .where(kindIs(kind))
    .where('records.deleted_at', 'is', null)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.kind_size));
  const entry = { at: now, size };
  byKind.set(kind, entry);
  size.catch(() => {
    if (byKind.get(kind) === entry) byKind.delete(kind);
  });
  return size;
}
