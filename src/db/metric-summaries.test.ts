import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import { DEADLINE_STATES, type FieldDef, type LedgerDef } from '../core/ledgers/types';
import type { MetricValue } from '../core/metrics';
import { compareTowns, computeMetrics } from './metrics-query';
import { MEDIATION_ROOM, ORG, insertRecord, seedOrgs } from './metrics-testdata';
import { monthRange, summarySpecs } from './metric-summaries';
import { openTestStorage, testDialects, type TestStorage } from './testing';

/** A small seeded generator (mulberry32), so a failure can be reproduced from the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random value for a field, often absent, sometimes empty or outside the options (legacy data). */
function randomValue(f: FieldDef, r: () => number): unknown {
  if (r() < 0.15) return undefined;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const day = () => {
    const d = new Date(Date.UTC(2022, 5, 1) + Math.floor(r() * 760) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  switch (f.type) {
    case 'date':
      return day();
    case 'month':
      return day().slice(0, 7);
    case 'int':
      return Math.floor(r() * 50);
    case 'number':
      return Math.round((r() * 200 - 20) * 10) / 10;
    case 'money':
      return Math.round(r() * 1_000_000) / 100;
    case 'bool':
      return r() < 0.5;
    case 'enum':
      return r() < 0.05 ? '已停用的选项' : pick(f.options ?? ['甲']);
    case 'multienum':
      return (f.options ?? []).filter(() => r() < 0.3);
    case 'text':
    case 'longtext':
    case 'person':
    case 'dept':
      return r() < 0.1 ? '' : `${f.label}${Math.floor(r() * 5)}`;
    default:
      return undefined;
  }
}

async function randomRecords(s: TestStorage, r: () => number, n: number, ledgers: readonly LedgerDef[]): Promise<void> {
  const orgs = [ORG.townA, ORG.townB, ORG.villageA];
  for (let i = 0; i < n; i++) {
    const ledger = ledgers[Math.floor(r() * ledgers.length)]!;
    const data: Record<string, unknown> = {};
    for (const f of ledger.fields) {
      const v = randomValue(f, r);
      if (v !== undefined) data[f.key] = v;
    }
    const states = ledger.flow?.states.map((x) => x.key) ?? [];
    await insertRecord(s, ledger.kind, orgs[Math.floor(r() * orgs.length)]!, data, {
      ledgers,
      status: states.length && r() < 0.8 ? states[Math.floor(r() * states.length)]! : null,
      deadlineState: r() < 0.6 ? DEADLINE_STATES[Math.floor(r() * DEADLINE_STATES.length)]! : null,
      deleted: r() < 0.05,
    });
  }
}

/** Figures equal, sums of money and indicator values up to float rounding of a different addition order. */
function expectSameFigures(a: Record<string, MetricValue>, b: Record<string, MetricValue>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [k, v] of Object.entries(a)) {
    const w = b[k];
    if (typeof v === 'number' && typeof w === 'number' && !Number.isInteger(v)) expect(w, k).toBeCloseTo(v, 6);
    else expect(w, k).toEqual(v);
  }
}

describe('monthRange', () => {
  it('accepts whole months only', () => {
    expect(monthRange({ from: '2023-01-01', to: '2023-12-31' })).toEqual({ from: '2023-01', to: '2023-12' });
    expect(monthRange({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ from: '2024-02', to: '2024-02' });
    expect(monthRange({ from: '2023-02-01', to: '2023-02-28' })).toEqual({ from: '2023-02', to: '2023-02' });
    expect(monthRange({ from: '2023-01-01', to: '2023-12-01' })).toBeNull(); // 截至12月1日
    expect(monthRange({ from: '2023-01-02', to: '2023-12-31' })).toBeNull();
  });
});

describe.each(testDialects())('metric summaries on %s', (dialect) => {
  let s: TestStorage;
  const year = { year: 2023 };
  const fromRecords = (orgId: number, period: { year: number } | { from: string; to: string } = year) =>
    computeMetrics(s, { orgId, includeDescendants: true, period, defs: [], summaries: false });
  const fromSummaries = (orgId: number, period: { year: number } | { from: string; to: string } = year) =>
    computeMetrics(s, { orgId, includeDescendants: true, period, defs: [], summaries: true });

  beforeAll(async () => {
    s = await openTestStorage(dialect);
    await seedOrgs(s);
    await randomRecords(s, rng(20231), 1500, BUILTIN_LEDGERS);
  }, 120_000);
  afterAll(async () => s.dispose());

  it('keeps the aggregates of every built-in kind', () => {
    const specs = summarySpecs(BUILTIN_LEDGERS);
    for (const l of BUILTIN_LEDGERS) expect(specs.get(l.kind)?.specs.size, l.kind).toBeGreaterThan(0);
  });

  it('gives every built-in metric the same figure as the records, per town, for the district and per quarter', async () => {
    for (const org of [ORG.townA, ORG.townB, ORG.villageA, ORG.district]) {
      expectSameFigures((await fromRecords(org)).values, (await fromSummaries(org)).values);
    }
    const q2 = { from: '2023-04-01', to: '2023-06-30' };
    expectSameFigures((await fromRecords(ORG.district, q2)).values, (await fromSummaries(ORG.district, q2)).values);
    const built = await s.db.selectFrom('metric_buckets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(built.n)).toBeGreaterThan(100);
  });

  it('compares the towns of the district side by side with the same figures and totals', async () => {
    const a = await compareTowns(s, ORG.district, year, undefined, { defs: [], summaries: false });
    const b = await compareTowns(s, ORG.district, year, undefined, { defs: [], summaries: true });
    expect(b.towns.map((t) => t.orgId)).toEqual(a.towns.map((t) => t.orgId));
    a.towns.forEach((t, i) => expectSameFigures(t.values, b.towns[i]!.values));
    expectSameFigures(a.totals, b.totals);
  });

  it('reads the buckets, not the records, once they are built', async () => {
    const live = (await fromRecords(ORG.townB)).values['training.count'];
    expect(live).toBeGreaterThan(0);
    expect((await fromSummaries(ORG.townB)).values['training.count']).toBe(live);
    // Buckets gone but the pair still marked as built and clean: the summaries now count nothing.
    await s.db.deleteFrom('metric_buckets').where('org_id', '=', ORG.townB).where('kind', '=', 'training').execute();
    expect((await fromSummaries(ORG.townB)).values['training.count']).toBe(0);
    // A change marks the pair dirty again and the next read rebuilds it.
    await s.db.updateTable('records').set({ updated_at: '2024-03-01T00:00:00.000Z' }).where('org_id', '=', ORG.townB).where('kind', '=', 'training').execute();
    expect((await fromSummaries(ORG.townB)).values['training.count']).toBe(live);
  });

  it('follows every change of the records: create, edit into another month, state change, delete, raw bulk update', async () => {
    await fromSummaries(ORG.townA); // built and clean
    const id = await insertRecord(s, 'training', ORG.townA, { title: '新增培训', heldOn: '2023-07-03', trainingType: '执法人员培训', attendees: 31 });
    expect((await fromSummaries(ORG.townA)).values['training.count']).toBe((await fromRecords(ORG.townA)).values['training.count']);
    await s.db.updateTable('records').set({ data: JSON.stringify({ title: '改期', heldOn: '2024-01-09', trainingType: '执法人员培训', attendees: 31 }), occurred_on: '2024-01-09' }).where('id', '=', id).execute();
    expectSameFigures((await fromRecords(ORG.townA)).values, (await fromSummaries(ORG.townA)).values);
    // What the reminder sweep does: many deadline states at once in one statement.
    await s.db.updateTable('records').set({ deadline_state: '逾期' }).where('kind', '=', 'disclosure_request').where('org_id', '=', ORG.townB).execute();
    expectSameFigures((await fromRecords(ORG.townB)).values, (await fromSummaries(ORG.townB)).values);
    await s.db.updateTable('records').set({ deleted_at: '2024-02-01T00:00:00.000Z' }).where('kind', '=', 'petition').where('org_id', '=', ORG.villageA).execute();
    await s.db.deleteFrom('records').where('kind', '=', 'consultation').where('org_id', '=', ORG.townA).execute();
    expectSameFigures((await fromRecords(ORG.district)).values, (await fromSummaries(ORG.district)).values);
  });

  it('rebuilds when the kept aggregates change (a new version of a kind) and reads a custom kind', async () => {
    const custom = MEDIATION_ROOM;
    const v1 = [...BUILTIN_LEDGERS, custom];
    await randomRecords(s, rng(7), 60, [custom]);
    const withKinds = (summaries: boolean, ledgers: readonly LedgerDef[]) =>
      computeMetrics(s, { orgId: ORG.district, includeDescendants: true, period: year, defs: [], summaries, ledgers });
    expectSameFigures((await withKinds(false, v1)).values, (await withKinds(true, v1)).values);
    const v2 = [...BUILTIN_LEDGERS, { ...custom, version: 2, fields: [...custom.fields.slice(0, 2), ...custom.fields.slice(3), { ...custom.fields[2]!, options: ['家事', '邻里', '其他'] }] }];
    expect(summarySpecs(v2).get('mediation_room')!.hash).not.toBe(summarySpecs(v1).get('mediation_room')!.hash);
    const live = await withKinds(false, v2);
    expect(live.values['mediation_room.by_kind2']).toBeDefined();
    expectSameFigures(live.values, (await withKinds(true, v2)).values);
  });
});
