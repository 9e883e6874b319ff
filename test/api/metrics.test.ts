import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { startApi, type ApiHarness } from '../support/api';
import { TOWN_A_LINES, TOWN_B_LINES } from '../acceptance/small-towns';


describe.each(testDialects())('metrics API on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, clerk: string, leader: string, admin: string, adviser: string, officeB: string;
  let townA: number, townB: number;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', TOWN_A_LINES);
    await importLines(h.ctx, systemActor(), 'town_b', TOWN_B_LINES);
    [office, clerk, leader, admin, adviser, officeB] = (await Promise.all(['office', 'clerk_sfs', 'leader', 'admin', 'adviser', 'office_b'].map((u) => h.login(u)))) as [string, string, string, string, string, string];
    townA = await h.orgId('town_a');
    townB = await h.orgId('town_b');
  });
  afterAll(async () => h?.close());

  it('returns every figure with its label, unit and the filter that produced it', async () => {
    const r = await h.req(office, 'GET', '/api/metrics?year=2023');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m.orgId).toBe(townA);
    expect(m.values['training.count']).toBe(3);
    expect(m.values['training.enforcement_sessions']).toBe(2);
    expect(m.values['training.enforcement_attendees']).toBe(55);
    expect(m.values['training.by_trainingType']).toMatchObject({ 执法人员培训: 2, 领导干部学法: 1 });
    expect(m.values['beneficiaries']).toBe(303);
    // A rate without a denominator is no data, not 0%.
    expect(m.values['deputy_suggestion.satisfaction_rate']).toBeNull();
    expect(m.values['training.enforcement_sessions_yoy'] ?? null).toBeNull();
    expect(m.defs['training.enforcement_sessions']).toMatchObject({ label: expect.any(String), unit: '期', kind: 'training' });
    const src = m.sources['training.enforcement_sessions'];
    expect(src.filters).toEqual([{ field: 'trainingType', eq: '执法人员培训' }]);
    expect(src.period).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(src.explain).toContain('执法人员培训');
    // Only some keys, and a bad key is a 400 in Chinese.
    const some = await h.req(office, 'GET', '/api/metrics?year=2023&keys=training.count,publicity_activity.count');
    expect(Object.keys(some.json().values).sort()).toEqual(['publicity_activity.count', 'training.count']);
    const bad = await h.req(office, 'GET', '/api/metrics?year=2023&keys=nope.count');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('指标不存在');
  });

  it('computes a quarter, a month or any date range, and lists the records of that period', async () => {
    const keys = 'keys=training.count,training.enforcement_attendees';
    const q2 = await h.req(office, 'GET', `/api/metrics?year=2023&quarter=2&${keys}`);
    expect(q2.statusCode).toBe(200);
    expect(q2.json()).toMatchObject({ period: { from: '2023-04-01', to: '2023-06-30' }, periodLabel: '2023年第二季度' });
    expect(q2.json().values).toMatchObject({ 'training.count': 2, 'training.enforcement_attendees': 31 });
    expect(q2.json().sources['training.count'].period).toEqual({ from: '2023-04-01', to: '2023-06-30' });
    const march = await h.req(office, 'GET', `/api/metrics?year=2023&month=3&${keys}`);
    expect(march.json()).toMatchObject({ periodLabel: '2023年3月', values: { 'training.count': 1, 'training.enforcement_attendees': 24 } });
    const range = await h.req(office, 'GET', `/api/metrics?from=2023-03-01&to=2023-06-10&${keys}`);
    expect(range.json()).toMatchObject({ year: 2023, period: { from: '2023-03-01', to: '2023-06-10' }, values: { 'training.count': 2 } });
    const recs = await h.req(office, 'GET', '/api/metrics/training.count/records?year=2023&quarter=2');
    expect(recs.json().total).toBe(2);
    expect(recs.json().items.map((x: { data: { heldOn: string } }) => x.data.heldOn).sort()).toEqual(['2023-06-02', '2023-06-20']);
    expect((await h.req(office, 'GET', '/api/metrics/training.count/records?from=2023-06-15&to=2023-12-31')).json().total).toBe(1);
    // Refused in Chinese: two kinds of period at once, half a range, a range backwards, quarter 5.
    for (const bad of ['year=2023&quarter=1&month=2', 'from=2023-01-01', 'from=2023-06-01&to=2023-01-01', 'year=2023&quarter=5', 'from=2023-02-30&to=2023-03-01']) {
      const r = await h.req(office, 'GET', `/api/metrics?${bad}&keys=training.count`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().error.message, bad).toMatch(/期间|季度|日期/);
    }
  });

  it('is scope-checked: clerks and advisers are refused, a town cannot read another, the district sees both', async () => {
    for (const c of [clerk, adviser]) {
      const r = await h.req(c, 'GET', '/api/metrics?year=2023');
      expect(r.statusCode).toBe(403);
      expect(r.json().error.message).toMatch(/无权查看/);
    }
    expect((await h.req(office, 'GET', `/api/metrics?orgId=${townB}&year=2023`)).statusCode).toBe(403);
    expect((await h.req(officeB, 'GET', `/api/metrics?orgId=${townB}&year=2023`)).json().values['training.count']).toBe(1);
    const qu = await h.orgId('qu');
    const d = await h.req(admin, 'GET', `/api/metrics?orgId=${qu}&year=2023&keys=publicity_activity.count,publicity_activity.materials`);
    expect(d.json().values).toEqual({ 'publicity_activity.count': 3, 'publicity_activity.materials': 730 });
    expect((await h.req(null, 'GET', '/api/metrics?year=2023')).statusCode).toBe(401);
  });

  it('lists the records behind a figure, paginated, with personal data masked for leaders', async () => {
    const r = await h.req(office, 'GET', `/api/metrics/training.enforcement_sessions/records?orgId=${townA}&year=2023&pageSize=1`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(r.json().items).toHaveLength(1);
    const p2 = await h.req(office, 'GET', `/api/metrics/training.enforcement_sessions/records?orgId=${townA}&year=2023&pageSize=1&page=2`);
    expect(p2.json().items[0].id).not.toBe(r.json().items[0].id);
    expect(p2.json().items[0]).toMatchObject({ kind: 'training', orgName: '甲镇', data: { trainingType: '执法人员培训' } });
    // One value of a by_ metric, as value= or as key[value].
    const byValue = await h.req(office, 'GET', `/api/metrics/training.by_trainingType/records?year=2023&value=${encodeURIComponent('领导干部学法')}`);
    expect(byValue.json().total).toBe(1);
    const byKey = await h.req(office, 'GET', `/api/metrics/${encodeURIComponent('training.by_trainingType[领导干部学法]')}/records?year=2023`);
    expect(byKey.json().items[0].data.title).toBe('党委中心组学法');
    // A composite spans kinds.
    const ben = await h.req(office, 'GET', '/api/metrics/beneficiaries/records?year=2023');
    expect(ben.json().items.map((x: { kind: string }) => x.kind).sort()).toEqual(['legal_consultation', 'publicity_activity']);
    const asOffice = await h.req(office, 'GET', '/api/metrics/disclosure_request.count/records?year=2023');
    const asLeader = await h.req(leader, 'GET', '/api/metrics/disclosure_request.count/records?year=2023');
    const names = (res: typeof asOffice) => res.json().items.map((x: { data: { applicant: string } }) => x.data.applicant).sort();
    expect(names(asOffice)).toEqual(['张三丰', '李四']);
    expect(names(asLeader)).toEqual(['张**', '李*']);
    expect((await h.req(office, 'GET', '/api/metrics/nope/records?year=2023')).statusCode).toBe(400);
  });

  it('lets the admin define a town metric, checked against the ledgers, and computes it', async () => {
    const def = {
      key: 'training.big_sessions',
      type: 'count',
      kind: 'training',
      label: '大型培训',
      unit: '期',
      filters: [{ field: 'attendees', in: [24, 31, 50] }],
    };
    expect((await h.req(office, 'POST', '/api/metric-defs', def)).statusCode).toBe(403);
    const ok = await h.req(admin, 'POST', '/api/metric-defs', def);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ key: 'training.big_sessions', orgId: null });
    const list = await h.req(admin, 'GET', '/api/metric-defs');
    expect(list.json().items.map((d: { key: string }) => d.key)).toContain('training.big_sessions');
    const m = await h.req(office, 'GET', '/api/metrics?year=2023&keys=training.big_sessions');
    expect(m.json().values['training.big_sessions']).toBe(2);

    const badField = await h.req(admin, 'POST', '/api/metric-defs', { ...def, key: 'training.bad', filters: [{ field: 'nope', eq: 1 }] });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.message).toContain('没有字段 nope');
    const builtin = await h.req(admin, 'POST', '/api/metric-defs', { ...def, key: 'training.count' });
    expect(builtin.json().error.message).toContain('内置指标');
    const shape = await h.req(admin, 'POST', '/api/metric-defs', { key: 'x.y', type: 'median' });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.message).toContain('指标类型');
    const audit = await h.storage.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity', '=', 'metric_def').execute();
    expect(audit).toEqual([{ action: 'define', entity_id: 'training.big_sessions' }]);
  });

  it('gives the dashboard: headline figures with year-on-year change, months, departments, on-time rates', async () => {
    const r = await h.req(office, 'GET', '/api/dashboard?year=2023');
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d.scope).toBe('org');
    const att = d.figures.find((f: { key: string }) => f.key === 'training.enforcement_attendees');
    expect(att).toMatchObject({ value: 55, unit: '人次' });
    expect(att.yoy).toBeCloseTo((55 - 20) / 20, 6);
    expect(d.byMonth.training).toEqual([0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(d.byMonth.training).toHaveLength(12);
    expect(d.byDept).toEqual(
      expect.arrayContaining([
        { dept: '司法所', count: 3 },
        { dept: '党政办公室', count: 3 },
        { dept: '综合行政执法队', count: 1 },
      ]),
    );
    expect(d.byDept).toHaveLength(3);
    const disclosure = d.onTime.find((o: { kind: string }) => o.kind === 'disclosure_request');
    expect(disclosure).toMatchObject({ label: expect.any(String), rate: null });

    // A clerk sees only their department's records, counted per ledger.
    const c = (await h.req(clerk, 'GET', '/api/dashboard?year=2023')).json();
    expect(c.scope).toBe('dept');
    expect(c.byDept).toEqual([{ dept: '司法所', count: 3 }]);
    expect(c.figures.find((f: { key: string }) => f.key === 'training.count')).toMatchObject({ value: 1, yoy: 0 });
    expect(c.figures.map((f: { key: string }) => f.key)).not.toContain('disclosure_request.count');
    expect((await h.req(clerk, 'GET', `/api/dashboard?year=2023&orgId=${townB}`)).statusCode).toBe(403);
    expect((await h.req(adviser, 'GET', '/api/dashboard?year=2023')).statusCode).toBe(403);
    expect((await h.req(office, 'GET', `/api/dashboard?year=2023&orgId=${townB}`)).statusCode).toBe(403);
  });
});
