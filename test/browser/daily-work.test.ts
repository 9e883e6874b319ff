import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, assertHealthy, fillField, login, newSession, openLedger, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** A date in Shanghai, `offset` days from today. */
function shanghaiDate(offset: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  now.setUTCDate(now.getUTCDate() + offset);
  return now.toISOString().slice(0, 10);
}

/** The API as the logged-in page sees it (same cookies, same scope). */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api${p}`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  }, path) as Promise<T>;
}

async function sheetRows(path: string, sheet: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(path) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`no sheet ${sheet}`);
  const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(head.map((h, i) => [h, (row.values as unknown[])[i + 1]])));
  });
  return rows;
}

async function createPetition(page: Page, subject: string, registeredOn: string): Promise<string> {
  await openLedger(page, '信访事项');
  await page.click('[data-test="create"]');
  await page.waitForSelector('.record-form');
  await fillField(page, 'registeredOn', registeredOn);
  await fillField(page, 'channel', '来信');
  await fillField(page, 'petitioner', '王五');
  await fillField(page, 'subject', subject);
  await page.click('[data-test="save"]');
  await page.waitForURL(/\/ledgers\/petition\/\d+$/);
  await settle(page);
  return page.url();
}

async function step(page: Page, key: string, on: string, reason?: string): Promise<void> {
  await page.click(`[data-test="transition-${key}"]`);
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await dialog.locator('[data-test="transition-date"] input[data-test="date-text"]').fill(on);
  if (reason) await dialog.locator('textarea').fill(reason);
  await dialog.locator('[data-test="confirm-transition"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await settle(page);
}

describe('daily work: deadlines as the law says, dates of steps, input refused, lists', () => {
  it('a 补正 restarts the reply period from the corrected request, with past-dated steps, shown on the record', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await openLedger(s.page, '政府信息公开申请');
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    const received = shanghaiDate(-20);
    const notice = shanghaiDate(-18);
    const corrected = shanghaiDate(-10);
    await fillField(s.page, 'applicant', '李四');
    await fillField(s.page, 'applicantType', '自然人'); // required on new requests (年报 table 三)
    await fillField(s.page, 'receivedOn', received);
    await fillField(s.page, 'content', '申请公开本镇道路改造项目的招标文件');
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(/\/ledgers\/disclosure_request\/\d+$/);
    await settle(s.page);
    const url = s.page.url();
    const id = url.split('/').pop()!;
    // Both steps are dated in the past, as a ledger kept a few days late is.
    await step(s.page, 'correction', notice, '申请内容不明确，请说明所需文件的名称');
    expect(await s.page.locator('[data-test="record-status"]').textContent()).toBe('补正中');
    await step(s.page, 'corrected', corrected);
    const deadline = s.page.locator('[data-test="deadline"]');
    const text = (await deadline.textContent()) ?? '';
    expect(text).toContain(`${notice}起补正中`);
    expect(text).toContain(`${corrected} 收到补正后的申请，重新计算20个工作日`);
    expect(text).toContain('补正告知期限');
    const api = await apiGet<{ dueOn: string; deadline: { explanation: string; notice: { on: string } } }>(s.page, `/records/disclosure_request/${id}`);
    expect(api.deadline.notice.on).toBe(notice);
    expect(text).toContain(`应于${api.dueOn}前答复`);
    expect(api.deadline.explanation).toContain(`${corrected} 收到补正后的申请`);
    await shot(s.page, '20-disclosure-restart');
    await assertHealthy(s);
    await s.context.close();
  });

  it('a step dated in the future or on an impossible day is refused on its field, nothing changed', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await createPetition(s.page, `反映路灯不亮${Date.now()}`, shanghaiDate(-5));
    await s.page.click('[data-test="transition-accept"]');
    const dialog = s.page.locator('.el-dialog:visible');
    await dialog.waitFor();
    const input = dialog.locator('[data-test="transition-date"] input[data-test="date-text"]');
    await input.fill(shanghaiDate(2));
    await dialog.locator('[data-test="confirm-transition"]').click();
    expect(await dialog.locator('[data-test="transition-date"] .el-form-item__error').textContent()).toContain('不得晚于今天');
    await input.fill('2026-02-30');
    await dialog.locator('[data-test="confirm-transition"]').click();
    expect(await dialog.locator('[data-test="transition-date"] .el-form-item__error').textContent()).toContain('无效');
    expect(await input.inputValue()).toBe('2026-02-30');
    expect(await s.page.locator('[data-test="record-status"]').textContent()).toBe('登记');
    await s.context.close();
  });

  it('refuses 2026-02-30, -5 and 2.5 in a form with the server message on the field, and saves nothing', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await openLedger(s.page, '培训与学法');
    const before = (await apiGet<{ total: number }>(s.page, '/records/training?pageSize=1')).total;
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    await fillField(s.page, 'title', '行政复议法专题培训');
    await fillField(s.page, 'heldOn', '2026-02-30');
    await fillField(s.page, 'trainingType', '执法人员培训');
    await fillField(s.page, 'attendees', '-5');
    await fillField(s.page, 'hours', '2.5');
    await s.page.click('[data-test="save"]');
    await settle(s.page);
    const err = (key: string) => s.page.locator(`.el-form-item[data-field="${key}"] .el-form-item__error`).textContent();
    expect(await err('heldOn')).toBe('不是有效日期（YYYY-MM-DD）');
    expect(await err('attendees')).toBe('必须是不小于0的整数');
    expect(await err('hours')).toBe('必须是不小于0的整数');
    // What was typed stays as typed: nothing rolled over to 03-02, nothing clamped to 0.
    expect(await s.page.locator('.el-form-item[data-field="heldOn"] input').first().inputValue()).toBe('2026-02-30');
    expect(await s.page.locator('.el-form-item[data-field="attendees"] input').first().inputValue()).toBe('-5');
    expect(s.page.url()).toMatch(/\/ledgers\/training\/new$/);
    await shot(s.page, '21-form-refused');
    // Typed correctly, it saves with exactly those values.
    await fillField(s.page, 'heldOn', '2026-02-28');
    await fillField(s.page, 'attendees', '5');
    await fillField(s.page, 'hours', '2');
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(/\/ledgers\/training\/\d+$/);
    const id = s.page.url().split('/').pop()!;
    const rec = await apiGet<{ data: Record<string, unknown> }>(s.page, `/records/training/${id}`);
    expect(rec.data).toMatchObject({ heldOn: '2026-02-28', attendees: 5, hours: 2 });
    expect((await apiGet<{ total: number }>(s.page, '/records/training?pageSize=1')).total).toBe(before + 1);
    await s.context.close();
  });

  it('exports exactly the filtered rows, and Back returns to the same filtered view', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await openLedger(s.page, '信访事项');
    // 期限状态 = 逾期 from the search form above the table.
    await s.page.locator('[data-test="deadline-filter"]').click();
    await s.page.locator('.el-select-dropdown__item:visible', { hasText: /^逾期$/ }).click();
    await s.page.keyboard.press('Escape');
    await s.page.waitForURL(/deadlineState=/);
    await settle(s.page);
    const query = new URL(s.page.url()).search;
    const api = await apiGet<{ total: number; items: { id: number }[] }>(s.page, `/records/petition${query}&pageSize=500`);
    expect(api.total).toBeGreaterThan(0);
    const allPetitions = (await apiGet<{ total: number }>(s.page, '/records/petition?pageSize=1')).total;
    expect(api.total).toBeLessThan(allPetitions);
    await shot(s.page, '22-list-filtered');

    await s.page.click('[data-test="export"]');
    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="export-filtered"]')]);
    expect(dl.suggestedFilename()).toMatch(/^庙行镇_信访事项_全部年度\.xlsx$/);
    const rows = await sheetRows((await dl.path())!, '信访事项');
    expect(rows).toHaveLength(api.total);

    // Open a record, then Back: the filter, and the rows, are the same.
    await s.page.locator('.records .link').first().click();
    await s.page.waitForURL(/\/ledgers\/petition\/\d+$/);
    await settle(s.page);
    await s.page.click('[data-test="back"]');
    await s.page.waitForURL(/\/ledgers\/petition\?/);
    await settle(s.page);
    expect(new URL(s.page.url()).search).toBe(query);
    expect(await s.page.locator('[data-test="deadline-filter"]').textContent()).toContain('逾期');
    // And the browser's own Back after a second visit.
    await s.page.locator('.records .link').first().click();
    await s.page.waitForURL(/\/ledgers\/petition\/\d+$/);
    await s.page.goBack();
    await s.page.waitForURL(/\/ledgers\/petition\?/);
    expect(new URL(s.page.url()).search).toBe(query);
    await assertHealthy(s);
    await s.context.close();
  });

  it('a batch step accepts the checked petitions, dated as given', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const stamp = Date.now();
    await createPetition(s.page, `批量受理甲${stamp}`, shanghaiDate(-6));
    await createPetition(s.page, `批量受理乙${stamp}`, shanghaiDate(-6));
    await openLedger(s.page, '信访事项');
    await s.page.locator('input[data-test="keyword"]').fill(`批量受理`);
    await s.page.click('[data-test="search"]');
    await s.page.waitForURL(/q=/);
    await settle(s.page);
    const rows = s.page.locator('.records .el-table__body-wrapper tr', { hasText: String(stamp) });
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) await rows.nth(i).locator('.el-checkbox').first().click();
    expect(await s.page.locator('[data-test="selected-count"]').textContent()).toBe('已选2条');
    await s.page.click('[data-test="batch-step"]');
    await s.page.click('[data-test="batch-accept"]');
    const dialog = s.page.locator('.el-dialog:visible');
    await dialog.waitFor();
    const on = shanghaiDate(-3);
    await dialog.locator('[data-test="batch-date"] input[data-test="date-text"]').fill(on);
    await dialog.locator('[data-test="confirm-batch"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await settle(s.page);
    const found = await apiGet<{ items: { status: string; data: { acceptedOn: string } }[] }>(s.page, `/records/petition?q=${encodeURIComponent(String(stamp))}`);
    expect(found.items.map((i) => [i.status, i.data.acceptedOn])).toEqual([
      ['受理', on],
      ['受理', on],
    ]);
    await shot(s.page, '23-batch-step');
    await assertHealthy(s);
    await s.context.close();
  });
});
