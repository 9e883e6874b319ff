import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics-query';
import { deleteMetricDef, loadMetricDefs, saveMetricDef } from './metrics-defs';
import { insertRecord, ORG, seedOrgs } from './metrics-testdata';
import { openTestStorage, testDialects, type TestStorage } from './testing';

describe.each(testDialects())('custom metric definitions on %s', (dialect) => {
  let s: TestStorage;
  beforeEach(async () => {
    s = await openTestStorage(dialect);
    await seedOrgs(s);
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('validates, stores, loads per org unit and computes them', async () => {
    const def = { key: 'training.warning_sessions', type: 'count', kind: 'training', filters: [{ field: 'trainingType', eq: '警示教育' }], label: '警示教育', unit: '期' };
    expect(await saveMetricDef(s, def, { orgId: ORG.townA })).toEqual({ ok: true, def });
    const bad = await saveMetricDef(s, { ...def, key: 'training.count' });
    expect(bad).toEqual({ ok: false, errors: ['指标键 training.count 是内置指标，请换一个键'] });
    const bad2 = await saveMetricDef(s, { ...def, key: 'training.x', filters: [{ field: 'nope', eq: 1 }] });
    expect(bad2).toEqual({ ok: false, errors: ['筛选条件：台账“培训与学法”没有字段 nope'] });

    // A village under the town sees the town's metric; the other town does not.
    expect((await loadMetricDefs(s, ORG.villageA)).defs.map((d) => d.key)).toEqual(['training.warning_sessions']);
    expect((await loadMetricDefs(s, ORG.townB)).defs).toEqual([]);

    await insertRecord(s, 'training', ORG.townA, { title: '警示', heldOn: '2023-08-01', trainingType: '警示教育', attendees: 40 });
    const r = await computeMetrics(s, { orgId: ORG.townA, period: { year: 2023 }, keys: ['training.warning_sessions'] });
    expect(r.values).toEqual({ 'training.warning_sessions': 1 });

    expect(await deleteMetricDef(s, 'training.warning_sessions')).toBe(true);
    expect((await loadMetricDefs(s, ORG.townA)).defs).toEqual([]);
  });
});
