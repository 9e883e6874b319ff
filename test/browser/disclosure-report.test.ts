import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('the 政府信息公开工作年度报告', () => {
  it('shows the national tables; a cell opens the records it counts (上年结转: last year\'s requests)', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const year = new Date().getFullYear() - 1; // the demo's complete year
    const me = (await (await s.page.request.get(`${world.url}/api/auth/me`)).json()) as { user: { orgId: number } };
    const created = await s.page.request.post(`${world.url}/api/reports`, { data: { orgId: me.user.orgId, year, type: 'disclosure' }, headers: { origin: world.url, 'x-fazhi-request': '1' } });
    expect(created.ok()).toBe(true);
    const { id } = (await created.json()) as { id: number };
    await s.page.goto(`${world.url}/reports/${id}`);
    await settle(s.page);
    await s.page.locator('table[data-table="requests"]').waitFor();
    expect(await s.page.locator('[data-test="report-doc"] h2').allTextContents()).toContain('三、收到和处理政府信息公开申请情况');
    expect(await s.page.locator('table[data-table="requests"] th').allTextContents()).toContain('法人或其他组织');

    const newTotal = s.page.locator('td[data-figure="disclosure.requests.new.total"]');
    const n = Number(await newTotal.textContent());
    expect(n).toBeGreaterThan(0);
    await newTotal.click();
    const dialog = s.page.locator('.el-dialog', { has: s.page.locator('[data-test="metric-records"]') });
    await dialog.waitFor();
    await settle(s.page);
    expect(await dialog.locator('.key').textContent()).toContain(`共 ${n} 条记录`);
    expect(await dialog.locator('.el-table__row').count()).toBe(Math.min(n, 20));
    await shot(s.page, 'disclosure-cell-records');
    await dialog.locator('.el-dialog__headerbtn').click();

    const carried = s.page.locator('td[data-figure="disclosure.requests.carriedIn.total"]');
    const c = Number(await carried.textContent());
    expect(c).toBeGreaterThan(0);
    await carried.click();
    await settle(s.page);
    expect(await dialog.locator('.key').textContent()).toContain(`共 ${c} 条记录`);
    const dates = await dialog.locator('.el-table__row td:nth-child(3)').allTextContents();
    expect(dates.every((d) => d.trim() < `${year}-01-01`)).toBe(true);
    await assertHealthy(s);
  });
});
