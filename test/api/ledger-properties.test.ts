/**
 * Property-based tests of every built-in ledger kind's validation through the API, on both
 * databases: random valid records are stored and read back equal (personal fields sealed and
 * opened on the way); random invalid ones get 400 and write nothing (no row, no audit entry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { BUILTIN_LEDGERS } from '../../src/core/ledgers/kinds';
import { DEPTS, invalidValue, isRequired, validRecord, withDefaults } from '../support/ledger-arbitraries';

describe.each(testDialects())('ledger validation properties (%s)', (dialect) => {
  let h: ApiHarness;
  let admin = '';
  let orgId = 0;
  const deptIds: number[] = [];
  beforeAll(async () => {
    h = await startApi(dialect);
    admin = await h.login('admin');
    orgId = await h.orgId('town_a');
    for (const d of DEPTS) deptIds.push(await h.deptId('town_a', d));
  });
  afterAll(async () => h?.close());

  const counts = async () => ({
    records: Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    audit: Number((await h.storage.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });

  it.each(BUILTIN_LEDGERS.map((d) => [d.kind, d] as const))('%s: a valid record is stored and read back equal', async (_k, def) => {
    await fc.assert(
      fc.asyncProperty(validRecord(def), fc.constantFrom(...deptIds), async (data, deptId) => {
        const r = await h.req(admin, 'POST', `/api/records/${def.kind}`, { orgId, deptId, data });
        expect(r.statusCode, r.body).toBe(201);
        const id = r.json().id as number;
        const back = await h.req(admin, 'GET', `/api/records/${def.kind}/${id}`);
        expect(back.statusCode).toBe(200);
        expect(back.json().data).toEqual(withDefaults(def, data));
      }),
      { numRuns: 12, seed: 20261201 },
    );
  });

  it.each(BUILTIN_LEDGERS.map((d) => [d.kind, d] as const))('%s: an invalid field gets 400 and nothing is written', async (_k, def) => {
    const flags = new Set((def.deadlines ?? []).map((r) => r.extension?.flagField).filter(Boolean));
    const fields = def.fields.filter((f) => !flags.has(f.key));
    const broken = validRecord(def).chain((data) =>
      fc.oneof(
        // one field of the wrong type or out of its rule
        fc.constantFrom(...fields).chain((f) => invalidValue(f).map((v) => ({ ...data, [f.key]: v }))),
        // an unknown key
        fc.constant({ ...data, notAField: 'x' }),
        // a required field (without a default) missing
        ...(fields.some((f) => isRequired(f) && f.default === undefined)
          ? [fc.constantFrom(...fields.filter((f) => isRequired(f) && f.default === undefined)).map((f) => Object.fromEntries(Object.entries(data).filter(([k]) => k !== f.key)))]
          : []),
      ),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (data) => {
        const before = await counts();
        const r = await h.req(admin, 'POST', `/api/records/${def.kind}`, { orgId, deptId: deptIds[0], data });
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().error.message).toMatch(/[\u4e00-\u9fff]/); // a Chinese message
        expect(await counts()).toEqual(before);
      }),
      { numRuns: 12, seed: 20261202 },
    );
  });
});
