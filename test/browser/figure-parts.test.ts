import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('the records behind a rate', () => {
  it('shows the numerator by default and every record counted in the denominator on request', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const year = new Date().getFullYear() - 1; // the demo's complete year
    const me = (await (await s.page.request.get(`${world.url}/api/auth/me`)).json()) as { user: { orgId: number } };
    // Sent as the web app sends it: the page's Origin and the anti-CSRF header.
    const created = await s.page.request.post(`${world.url}/api/reports`, { data: { orgId: me.user.orgId, year }, headers: { origin: world.url, 'x-fazhi-request': '1' } });
    expect(created.ok()).toBe(true);
    const { id } = (await created.json()) as { id: number };
    await s.page.goto(`${world.url}/reports/${id}`);
    await settle(s.page);
    // The satisfaction rate of deputies' suggestions is written as a percentage in the default template.
    const rate = s.page.locator('[data-test="figure"]', { hasText: '%' }).filter({ hasNotText: '下降' }).filter({ hasNotText: '上升' }).first();
    await rate.click();
    const dialog = s.page.locator('.el-dialog', { has: s.page.locator('[data-test="metric-records"]') });
    await dialog.locator('[data-test="figure-part"]').waitFor();
    const totalOf = async () => Number(/共 (\d+) 条记录/.exec((await dialog.locator('.key').textContent()) ?? '')?.[1] ?? NaN);
    await settle(s.page);
    const numerator = await totalOf();
    await dialog.getByText('全部参与计算的记录（分母）').click();
    await settle(s.page);
    const denominator = await totalOf();
    expect(denominator).toBeGreaterThanOrEqual(numerator);
    expect(denominator).toBeGreaterThan(0);
    await shot(s.page, 'figure-parts-denominator');
    await assertHealthy(s);
  });
});
