import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import { createContext, systemActor, type AppContext } from '../app/context';
import { seedOrgsAndUsers } from '../app/seed';
import { importLines } from '../app/exchange';
import { listRecords, setDeleted } from '../app/records';
import { kindSize } from './kind-sizes';

describe.each(testDialects())('the size of a kind, and the count a list chooses by it, on %s', (dialect) => {
  let s: TestStorage;
  let ctx: AppContext;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    ctx = createContext(s, () => new Date('2025-12-20T02:00:00Z'));
    await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: ['司法所'] }], []);
    const lines = Array.from({ length: 30 }, (_, i) => ({ line: i + 1, value: { kind: 'training', dept: '司法所', title: `培训${i}`, heldOn: `2025-0${(i % 9) + 1}-15`, trainingType: i % 3 ? '警示教育' : '以案释法', attendees: i } }));
    await importLines(ctx, systemActor(), 'town', lines);
  });
  afterAll(async () => s?.dispose());

  it('counts the live records of the kind, and again only once the minute has passed', async () => {
    const t = Date.now() + 3_600_000; // ahead of the lists' own calls, which then find the entry fresh
    expect(await kindSize(s.db, 'training', t)).toBe(30);
    expect(await kindSize(s.db, 'dispute', t)).toBe(0);
    const first = await listRecords(ctx, systemActor(), 'training', { page: 1, pageSize: 1 });
    await setDeleted(ctx, systemActor(), 'training', first.items[0]!.id, true);
    expect(await kindSize(s.db, 'training', t + 59_000)).toBe(30); // within the minute: the size kept
    expect(await kindSize(s.db, 'training', t + 60_000)).toBe(29); // deleted records are not counted
    await setDeleted(ctx, systemActor(), 'training', first.items[0]!.id, false);
    expect(await kindSize(s.db, 'training', t + 120_000)).toBe(30);
  });

  it('gives the same totals whichever way the list counts: plainly within the cap, capped beyond it', async () => {
    const q = { page: 1, pageSize: 5, filters: { trainingType: '警示教育' } };
    const plain = await listRecords(ctx, systemActor(), 'training', { ...q, countCap: 30 }); // kind of 30: plain count
    const capped = await listRecords(ctx, systemActor(), 'training', { ...q, countCap: 25 }); // bigger than the cap: capped
    expect(plain).toMatchObject({ total: 20, totalCapped: false });
    expect(capped).toMatchObject({ total: 20, totalCapped: false });
    expect(capped.items).toEqual(plain.items);
    expect(await listRecords(ctx, systemActor(), 'training', { ...q, countCap: 19 })).toMatchObject({ total: 19, totalCapped: true });
    expect(await listRecords(ctx, systemActor(), 'training', { page: 1, pageSize: 5, countCap: 30 })).toMatchObject({ total: 30, totalCapped: false });
  });
});
