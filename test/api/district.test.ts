import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { DISTRICT_METRIC_KEYS } from '../../src/app/district';
import { inspectDocx } from '../../src/documents/docx-inspect';
import { startApi, type ApiHarness } from '../support/api';
import { TOWN_A_LINES, TOWN_B_LINES } from '../acceptance/small-towns';

describe.each(testDialects())('district API on %s', (dialect) => {
  let h: ApiHarness;
  let sup: string, admin: string, office: string, leader: string;
  let qu: number, townA: number, townB: number;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', TOWN_A_LINES);
    await importLines(h.ctx, systemActor(), 'town_b', TOWN_B_LINES);
    [sup, admin, office, leader] = (await Promise.all(['super', 'admin', 'office', 'leader'].map((u) => h.login(u)))) as [string, string, string, string];
    [qu, townA, townB] = (await Promise.all(['qu', 'town_a', 'town_b'].map((c) => h.orgId(c)))) as [number, number, number];
  });
  afterAll(async () => h?.close());

  it('puts the towns side by side with totals and ranks', async () => {
    const r = await h.req(sup, 'GET', `/api/district/compare?orgId=${qu}&year=2023`);
    expect(r.statusCode).toBe(200);
    const c = r.json();
    expect(c.districtName).toBe('测试区');
    expect(c.towns.map((t: { name: string }) => t.name)).toEqual(['甲镇', '乙镇']);
    const [a, b] = c.towns;
    expect(a.values['publicity_activity.count']).toBe(1);
    expect(b.values['publicity_activity.count']).toBe(2);
    expect(c.totals['publicity_activity.count']).toBe(3);
    expect(c.totals['training.enforcement_attendees']).toBe(105);
    // Issue 10: only metrics that say which way is better are ranked; counts of work are not.
    expect(c.ranks['publicity_activity.count']).toBeUndefined();
    expect(c.ranks['training.enforcement_attendees']).toBeUndefined();
    expect(c.metrics.find((x: { key: string }) => x.key === 'publicity_activity.count').rankOrder).toBeUndefined();
    expect(c.metrics.find((x: { key: string }) => x.key === 'petition.count').rankOrder).toBeUndefined();
    expect(c.metrics.find((x: { key: string }) => x.key === 'petition.on_time_rate')).toMatchObject({ rankOrder: 'desc' });
    expect(c.metrics.find((x: { key: string }) => x.key === 'petition.overdue')).toMatchObject({ rankOrder: 'asc' });
    // Fewer corrected decisions is better: ranked lowest first (both none: both first).
    expect(c.metrics.find((x: { key: string }) => x.key === 'enforcement_case.major_corrected')).toMatchObject({ rankOrder: 'asc' });
    expect(c.ranks['enforcement_case.major_corrected']).toEqual({ [String(townA)]: 1, [String(townB)]: 1 });
    // No data: no rank, and a rate stays null in the totals.
    expect(c.totals['deputy_suggestion.satisfaction_rate']).toBeNull();
    expect(c.ranks['deputy_suggestion.satisfaction_rate']).toEqual({});
    const m = c.metrics.find((x: { key: string }) => x.key === 'deputy_suggestion.satisfaction_rate');
    expect(m).toMatchObject({ unit: '%', format: { kind: 'pct' } });
    expect(c.metrics.every((x: { label: string }) => /[\u4e00-\u9fa5]/.test(x.label))).toBe(true);
    // Every compared figure is a number or none, for every metric listed, in every town and the totals.
    const keys = c.metrics.map((x: { key: string }) => x.key);
    expect(keys).toHaveLength(DISTRICT_METRIC_KEYS.length);
    for (const values of [...c.towns.map((t: { values: Record<string, unknown> }) => t.values), c.totals]) {
      expect(Object.keys(values).sort()).toEqual([...keys].sort());
      for (const k of keys) expect(values[k] === null || typeof values[k] === 'number', `${k}: ${JSON.stringify(values[k])}`).toBe(true);
    }
    expect((await h.req(admin, 'GET', `/api/district/compare?orgId=${qu}&year=2023`)).statusCode).toBe(200);
  });

  it('ranks a fall in fraud cases above a rise', async () => {
    const ind = (org: string, year: number, value: number) =>
      importLines(h.ctx, systemActor(), org, [{ line: 1, value: { kind: 'indicator', dept: '司法所', code: 'fraud_110_calls', period: `${year}-12`, value } }]);
    for (const [org, last, cur] of [['town_a', 100, 120], ['town_b', 100, 80]] as const) {
      for (const [y, v] of [[2022, last], [2023, cur]] as const) {
        const r = await ind(org, y, v);
        expect(r.imported, JSON.stringify(r)).toBe(1);
      }
    }
    const c = (await h.req(sup, 'GET', `/api/district/compare?orgId=${qu}&year=2023`)).json();
    expect(c.towns.map((t: { values: Record<string, number> }) => t.values['indicator.fraud_110_calls_yoy'])).toEqual([0.2, -0.2]);
    expect(c.ranks['indicator.fraud_110_calls_yoy']).toEqual({ [String(townB)]: 1, [String(townA)]: 2 });
  });

  it('is for supervisors and admins, over a district', async () => {
    for (const who of [office, leader]) {
      const r = await h.req(who, 'GET', `/api/district/compare?orgId=${qu}&year=2023`);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.message).toContain('督察');
    }
    const town = await h.req(sup, 'GET', `/api/district/compare?orgId=${townA}&year=2023`);
    expect(town.statusCode).toBe(400);
    expect(town.json().error.message).toContain('不是区级单位');
  });

  it('exports the comparison as an .xlsx and a .docx annex, audited', async () => {
    const x = await h.req(sup, 'GET', `/api/district/compare/export?orgId=${qu}&year=2023&format=xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell(1, 1).value)).toBe('测试区2023年各镇（街道）法治政府建设主要指标对比表');
    const names: string[] = [];
    ws.eachRow((row) => names.push(String(row.getCell(2).value)));
    expect(names).toEqual(expect.arrayContaining(['甲镇', '乙镇', '合计']));

    const d = await h.req(sup, 'GET', `/api/district/compare/export?orgId=${qu}&year=2023&format=docx`);
    expect(d.statusCode).toBe(200);
    const doc = await inspectDocx(d.rawPayload);
    expect(doc.paragraphs.map((p) => p.text)).toContain('测试区2023年各镇（街道）法治政府建设主要指标对比表');
    // Landscape A4.
    expect(doc.pageSize.width).toBeGreaterThan(doc.pageSize.height);
    expect((await h.req(sup, 'GET', `/api/district/compare/export?orgId=${qu}&year=2023&format=pdf`)).statusCode).toBe(400);
    const audit = await h.storage.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'district_compare').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'export', detail: '2023年 xlsx' },
      { action: 'export', detail: '2023年 docx' },
    ]);
  });
});
