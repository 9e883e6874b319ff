import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * A statement of fixed shape, built and compiled by kysely once per database handle instead of on every
 * call. Building the query tree and compiling it to SQL is a tenth of a millisecond for the session
 * check, paid on every request; only its values change. The builder is called once with stand-ins for
 * the values; each call then runs the compiled SQL with the stand-ins replaced by the call's values.
 *
 * Only for statements whose SQL does not depend on the values (no IN list of a value's length, no
 * value written into the SQL as a literal): the builder is typed with the values' types, so that it
 * reads like any query, but receives stand-ins and must pass each one to kysely untouched — one that
 * does not come out as a parameter of the statement (computed with, or left out) is refused.
 */
class Slot {
  constructor(readonly index: number) {}
}

export function compiledOnce<V extends unknown[], O>(build: (db: Kysely<DB>, ...values: V) => Compilable<O>) {
  const cache = new WeakMap<Kysely<DB>, { sql: string; query: CompiledQuery['query']; parts: (number | { value: unknown })[] }>();
  return async (db: Kysely<DB>, ...values: V): Promise<O[]> => {
    let c = cache.get(db);
    if (!c) {
      const slots = values.map((_, i) => new Slot(i)) as unknown as V;
      const compiled = build(db, ...slots).compile();
      const parts = compiled.parameters.map((p) => (p instanceof Slot ? p.index : { value: p }));
      // Every stand-in must reach the SQL exactly as a parameter, or the statement is not of fixed shape.
      for (let i = 0; i < values.length; i++) if (!parts.includes(i)) throw new Error(`compiledOnce: value ${i} is not a parameter of the statement`);
      c = { sql: compiled.sql, query: compiled.query, parts };
      cache.set(db, c);
    }
    const parameters = c.parts.map((p) => (typeof p === 'number' ? values[p] : p.value));
    const r = await db.executeQuery<O>({ sql: c.sql, parameters, query: c.query, queryId: createQueryId() });
    return r.rows;
  };
}
