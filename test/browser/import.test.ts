import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const line = (title: string, heldOn: string) =>
  JSON.stringify({ kind: 'training', dept: '司法所', title, heldOn, trainingType: '警示教育', attendees: 12 });

describe('data import and export page', () => {
  it('rejects a file with a bad line naming it, imports a good one, and exports the kind as Excel', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.goto(`${world.url}/admin/import`);
    await settle(s.page);
    const input = s.page.locator('.el-upload input[type="file"]');

    const bad = [line('浏览器导入测试甲', '2026-03-02'), line('浏览器导入测试乙', '2026-02-30')].join('\n');
    await input.setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(bad) });
    // The table shows the line in its own column and the problem without it.
    const errors = s.page.locator('[data-test="import-errors"]');
    await errors.getByText('日期：不是有效日期（YYYY-MM-DD）').first().waitFor();
    expect(await errors.locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('2');
    await shot(s.page, 'import-01-errors');

    const good = [line('浏览器导入测试甲', '2026-03-02'), line('浏览器导入测试乙', '2026-03-03')].join('\n');
    await input.setInputFiles({ name: 'good.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(good) });
    await s.page.getByText('已导入 2 条记录').waitFor();
    const res = await s.page.request.get(`${world.url}/api/records/training?f.title.contains=${encodeURIComponent('浏览器导入测试')}`);
    expect(((await res.json()) as { total: number }).total).toBe(2);

    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: '导出' }).click()]);
    const bytes = fs.readFileSync(await dl.path());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await assertHealthy(s, { allowErrors: /第2行/ });
  });

  it('lists every error of every row with the column label, offers the marked copy, and a template on the list', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.goto(`${world.url}/admin/import`);
    await settle(s.page);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('培训与学法');
    ws.addRow(['责任部门', '培训主题', '培训日期', '类型', '参训人数']);
    ws.addRow(['司法所', '浏览器表格导入', '2026-02-30', '警示教育', '十二']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    await s.page.locator('.el-upload input[type="file"]').setInputFiles({ name: '培训台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: buf });
    const table = s.page.locator('[data-test="import-errors"]');
    await table.getByText('不是有效日期（YYYY-MM-DD）').waitFor();
    // Both problems of the row, each with the column's Chinese label — never a field key.
    await table.getByText('参训人次', { exact: true }).waitFor();
    await table.getByText('日期', { exact: true }).first().waitFor();
    expect(await table.textContent()).not.toMatch(/attendees|heldOn/);
    await shot(s.page, 'import-02-xlsx-errors');
    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.locator('[data-test="annotated"]').click()]);
    expect(dl.suggestedFilename()).toBe('培训台账_错误标注.xlsx');
    const marked = new ExcelJS.Workbook();
    await marked.xlsx.load(fs.readFileSync(await dl.path()) as unknown as ArrayBuffer);
    expect(marked.getWorksheet('培训与学法')!.getCell('C2').note).toBe('日期：不是有效日期（YYYY-MM-DD）');

    await s.page.goto(`${world.url}/ledgers/training`);
    await settle(s.page);
    const [tpl] = await Promise.all([s.page.waitForEvent('download'), s.page.locator('[data-test="template"]').click()]);
    expect(tpl.suggestedFilename()).toBe('培训与学法导入模板.xlsx');
    await assertHealthy(s, { allowErrors: /第2行/ });
  });

  it('exports a list of more than 5,000 rows through an export job with a progress bar, and the file holds the filtered rows', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const n = 5200;
    const lines = Array.from({ length: n }, (_, i) => line(`大批导出${i}`, `2026-0${(i % 9) + 1}-1${i % 10}`)).join('\n');
    const orgId = ((await (await s.page.request.get(`${world.url}/api/auth/me`)).json()) as { user: { orgId: number } }).user.orgId;
    const imported = await s.page.request.post(`${world.url}/api/import?orgId=${orgId}`, {
      data: lines,
      headers: { 'content-type': 'application/x-ndjson', origin: world.url, 'x-fazhi-request': '1' },
    });
    expect(imported.status(), await imported.text()).toBe(200);
    await s.page.goto(`${world.url}/ledgers/training?f.title.contains=${encodeURIComponent('大批导出')}`);
    await settle(s.page);
    const jobs: string[] = [];
    s.page.on('request', (r) => {
      if (r.url().includes('/export-jobs')) jobs.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await s.page.locator('[data-test="export"]').click();
    const downloaded = s.page.waitForEvent('download', { timeout: 120_000 });
    await s.page.locator('[data-test="export-filtered"]').click();
    // The bar shows while the job writes, with the rows done of the total.
    await s.page.locator('[data-test="export-progress"]').waitFor();
    await shot(s.page, 'import-03-export-progress');
    const dl = await downloaded;
    expect(dl.suggestedFilename()).toMatch(/_培训与学法_全部年度\.xlsx$/);
    expect(jobs[0]).toBe('POST /api/records/training/export-jobs');
    expect(jobs.some((j) => /^GET \/api\/export-jobs\/\d+\/file$/.test(j))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(await dl.path()) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('培训与学法')!.rowCount).toBe(1 + n);
    await s.page.locator('[data-test="export-progress"]').waitFor({ state: 'detached' });
    await assertHealthy(s);
  });
});
