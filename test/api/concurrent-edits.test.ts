/**
 * A write answers with the record as that write left it. Read back after the commit, the answer could
 * carry another writer's newer version (seen under the mixed load: "version 115 acknowledged twice"), and a
 * client saving again with it would overwrite the other writer's change without a conflict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testDialects, type TestStorage } from '../../src/db/testing';
import { createContext, systemActor, type AppContext } from '../../src/app/context';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { createRecord, updateRecord } from '../../src/app/records';
import { AppError } from '../../src/core/errors';

describe.each(testDialects())('concurrent edits of one record on %s', (dialect) => {
  let s: TestStorage;
  let ctx: AppContext;
  let orgId: number;
  let deptId: number;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    ctx = createContext(s, () => new Date('2025-06-01T02:00:00Z'));
    await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: ['司法所'] }], []);
    orgId = (await s.db.selectFrom('org_units').select('id').where('code', '=', 'town').executeTakeFirstOrThrow()).id;
    deptId = (await s.db.selectFrom('departments').select('id').where('org_id', '=', orgId).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.dispose());

  it('acknowledge every version once, each answer holding the data of its own edit', async () => {
    const rec = await createRecord(ctx, systemActor(), 'training', { orgId, deptId, data: { title: '起始', heldOn: '2025-03-01', trainingType: '警示教育', attendees: 5 } });
    expect(rec.version).toBe(1);
    const acked: { version: number; title: unknown; mine: string }[] = [];
    let conflicts = 0;
    // Eight writers, each reading the latest version and saving on it, twenty times over.
    const writer = async (w: number) => {
      for (let i = 0; i < 20; i++) {
        const cur = await s.db.selectFrom('records').select(['version', 'data']).where('id', '=', rec.id).executeTakeFirstOrThrow();
        const mine = `写入者${w}第${i}次`;
        try {
          const view = await updateRecord(ctx, systemActor(), 'training', rec.id, { version: cur.version, data: { title: mine, heldOn: '2025-03-01', trainingType: '警示教育', attendees: 5 } });
          acked.push({ version: view.version, title: view.data.title, mine });
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== 'CONFLICT') throw e;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    expect(acked.length + conflicts).toBe(160);
    expect(acked.length).toBeGreaterThan(0);
    const versions = acked.map((a) => a.version);
    expect(new Set(versions).size, `versions acknowledged more than once: ${versions.filter((v, i) => versions.indexOf(v) !== i).join(', ')}`).toBe(versions.length);
    for (const a of acked) expect(a.title).toBe(a.mine);
    // Every acknowledged edit is one version step: the last is the record's version now.
    const now = await s.db.selectFrom('records').select('version').where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(Math.max(...versions)).toBe(now.version);
    expect(now.version).toBe(1 + acked.length);
  }, 60_000);
});
