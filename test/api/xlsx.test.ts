import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { XLSX_MIME } from '../../src/documents/xlsx-exchange';
import { BUILTIN_LEDGERS } from '../../src/core/ledgers/kinds';
import { startApi, type ApiHarness } from '../support/api';

const XLSX = { 'content-type': XLSX_MIME };

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** A workbook as a user fills it in: sheets of rows. */
async function book(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Records of every field type the built-in kinds use, with flow states. */
const SEED = [
  { kind: 'training', dept: '司法所', title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24, hours: 2, organizer: '党政办公室' },
  { kind: 'training', dept: '综合行政执法队', title: '执法规范化培训', heldOn: '2023-06-20', trainingType: '工作人员培训', attendees: 40 },
  { kind: 'petition', dept: '司法所', status: '受理', registeredOn: '2023-01-02', channel: '来信', petitioner: '张三', subject: '噪声扰民', acceptedOn: '2023-01-05', extended: true },
  { kind: 'petition', dept: '司法所', registeredOn: '2023-02-10', channel: '网上', petitioner: '李四', subject: '道路破损', extended: false },
  { kind: 'dispute', dept: '司法所', registeredOn: '2023-04-01', source: '群众申请', disputeType: '邻里纠纷', partiesCount: 2, linkedUnits: ['派出所', '律师事务所'], result: '调解成功', closedOn: '2023-04-20' },
  { kind: 'enforcement_case', dept: '综合行政执法队', caseNumber: '沪宝执罚〔2023〕12号', cause: '违法搭建', actionType: '行政处罚', party: '某某公司', decidedOn: '2023-05-09', isMajor: false, amount: 3500.5, reconsideration: '无', litigation: '无' },
  { kind: 'indicator', dept: '党政办公室', code: 'fraud_110_calls', period: '2023-06', value: 1.5, source: '区公安分局' },
  { kind: 'task', dept: '司法所', title: '法治政府建设年度报告', area: '组织保障', leadDept: '司法所', partnerDepts: ['党政办公室', '综合行政执法队'], dueOn: '2023-12-31', progress: '推进中', progressNote: '第一行\n第二行' },
];

describe.each(testDialects())('Excel import, export and templates on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, sfs: string, adviser: string;
  let townA: number;
  const count = async () => Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const jsonlExport = async (kind?: string) => {
    const r = await h.req(office, 'GET', `/api/export?orgId=${townA}${kind ? `&kind=${kind}` : ''}`);
    expect(r.statusCode).toBe(200);
    return r.body.trim() ? r.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  };

  beforeAll(async () => {
    h = await startApi(dialect);
    [office, sfs, adviser] = await Promise.all([h.login('office'), h.login('clerk_sfs'), h.login('adviser')]);
    townA = await h.orgId('town_a');
  });
  afterAll(async () => h?.close());

  it('seeds records of every field type (check the fixture is valid)', async () => {
    // Field keys of the seed must exist in the definitions, or the round trip would prove nothing.
    const r = await h.req(office, 'POST', `/api/import?orgId=${townA}`, SEED.map((l) => JSON.stringify(l)).join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(r.json()).toMatchObject({ imported: SEED.length });
  });

  it('round-trips: an exported workbook imported again changes nothing', async () => {
    const before = await jsonlExport();
    expect(before.length).toBe(SEED.length);
    const exp = await h.req(office, 'GET', `/api/export.xlsx?orgId=${townA}`);
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toBe(XLSX_MIME);
    expect(String(exp.headers['content-disposition'])).toContain('town_a.xlsx');
    const wb = await load(exp.rawPayload);
    const kindsSeeded = [...new Set(SEED.map((s) => s.kind))];
    expect(wb.worksheets.map((w) => w.name).sort()).toEqual(kindsSeeded.map((k) => BUILTIN_LEDGERS.find((d) => d.kind === k)!.label).sort());
    const petitions = wb.getWorksheet('信访事项')!;
    expect((petitions.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['部门', '状态', '登记日期']);

    const imp = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, exp.rawPayload, XLSX);
    expect(imp.statusCode).toBe(200);
    // Every row is a record already there (by natural key or field for field): nothing doubles.
    expect(imp.json()).toMatchObject({ imported: 0, created: 0, updated: 0, unchanged: SEED.length });
    const after = await jsonlExport();
    expect(after).toEqual(before);
    // The records are the seed itself (defaults aside), not just equal to a lossy export.
    for (const s of SEED) expect(after).toContainEqual(expect.objectContaining(s));
  });

  it('exports one kind and year, and only what the user may read', async () => {
    const one = await load((await h.req(office, 'GET', `/api/export.xlsx?orgId=${townA}&kind=training&year=2023`)).rawPayload);
    expect(one.worksheets.map((w) => w.name)).toEqual(['培训与学法']);
    expect(one.getWorksheet('培训与学法')!.rowCount).toBe(1 + 2);
    const none = await load((await h.req(office, 'GET', `/api/export.xlsx?orgId=${townA}&kind=training&year=2020`)).rawPayload);
    expect(none.getWorksheet('培训与学法')!.rowCount).toBe(1);
    const clerk = await load((await h.req(sfs, 'GET', `/api/export.xlsx?orgId=${townA}&kind=training`)).rawPayload);
    const depts = clerk.getWorksheet('培训与学法')!.getColumn(1).values.slice(2);
    expect(new Set(depts)).toEqual(new Set(['司法所']));
    const denied = await h.req(adviser, 'GET', `/api/export.xlsx?orgId=${townA}&kind=training`);
    expect(denied.statusCode).toBe(403);
    expect((await h.req(null, 'GET', `/api/export.xlsx?orgId=${townA}`)).statusCode).toBe(401);
  });

  it('rejects a file with bad rows whole, naming sheet, row and column, and writes nothing', async () => {
    const before = await count();
    const buf = await book({
      培训与学法: [
        ['部门', '主题', '日期', '类型', '参训人次'],
        ['司法所', '合格的一行', '2023-03-01', '其他', 10],
        ['司法所', '日期错误', '2023-02-30', '其他', 10],
        ['司法所', '人次错误', '2023-03-02', '其他', '十'],
        ['没有的部门', '部门错误', '2023-03-03', '其他', 1],
      ],
      petition: [
        ['dept', 'registeredOn', 'channel', 'petitioner', 'subject', 'extended'],
        ['司法所', '2023-03-01', '来信', '王五', '合格', '否'],
        ['司法所', '2023-03-01', '传真', '王五', '渠道错误', '也许'],
      ],
    });
    const r = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, buf, XLSX);
    expect(r.statusCode).toBe(400);
    const err = r.json().error;
    expect(err.message).toContain('导入失败，共5处错误，未写入任何记录');
    expect(err.lines.map((l: { message: string }) => l.message)).toEqual([
      '工作表「培训与学法」第3行（C列）：日期：不是有效日期（YYYY-MM-DD）',
      '工作表「培训与学法」第4行（E列）：参训人次：必须是不小于0的整数',
      '工作表「培训与学法」第5行（A列）：部门：甲镇没有部门“没有的部门”',
      '工作表「petition」第3行（C列）：方式：必须是以下之一：来信、来访、网上、电话',
      '工作表「petition」第3行（F列）：延长办理期限：必须是“是”或“否”',
    ]);
    expect(err.lines[1]).toMatchObject({ sheet: '培训与学法', row: 4, column: 'E', label: '参训人次', field: 'attendees' });
    expect(await count()).toBe(before);
  });

  it('accepts labels and keys as headers and converts Excel cells', async () => {
    const before = await count();
    const buf = await book({
      培训与学法: [
        ['部门', '主题', '日期', '类型', '参训人次', '学时'],
        ['司法所', '标签表头', new Date(Date.UTC(2023, 6, 1)), '以案释法', '15', 3],
      ],
      training: [
        ['dept', 'title', 'heldOn', 'trainingType', 'attendees'],
        ['党政办公室', '代码表头', '2023/7/2', '警示教育', 20],
      ],
      信访事项: [
        ['部门', '状态', '登记日期', '方式', '信访人', '事项', '延长办理期限'],
        ['司法所', '', 45110, '电话', '赵六', '表格导入', '是'],
      ],
    });
    const r = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, buf, XLSX);
    expect(r.json()).toEqual({ imported: 3, created: 3, updated: 0, unchanged: 0, byKind: { training: 2, petition: 1 } });
    expect(await count()).toBe(before + 3);
    const lines = await jsonlExport();
    expect(lines).toContainEqual({ kind: 'training', dept: '司法所', title: '标签表头', heldOn: '2023-07-01', trainingType: '以案释法', attendees: 15, hours: 3 });
    expect(lines).toContainEqual({ kind: 'training', dept: '党政办公室', title: '代码表头', heldOn: '2023-07-02', trainingType: '警示教育', attendees: 20 });
    expect(lines).toContainEqual({ kind: 'petition', dept: '司法所', status: '登记', registeredOn: '2023-07-03', channel: '电话', petitioner: '赵六', subject: '表格导入', extended: true });
  });

  it('imports a 5,000-row workbook', async () => {
    const before = await count();
    const rows: unknown[][] = [['部门', '主题', '日期', '类型', '参训人次']];
    for (let i = 0; i < 5000; i++) rows.push([i % 2 ? '司法所' : '综合行政执法队', `批量培训${i + 1}`, new Date(Date.UTC(2023, i % 12, 1 + (i % 28))), '工作人员培训', 1 + (i % 50)]);
    const r = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, await book({ 培训与学法: rows }), XLSX);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ imported: 5000, created: 5000, updated: 0, unchanged: 0, byKind: { training: 5000 } });
    expect(await count()).toBe(before + 5000);
    const last = await h.storage.db.selectFrom('records').select(['data', 'occurred_on']).where('kind', '=', 'training').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(String(last.occurred_on).slice(0, 10)).toBe('2023-08-16');
  }, 60_000);

  it('refuses what is not a workbook, or has no records, or comes as another content type', async () => {
    const junk = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, Buffer.from('not a zip'), XLSX);
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toContain('不是有效的Excel工作簿');
    const tpl = (await h.req(office, 'GET', '/api/templates/training.xlsx')).rawPayload;
    const empty = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, tpl, XLSX);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('文件中没有可导入的记录');
    const json = await h.req(office, 'POST', `/api/import.xlsx?orgId=${townA}`, { a: 1 });
    expect(json.statusCode).toBe(415);
    const clerkOther = await h.req(sfs, 'POST', `/api/import.xlsx?orgId=${townA}`, await book({ 培训与学法: [['部门', '主题', '日期', '类型', '参训人次'], ['综合行政执法队', 'x', '2023-01-01', '其他', 1]] }), XLSX);
    expect(clerkOther.statusCode).toBe(400);
    expect(clerkOther.json().error.lines[0].message).toBe('工作表「培训与学法」第2行（A列）：部门：无权为“综合行政执法队”导入记录');
  });

  it('serves a template per kind with the guide sheet and dropdowns, to users who can read the kind', async () => {
    const r = await h.req(office, 'GET', '/api/templates/petition.xlsx');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(XLSX_MIME);
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('信访事项导入模板.xlsx'));
    const wb = await load(r.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填写说明', '信访事项', '列映射']);
    expect(wb.getWorksheet('列映射')!.state).toBe('veryHidden');
    const ws = wb.getWorksheet('信访事项')!;
    expect(ws.getCell('A2').dataValidation).toMatchObject({ type: 'list', formulae: ['"司法所,综合行政执法队,党政办公室"'] });
    expect(ws.getCell('D2').dataValidation).toMatchObject({ type: 'list', formulae: ['"来信,来访,网上,电话"'] });
    expect(ws.getCell('H100').dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    const clerkTpl = await load((await h.req(sfs, 'GET', '/api/templates/training.xlsx')).rawPayload);
    expect(clerkTpl.getWorksheet('培训与学法')!.getCell('A2').dataValidation).toMatchObject({ formulae: ['"司法所"'] });
    expect((await h.req(adviser, 'GET', '/api/templates/training.xlsx')).statusCode).toBe(403);
    expect((await h.req(adviser, 'GET', '/api/templates/legality_review.xlsx')).statusCode).toBe(200);
    expect((await h.req(office, 'GET', '/api/templates/nokind.xlsx')).statusCode).toBe(404);
    expect((await h.req(null, 'GET', '/api/templates/training.xlsx')).statusCode).toBe(401);
  });
});
