/**
 * Spreadsheets as clerks have them (test/fixtures/exchange/, written by build-exchange-fixtures.ts):
 * each bad file gets its own Chinese message and writes nothing; clerk-style workbooks and GBK CSV
 * come in; a kind's natural key updates instead of doubling; the same file twice changes nothing;
 * jobs report progress and errors, and give a copy of the file with the bad cells marked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { CSV_MIME, XLSX_MIME } from '../../src/documents/xlsx-exchange';
import { startImportJob, getImportJob } from '../../src/app/import-jobs';
import { startApi, type ApiHarness } from '../support/api';

const FIX = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/exchange');
const fixture = (name: string) => fs.readFileSync(path.join(FIX, name));
const XLSX = { 'content-type': XLSX_MIME };

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** 100,000 training rows streamed into a workbook; row `bad` (1-based data row) has an impossible date. */
async function bigWorkbook(rows: number, bad: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('培训与学法');
  ws.addRow(['部门', '主题', '日期', '类型', '参训人次']).commit();
  for (let i = 1; i <= rows; i++) ws.addRow(['司法所', `批量培训${i}`, i === bad ? '2023-02-30' : `2023-03-${String(1 + (i % 28)).padStart(2, '0')}`, '工作人员培训', i % 90]).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

describe.each(testDialects())('importing files as clerks have them on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, zf: string;
  let townA: number;
  const count = async () => Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const post = (buf: Buffer, query = '', headers: Record<string, string> = XLSX, who = office) => h.req(who, 'POST', `/api/import.xlsx?orgId=${townA}${query}`, buf, headers);
  const refused = async (buf: Buffer, query = '', headers: Record<string, string> = XLSX) => {
    const before = await count();
    const r = await post(buf, query, headers);
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
    expect(await count()).toBe(before);
    return r.json().error as { message: string; lines?: { sheet?: string; row?: number; column?: string; label?: string; message: string }[] };
  };

  beforeAll(async () => {
    h = await startApi(dialect);
    [office, zf] = await Promise.all([h.login('office'), h.login('clerk_zf')]);
    townA = await h.orgId('town_a');
  });
  afterAll(async () => h?.close());

  it('refuses each bad file with its own message and writes nothing', async () => {
    expect((await refused(fixture('empty.xlsx'))).message).toBe('文件是空的，没有可导入的内容');
    expect((await refused(fixture('not-a-workbook.xlsx'))).message).toContain('文件不是有效的Excel工作簿（.xlsx）');
    expect((await refused(fixture('no-known-sheet.xlsx'))).lines!.map((l) => l.message)).toEqual([
      '工作表「Sheet1」：无法识别台账类型：工作表名称应为台账名称（如“培训与学法”）或类型代码（如 training），或表头应为某个台账的列名',
    ]);
    expect((await refused(fixture('unknown-column.xlsx'))).lines).toEqual([
      expect.objectContaining({ sheet: '培训与学法', row: 1, column: 'G', label: '备注', message: '工作表「培训与学法」第1行（G列）：表头“备注”不是培训与学法的字段' }),
    ]);
    expect((await refused(fixture('impossible-date.xlsx'))).lines).toEqual([
      expect.objectContaining({ sheet: '培训与学法', row: 3, column: 'C', label: '日期', message: '工作表「培训与学法」第3行（C列）：日期：不是有效日期（YYYY-MM-DD）' }),
    ]);
    expect((await refused(fixture('text-in-number.xlsx'))).lines).toEqual([
      expect.objectContaining({ row: 2, column: 'E', label: '参训人次', message: '工作表「培训与学法」第2行（E列）：参训人次：必须是不小于0的整数' }),
    ]);
    // Stray spaces (half- or full-width) around an option still name it; an unknown value is refused with the list.
    const en = await refused(fixture('enum-trailing-space.xlsx'));
    expect(en.lines!.map((l) => l.message)).toEqual(['工作表「培训与学法」第4行（D列）：类型：必须是以下之一：执法人员培训、领导干部学法、工作人员培训、警示教育、以案释法、其他']);
  });

  it('reads merged headers, title rows, synonyms and formulas as Excel shows them', async () => {
    const before = await count();
    const merged = await post(fixture('merged-header.xlsx'), '&kind=training');
    expect(merged.json()).toEqual({ imported: 3, created: 3, updated: 0, unchanged: 0, byKind: { training: 3 } });
    const formulas = await post(fixture('formulas.xlsx'));
    expect(formulas.json()).toMatchObject({ created: 1 });
    expect(await count()).toBe(before + 4);
    const list = (await h.req(office, 'GET', '/api/records/training?pageSize=50&sort=occurredOn&order=asc')).json().items
      .map((r: { deptName: string; data: { heldOn: string; title: string } }) => ({ dept: r.deptName, ...r.data }))
      .sort((a: { heldOn: string; title: string }, b: { heldOn: string; title: string }) => a.heldOn.localeCompare(b.heldOn) || a.title.localeCompare(b.title));
    expect(list).toEqual([
      { dept: '司法所', title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24, hours: 2 },
      { dept: '司法所', title: '宪法学习', heldOn: '2023-03-14', trainingType: '以案释法', attendees: 24, hours: 2 },
      // 民法典学习 sits in the department cell merged down from the row above.
      { dept: '司法所', title: '民法典学习', heldOn: '2023-04-01', trainingType: '领导干部学法', attendees: 1200, hours: 3 },
      { dept: '党政办公室', title: '警示教育大会', heldOn: '2023-05-06', trainingType: '警示教育', attendees: 80 },
    ].sort((a, b) => a.heldOn.localeCompare(b.heldOn) || a.title.localeCompare(b.title)));
    // The same files again change nothing.
    expect((await post(fixture('merged-header.xlsx'), '&kind=training')).json()).toMatchObject({ imported: 0, unchanged: 3 });
    expect((await post(fixture('formulas.xlsx'))).json()).toMatchObject({ imported: 0, unchanged: 1 });
    expect(await count()).toBe(before + 4);
  });

  it('reads a BOM-less GBK CSV, its kind from the query or the file name', async () => {
    const csv = { 'content-type': CSV_MIME };
    const noKind = await refused(fixture('gbk-no-bom.csv'), '', csv);
    expect(noKind.message).toContain('无法确定CSV文件是哪个台账');
    const r = await post(fixture('gbk-no-bom.csv'), '&kind=培训与学法', csv);
    // Its first row is the record merged-header.xlsx brought in above (field for field): not doubled.
    expect(r.json()).toMatchObject({ created: 1, unchanged: 1 });
    const rec = (await h.req(office, 'GET', `/api/records/training?f.title.contains=${encodeURIComponent('民法典学习，第一讲')}`)).json().items[0];
    expect(rec.data).toMatchObject({ heldOn: '2023-04-01', trainingType: '领导干部学法', attendees: 1200 });
    // Through a job the file's name gives the kind; the same rows again are unchanged.
    const { id, started } = await startImportJob(h.ctx, (await whoAmI(office)), { orgId: townA, fileName: '庙行镇_培训与学法_2023.csv', content: fixture('gbk-no-bom.csv') });
    await started;
    expect(await getImportJob(h.ctx, await whoAmI(office), id)).toMatchObject({ state: 'done', result: { imported: 0, unchanged: 2 } });
  });

  it('updates a record by its natural key (audited as an update, version checked) and skips unchanged rows', async () => {
    const first = await post(fixture('enforcement-cases.xlsx'), '', XLSX, zf);
    expect(first.json()).toEqual({ imported: 2, created: 2, updated: 0, unchanged: 0, byKind: { enforcement_case: 2 } });
    // The clerk corrects one case's amount and adds a third case: one update, one create, one unchanged.
    const wb = await load(fixture('enforcement-cases.xlsx'));
    const ws = wb.getWorksheet('行政执法案件')!;
    ws.getCell('I3').value = 25000;
    ws.addRow(['综合行政执法队', '沪宝城管罚〔2023〕3号', '无证经营', '行政处罚', '赵某', '2023-04-01', '2023-04-15', '否', 800]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const second = await post(buf, '', XLSX, zf);
    expect(second.json()).toEqual({ imported: 2, created: 1, updated: 1, unchanged: 1, byKind: { enforcement_case: 2 } });
    const items = (await h.req(office, 'GET', '/api/records/enforcement_case?pageSize=10')).json().items as { id: number; version: number; data: { caseNumber: string; amount: number } }[];
    expect(items.length).toBe(3);
    const updated = items.find((r) => r.data.caseNumber === '沪宝城管罚〔2023〕2号')!;
    expect(updated).toMatchObject({ version: 2, data: { amount: 25000 } });
    const history = (await h.req(office, 'GET', `/api/records/enforcement_case/${updated.id}/history`)).json().items as { action: string; before: { data: { amount: number } } | null; after: { data: { amount: number } } }[];
    expect(history.map((e) => e.action)).toEqual(['update']);
    expect(history[0]!.before!.data.amount).toBe(20000);
    expect(history[0]!.after.data.amount).toBe(25000);
    // Again: nothing changes.
    expect((await post(buf, '', XLSX, zf)).json()).toMatchObject({ imported: 0, created: 0, updated: 0, unchanged: 3 });
    // Two rows with one 案号 in one file are refused.
    ws.addRow(['综合行政执法队', '沪宝城管罚〔2023〕3号', '重复', '行政处罚', '赵某', '2023-04-01', '2023-04-15', '否', 1]);
    const dup = await refused(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(dup.lines!.map((l) => l.message)).toEqual(['工作表「行政执法案件」第5行（B列）：案号：案号“沪宝城管罚〔2023〕3号”在文件中出现了不止一次（同一案号只能有一行）']);
  });

  it('runs an import as a job with every error of every row and a marked copy of the file', async () => {
    const before = await count();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('培训与学法');
    ws.addRow(['部门', '主题', '日期', '类型', '参训人次']);
    ws.addRow(['没有的部门', '两处错误', '2023-02-30', '其他', 1]);
    ws.addRow(['司法所', '合格', '2023-03-01', '其他', '-5']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const start = await h.req(office, 'POST', `/api/import-jobs?orgId=${townA}&fileName=${encodeURIComponent('培训台账.xlsx')}`, buf, { 'content-type': 'application/octet-stream' });
    expect(start.statusCode).toBe(202);
    const id = start.json().id as number;
    let job = (await h.req(office, 'GET', `/api/import-jobs/${id}`)).json();
    for (let i = 0; i < 100 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await h.req(office, 'GET', `/api/import-jobs/${id}`)).json();
    }
    expect(job).toMatchObject({ state: 'failed', annotated: true });
    expect(job.error.lines.map((l: { row: number; column: string; label: string; message: string }) => [l.row, l.column, l.label, l.message])).toEqual([
      [2, 'A', '部门', '工作表「培训与学法」第2行（A列）：部门：甲镇没有部门“没有的部门”'],
      [2, 'C', '日期', '工作表「培训与学法」第2行（C列）：日期：不是有效日期（YYYY-MM-DD）'],
      [3, 'E', '参训人次', '工作表「培训与学法」第3行（E列）：参训人次：必须是不小于0的整数'],
    ]);
    expect(await count()).toBe(before);
    // Another user does not see the job.
    expect((await h.req(zf, 'GET', `/api/import-jobs/${id}`)).statusCode).toBe(404);
    const copy = await h.req(office, 'GET', `/api/import-jobs/${id}/annotated.xlsx`);
    expect(copy.statusCode).toBe(200);
    expect(String(copy.headers['content-disposition'])).toContain(encodeURIComponent('培训台账_错误标注.xlsx'));
    const marked = await load(copy.rawPayload);
    expect(marked.worksheets.map((w) => w.name)).toEqual(['导入错误', '培训与学法']);
    const sheet = marked.getWorksheet('培训与学法')!;
    expect(sheet.getCell('C2').value).toBe('2023-02-30');
    expect(sheet.getCell('C2').note).toBe('日期：不是有效日期（YYYY-MM-DD）');
    expect((sheet.getCell('C2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(sheet.getCell('E3').note).toBe('参训人次：必须是不小于0的整数');
    expect(sheet.getCell('B2').note).toBeUndefined();
    expect(marked.getWorksheet('导入错误')!.rowCount).toBe(1 + 3);
  });

  it('refuses a 50 MB file by the size limit with a clear message', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    big.write('PK\u0003\u0004', 0, 'latin1');
    for (const url of [`/api/import.xlsx?orgId=${townA}`, `/api/import-jobs?orgId=${townA}&fileName=big.xlsx`]) {
      const r = await h.req(office, 'POST', url, big, { 'content-type': url.includes('jobs') ? 'application/octet-stream' : XLSX_MIME });
      expect(r.statusCode).toBe(413);
      expect(r.json().error.message).toBe('文件过大（50 MB），导入文件不能超过 20 MB，请按台账或年度拆分为几个文件后分别导入');
    }
  });

  it('finds the one bad row at the end of 100,000 rows and writes nothing', async () => {
    const before = await count();
    const buf = await bigWorkbook(100_000, 100_000);
    const e = await refused(buf);
    expect(e.lines).toEqual([expect.objectContaining({ sheet: '培训与学法', row: 100_001, column: 'C', label: '日期' })]);
    expect(e.message).toContain('导入失败，共1处错误，未写入任何记录');
    expect(await count()).toBe(before);
  }, 120_000);

  it('answers other requests while an import job runs', async () => {
    const buf = await bigWorkbook(20_000, 0);
    const me = await whoAmI(office);
    const { id, started } = await startImportJob(h.ctx, me, { orgId: townA, fileName: '培训与学法.xlsx', content: buf });
    // A request served while the job is still running: the import yields to the event loop.
    let servedWhileRunning = false;
    for (let i = 0; i < 200 && !servedWhileRunning; i++) {
      const health = await h.req(null, 'GET', '/api/health');
      expect(health.statusCode).toBe(200);
      const job = await getImportJob(h.ctx, me, id);
      if (job.state !== 'running') break;
      servedWhileRunning = true;
    }
    await started;
    expect(servedWhileRunning).toBe(true);
    expect(await getImportJob(h.ctx, me, id)).toMatchObject({ state: 'done', result: { created: 20_000 } });
  }, 120_000);

  async function whoAmI(cookie: string) {
    const me = (await h.req(cookie, 'GET', '/api/auth/me')).json();
    const u = await h.storage.db.selectFrom('users').selectAll().where('username', '=', me.username ?? me.user?.username).executeTakeFirstOrThrow();
    const org = await h.storage.db.selectFrom('org_units').select('path').where('id', '=', u.org_id).executeTakeFirstOrThrow();
    return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role as 'office', orgId: u.org_id, orgPath: org.path, deptId: u.dept_id };
  }
});
