import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import { compiledOnce } from './compiled-once';

describe.each(testDialects())('a statement compiled once on %s', (dialect) => {
  let s: TestStorage;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    await s.db.insertInto('settings').values([{ key: 'co.a', value: '1' }, { key: 'co.b', value: '2' }, { key: 'co.c', value: '3' }]).execute();
  });
  afterAll(async () => s?.dispose());

  it('answers each call with its own values, the same as the query built anew', async () => {
    let built = 0;
    const q = compiledOnce((db, from: string, to: string) => {
      built++;
      return db.selectFrom('settings').select(['key', 'value']).where('key', '>=', from).where('key', '<=', to).where('key', 'like', 'co.%').orderBy('key');
    });
    expect(await q(s.db, 'co.a', 'co.b')).toEqual([{ key: 'co.a', value: '1' }, { key: 'co.b', value: '2' }]);
    expect(await q(s.db, 'co.b', 'co.c')).toEqual([{ key: 'co.b', value: '2' }, { key: 'co.c', value: '3' }]);
    expect(await q(s.db, 'co.c', 'co.c')).toEqual(await s.db.selectFrom('settings').select(['key', 'value']).where('key', '>=', 'co.c').where('key', '<=', 'co.c').orderBy('key').execute());
    expect(built).toBe(1);
  });

  it('keeps the constants the builder wrote, and the same value in two places', async () => {
    const q = compiledOnce((db, key: string) => db.selectFrom('settings').select('value').where((eb) => eb.or([eb('key', '=', key), eb('key', '=', 'co.c')])).where(sql<boolean>`${key} = ${key}`).orderBy('key'));
    expect((await q(s.db, 'co.a')).map((r) => r.value)).toEqual(['1', '3']);
    expect((await q(s.db, 'co.b')).map((r) => r.value)).toEqual(['2', '3']);
  });

  it('refuses a builder that computes with a value instead of passing it on', async () => {
    const q = compiledOnce((db, key: string) => db.selectFrom('settings').select('value').where('key', '=', `${key}x`));
    await expect(q(s.db, 'co.a')).rejects.toThrow(/not a parameter/);
  });
});
