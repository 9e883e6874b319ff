import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

/**
 * Issue 14: reads stay reads. Lists, records, histories, metrics and to-do lists write no audit entry,
 * create no reminder and touch no record (the reminder sweep runs as a job, never inside a request).
 * And filters on a kind's date field — a date or a month — read the occurred_on column with the same answers.
 */
describe.each(testDialects())('the read path on %s', (dialect) => {
  let h: ApiHarness;
  let sfs: string, office: string;
  let sfsDept: number;
  const ids: number[] = [];

  beforeAll(async () => {
    h = await startApi(dialect);
    [sfs, office] = await h.logins('clerk_sfs', 'office');
    sfsDept = await h.deptId('town_a', '司法所');
    for (const [i, heldOn] of ['2023-03-14', '2023-05-02', '2023-05-31', '2024-01-09'].entries()) {
      const r = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { title: `培训${i}`, heldOn, trainingType: i % 2 ? '警示教育' : '执法人员培训', attendees: 10 + i } });
      expect(r.statusCode).toBe(201);
      ids.push(r.json().id);
    }
    for (const [i, period] of ['2023-04', '2023-05', '2023-06'].entries()) {
      const r = await h.req(office, 'POST', '/api/records/indicator', { deptId: sfsDept, data: { code: 'fraud_110_calls', period, value: i } });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(async () => h?.close());

  const snapshot = async () => {
    const db = h.storage.db;
    const n = async (t: 'audit_log' | 'notifications' | 'records') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await db.selectFrom('records').select(['id', 'version', 'updated_at', 'deadline_state']).orderBy('id').execute();
    return { audit: await n('audit_log'), notifications: await n('notifications'), records: await n('records'), rows };
  };

  it('lists, reads, histories, metrics and to-do lists write nothing', async () => {
    const before = await snapshot();
    const gets: [string, string[]][] = [
      [`/api/records/training?${encodeURI('f.trainingType=执法人员培训&year=2023&sort=heldOn&order=desc')}`, [sfs, office]],
      ['/api/records/training?sort=attendees&order=asc', [sfs, office]],
      [`/api/records/training/${ids[0]}`, [sfs, office]],
      [`/api/records/training/${ids[0]}/history`, [sfs, office]],
      ['/api/todo', [sfs, office]],
      ['/api/metrics?year=2023&keys=training.sum_attendees,training.count', [office]],
    ];
    for (const [url, whos] of gets) for (const who of whos) expect((await h.req(who, 'GET', url)).statusCode, url).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it('filters and sorts on the date field through occurred_on with the answers of the field itself', async () => {
    const list = async (q: string) => (await h.req(office, 'GET', `/api/records/training?${q}`)).json().items.map((r: { data: { heldOn: string } }) => r.data.heldOn);
    expect(await list('f.heldOn.from=2023-05-01&f.heldOn.to=2023-05-31&sort=heldOn&order=asc')).toEqual(['2023-05-02', '2023-05-31']);
    expect(await list('f.heldOn=2023-03-14,2024-01-09&sort=heldOn&order=desc')).toEqual(['2024-01-09', '2023-03-14']);
    // A month field: 2023-05 is stored in occurred_on as 2023-05-01, and a filter on it still means the month.
    const periods = async (q: string) => (await h.req(office, 'GET', `/api/records/indicator?${q}`)).json().items.map((r: { data: { period: string } }) => r.data.period);
    expect(await periods('f.period=2023-05')).toEqual(['2023-05']);
    expect(await periods('f.period.from=2023-05&f.period.to=2023-06&sort=period&order=asc')).toEqual(['2023-05', '2023-06']);
  });
});
