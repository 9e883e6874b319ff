import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api${p}`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  }, path) as Promise<T>;
}

interface Board {
  by: string;
  totals: { overdue: number; near: number };
  rows: { label: string; overdue: number; near: number; cells: Record<string, { overdue: number; near: number }> }[];
}

describe('督办 and the district export', () => {
  it("the 督办 page's counts are the API's, and a cell opens exactly its records", async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.goto(`${world.url}/supervision`);
    await s.page.waitForSelector('[data-test="supervision-table"]');
    await settle(s.page);
    const api = await apiGet<Board>(s.page, '/supervision');
    expect(api.by).toBe('dept');
    expect(api.totals.overdue + api.totals.near).toBeGreaterThan(0);
    expect(Number(await s.page.locator('[data-test="total-overdue"]').textContent())).toBe(api.totals.overdue);
    expect(Number(await s.page.locator('[data-test="total-near"]').textContent())).toBe(api.totals.near);
    await shot(s.page, '24-supervision');

    // The first 逾期 cell: its number, then the list it opens.
    const link = s.page.locator('[data-test="supervision-table"] a[data-state="逾期"]').first();
    const shown = Number(((await link.textContent()) ?? '').replace(/\D/g, ''));
    const cell = await link.evaluate((el) => el.closest('[data-cell]')?.getAttribute('data-cell') ?? '');
    const [dept, kind] = cell.split('|') as [string, string];
    expect(shown).toBe(api.rows.find((r) => r.label === dept)!.cells[kind]!.overdue);
    await link.click();
    await s.page.waitForURL(new RegExp(`/ledgers/${kind}\\?`));
    await settle(s.page);
    const query = new URL(s.page.url()).search;
    expect(query).toContain('deadlineState=');
    expect((await apiGet<{ total: number }>(s.page, `/records/${kind}${query}`)).total).toBe(shown);
    expect(await s.page.locator('.pager .el-pagination__total').textContent()).toContain(String(shown));

    // The export holds the same figures.
    await s.page.goto(`${world.url}/supervision`);
    await s.page.waitForSelector('[data-test="supervision-table"]');
    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="supervision-export"]')]);
    expect(dl.suggestedFilename()).toBe('庙行镇_督办表.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await dl.path())!) as unknown as ArrayBuffer);
    const total = wb.getWorksheet('督办')!.getSheetValues().map((v) => (Array.isArray(v) ? v.slice(1, 4) : [])).find((r) => r?.[0] === '合计');
    expect(total).toEqual(['合计', api.totals.overdue, api.totals.near]);
    await assertHealthy(s);
    await s.context.close();
  });

  it('shows the supervisor the towns, and each town drills down to its departments', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.supervisor);
    await s.page.goto(`${world.url}/supervision`);
    await s.page.waitForSelector('[data-test="supervision-table"]');
    await settle(s.page);
    const api = await apiGet<Board>(s.page, '/supervision');
    expect(api.by).toBe('town');
    expect(api.rows.map((r) => r.label).sort()).toEqual(['大场镇', '庙行镇']);
    expect(Number(await s.page.locator('[data-test="total-overdue"]').textContent())).toBe(api.totals.overdue);
    await s.page.locator('[data-test="drill"]', { hasText: '庙行镇' }).click();
    await s.page.waitForURL(/orgId=/);
    await settle(s.page);
    const town = api.rows.find((r) => r.label === '庙行镇')!;
    expect(Number(await s.page.locator('[data-test="total-overdue"]').textContent())).toBe(town.overdue);
    await shot(s.page, '25-supervision-district');
    await assertHealthy(s);
    await s.context.close();
  });

  it('exports the district comparison as .xlsx and as the .docx annex', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.supervisor);
    await s.page.goto(`${world.url}/district`);
    await s.page.waitForSelector('[data-test="district-table"]');
    await settle(s.page);
    const [xlsx] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="district-export-xlsx"]')]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const text = wb.worksheets.flatMap((ws) => ws.getSheetValues().flatMap((r) => (Array.isArray(r) ? r.map(String) : []))).join(' ');
    expect(text).toContain('庙行镇');
    expect(text).toContain('大场镇');
    const [docx] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="district-export-docx"]')]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = fs.readFileSync((await docx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await shot(s.page, '26-district-export');
    await assertHealthy(s);
    await s.context.close();
  });
});
