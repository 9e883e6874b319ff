import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

/** The records behind each side of a rate and of a year-on-year figure. */
describe.each(testDialects())('figure parts on %s', (dialect) => {
  let h: ApiHarness;
  let office: string;
  let town: number;
  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-02-01T02:00:00Z'));
    [office] = await h.logins('office');
    town = await h.orgId('town_a');
    const dept = await h.deptId('town_a', '司法所');
    const add = (kind: string, data: Record<string, unknown>) => h.req(office, 'POST', `/api/records/${kind}`, { deptId: dept, data });
    for (const [i, feedback] of ['满意', '满意', '不满意'].entries()) {
      const r = await add('deputy_suggestion', { title: `建议${i}`, source: '镇人大代表建议', receivedOn: '2023-03-01', repliedOn: '2023-04-01', resultCategory: 'A 已解决或采纳', feedback });
      expect(r.statusCode).toBe(201);
    }
    await add('deputy_suggestion', { title: '未反馈', source: '镇人大代表建议', receivedOn: '2023-05-01', feedback: '未反馈' });
    await add('indicator', { code: 'fraud_110_calls', period: '2022-06', value: 40 });
    await add('indicator', { code: 'fraud_110_calls', period: '2023-06', value: 30 });
    await add('indicator', { code: 'fraud_110_calls', period: '2023-07', value: 5 });
  });
  afterAll(async () => h?.close());

  const records = (key: string, part?: string) =>
    h.req(office, 'GET', `/api/metrics/${key}/records?orgId=${town}&year=2023${part ? `&part=${part}` : ''}`).then((r) => r.json() as { total: number; items: { data: Record<string, unknown> }[] });

  it('lists a rate’s numerator by default and its denominator on request', async () => {
    const m = (await h.req(office, 'GET', `/api/metrics?orgId=${town}&year=2023&keys=deputy_suggestion.satisfaction_rate`)).json();
    expect(m.values['deputy_suggestion.satisfaction_rate']).toBeCloseTo(2 / 3, 6);
    expect((await records('deputy_suggestion.satisfaction_rate')).total).toBe(2);
    const den = await records('deputy_suggestion.satisfaction_rate', 'denominator');
    expect(den.total).toBe(3);
    expect(den.items.map((r) => r.data.feedback).sort()).toEqual(['不满意', '满意', '满意']);
  });

  it('lists a year-on-year figure’s current records by default and last year’s on request', async () => {
    const cur = await records('indicator.fraud_110_calls_yoy');
    expect(cur.items.map((r) => r.data.period).sort()).toEqual(['2023-06', '2023-07']);
    const prev = await records('indicator.fraud_110_calls_yoy', 'previous');
    expect(prev.items.map((r) => r.data.period)).toEqual(['2022-06']);
    expect((await h.req(office, 'GET', `/api/metrics/indicator.fraud_110_calls_yoy/records?orgId=${town}&year=2023&part=both`)).statusCode).toBe(400);
  });
});
