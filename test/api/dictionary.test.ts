import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { XLSX_MIME } from '../../src/documents/xlsx-exchange';
import { countRows, startApi, type ApiHarness } from '../support/api';

interface Item { kind: string; field: string; value: string; label: string; defaultLabel: string; overridden: boolean; updatedByName: string | null; updatedAt: string | null }

async function cells(buf: Buffer, sheet: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.getWorksheet(sheet)!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

describe.each(testDialects())('the 字典: names of option values, set by the 系统管理员 and shown everywhere, on %s', (dialect) => {
  let h: ApiHarness;
  let admin = '', office = '', sfs = '', auditor = '';
  let townA = 0;
  const put = (who: string, body: unknown) => h.req(who, 'PUT', '/api/dictionary', body);

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-03-16T06:05:00Z'));
    [admin, office, sfs, auditor] = await h.logins('admin', 'office', 'clerk_sfs', 'auditor');
    townA = await h.orgId('town_a');
    const dept = await h.deptId('town_a', '党政办公室');
    const r = await h.req(office, 'POST', '/api/records/indicator', { deptId: dept, data: { code: 'fraud_110_calls', period: '2026-02', value: 12 } });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => h?.close());

  it('lists every option with its built-in name, searched and paged, for any signed-in role', async () => {
    const r = await h.req(sfs, 'GET', '/api/dictionary?kind=indicator&pageSize=2');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { items: Item[]; total: number; kinds: { kind: string; label: string }[] };
    expect(body.total).toBe(4);
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '诈骗类110接警数', defaultLabel: '诈骗类110接警数', overridden: false, updatedByName: null });
    expect(body.kinds).toContainEqual({ kind: 'petition', label: '信访事项' });
    const page2 = (await h.req(sfs, 'GET', '/api/dictionary?kind=indicator&pageSize=2&page=2')).json() as { items: Item[] };
    expect(page2.items.map((i) => i.value)).toEqual(['admin_fees_wan', 'disclosure_fees_yuan']);
    const found = (await h.req(auditor, 'GET', '/api/dictionary?q=' + encodeURIComponent('刑事案件'))).json() as { items: Item[]; total: number };
    expect(found.items.map((i) => i.value)).toEqual(['fraud_criminal_cases']);
  });

  it('only the 系统管理员 sets a name; a refused request writes nothing', async () => {
    const before = await countRows(h, 'audit_log');
    const r = await put(office, { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '电诈警情数' });
    expect(r.statusCode).toBe(403);
    const bad = await put(admin, { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '诈骗类刑事案件数' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('名称：“诈骗类刑事案件数”已是“指标”另一选项（fraud_criminal_cases）的名称，导入时无法区分');
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: 'label', label: '名称' })]);
    const noValue = await put(admin, { kind: 'petition', field: 'channel', value: '传真', label: 'x' });
    expect(noValue.statusCode).toBe(400);
    expect(noValue.json().error.message).toBe('取值：“方式”没有选项“传真”');
    const badCode = await put(admin, { kind: 'indicator', field: 'code', value: '新指标', label: 'x' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.fields).toEqual([expect.objectContaining({ field: 'value', label: '取值' })]);
    expect(await countRows(h, 'audit_log')).toBe(before);
    expect(Number((await h.storage.db.selectFrom('dictionary_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
  });

  it('a new name is stored with an audit entry and shown in definitions, metric names and exports; import reads it back', async () => {
    const r = await put(admin, { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: '电信诈骗110警情数' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ label: '电信诈骗110警情数', defaultLabel: '诈骗类110接警数', overridden: true, updatedByName: '管理员', updatedAt: '2026-03-16T06:05:00.000Z' });
    const entry = await h.storage.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'before', 'after', 'detail']).where('action', '=', 'dictionary_set').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity: 'dictionary', entity_id: 'indicator.code:fraud_110_calls', detail: '统计指标填报「指标」选项“fraud_110_calls”名称设为“电信诈骗110警情数”' });
    expect(JSON.parse(entry.before!)).toEqual({ label: '诈骗类110接警数' });
    expect(JSON.parse(entry.after!)).toEqual({ label: '电信诈骗110警情数' });

    const def = (await h.req(sfs, 'GET', '/api/ledgers/indicator')).json() as { fields: { key: string; optionLabels?: Record<string, string> }[] };
    expect(def.fields.find((f) => f.key === 'code')!.optionLabels).toMatchObject({ fraud_110_calls: '电信诈骗110警情数', fraud_criminal_cases: '诈骗类刑事案件数' });
    const all = (await h.req(sfs, 'GET', '/api/ledgers')).json() as { items: { kind: string; fields: { key: string; optionLabels?: Record<string, string> }[] }[] };
    expect(all.items.find((d) => d.kind === 'indicator')!.fields[0]!.optionLabels!.fraud_110_calls).toBe('电信诈骗110警情数');

    const metrics = (await h.req(office, 'GET', `/api/metrics?year=2026&orgId=${townA}&keys=indicator.fraud_110_calls`)).json() as { defs: Record<string, { label: string }> };
    expect(metrics.defs['indicator.fraud_110_calls']!.label).toContain('电信诈骗110警情数');

    const exp = await h.req(office, 'GET', `/api/records/indicator/export.xlsx?orgId=${townA}`);
    expect(exp.statusCode).toBe(200);
    const rows = await cells(exp.rawPayload, '统计指标填报');
    const col = (rows[0] as string[]).indexOf('指标');
    expect(rows[1]![col]).toBe('电信诈骗110警情数');
    const imp = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, exp.rawPayload, { 'content-type': XLSX_MIME });
    expect(imp.statusCode, imp.body).toBe(200);
    expect(imp.json()).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('names a value that had none, and a null label restores the built-in name', async () => {
    const r = await put(admin, { kind: 'petition', field: 'channel', value: '来信', label: '来信（书面）' });
    expect(r.statusCode, r.body).toBe(200);
    const listed = (await h.req(office, 'GET', '/api/dictionary?overridden=true')).json() as { items: Item[] };
    expect(listed.items.map((i) => `${i.kind}.${i.value}=${i.label}`).sort()).toEqual(['indicator.fraud_110_calls=电信诈骗110警情数', 'petition.来信=来信（书面）']);
    const back = await put(admin, { kind: 'indicator', field: 'code', value: 'fraud_110_calls', label: null });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ label: '诈骗类110接警数', overridden: false });
    const def = (await h.req(sfs, 'GET', '/api/ledgers/indicator')).json() as { fields: { key: string; optionLabels?: Record<string, string> }[] };
    expect(def.fields[0]!.optionLabels!.fraud_110_calls).toBe('诈骗类110接警数');
    expect((await h.storage.db.selectFrom('audit_log').select('detail').where('action', '=', 'dictionary_set').orderBy('id', 'desc').executeTakeFirstOrThrow()).detail).toBe(
      '统计指标填报「指标」选项“fraud_110_calls”恢复默认名称',
    );
  });

  it('adds a new 统计指标 code with its name: records take it, its metric exists, an added code cannot be restored away', async () => {
    const before = await h.req(office, 'POST', '/api/records/indicator', { deptId: await h.deptId('town_a', '党政办公室'), data: { code: 'mediation_cases', period: '2026-02', value: 3 } });
    expect(before.statusCode).toBe(400);
    const r = await put(admin, { kind: 'indicator', field: 'code', value: 'mediation_cases', label: '人民调解案件数' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ value: 'mediation_cases', label: '人民调解案件数', defaultLabel: '', overridden: true });
    expect((await h.storage.db.selectFrom('audit_log').select('detail').where('action', '=', 'dictionary_set').orderBy('id', 'desc').executeTakeFirstOrThrow()).detail).toBe(
      '统计指标填报「指标」新增选项“mediation_cases”名称设为“人民调解案件数”',
    );
    const created = await h.req(office, 'POST', '/api/records/indicator', { deptId: await h.deptId('town_a', '党政办公室'), data: { code: 'mediation_cases', period: '2026-02', value: 3 } });
    expect(created.statusCode, created.body).toBe(201);
    const metrics = (await h.req(office, 'GET', `/api/metrics?year=2026&orgId=${townA}&keys=indicator.mediation_cases`)).json() as { defs: Record<string, { label: string }>; values: Record<string, unknown> };
    expect(metrics.defs['indicator.mediation_cases']!.label).toContain('人民调解案件数');
    expect(metrics.values['indicator.mediation_cases']).toBe(3);
    const restore = await put(admin, { kind: 'indicator', field: 'code', value: 'mediation_cases', label: null });
    expect(restore.statusCode).toBe(400);
    expect(restore.json().error.message).toBe('名称：新增的选项没有默认名称可以恢复，请修改名称');
  });
});
