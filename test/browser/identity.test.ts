import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

describe('sign-in steps, locks and the 三员 pages', () => {
  it('shows the tries left, then the 安全管理员 binds a second factor, changes the demo password and lifts the lock', async () => {
    const s = await newSession(world);
    await s.page.goto(`${world.url}/login`);
    await s.page.fill('input[name="username"]', DEMO.leader.username);
    await s.page.fill('input[name="password"]', 'Wrong-pass-1');
    await s.page.click('button[type="submit"]');
    const err = s.page.locator('[data-test="login-error"]');
    await err.waitFor();
    expect(await err.textContent()).toContain('还可尝试4次');
    // Four more from this address lock 领导 here.
    for (let i = 0; i < 4; i++) {
      await s.page.evaluate(() => fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-fazhi-request': '1' }, body: JSON.stringify({ username: 'lingdao', password: 'Wrong-pass-1' }) }));
    }
    await s.page.fill('input[name="password"]', DEMO.leader.password);
    await s.page.click('button[type="submit"]');
    await expect.poll(async () => err.textContent()).toContain('已锁定');
    await shot(s.page, 'identity-01-locked');

    // The 安全管理员's first login: bind the second factor (recovery codes shown once), then a new password.
    await login(world, s, DEMO.security);
    expect(new URL(s.page.url()).pathname).toBe('/admin/security');
    await settle(s.page);
    const row = s.page.locator('[data-test="locks"] .el-table__row', { hasText: 'lingdao' });
    await row.waitFor();
    await shot(s.page, 'identity-02-security');
    await row.locator('[data-test="unlock"]').click();
    await expect.poll(() => row.count()).toBe(0);
    await assertHealthy(s, { allowErrors: /已锁定/ });
    await s.context.close();

    const leader = await newSession(world);
    await login(world, leader, DEMO.leader);
    await assertHealthy(leader);
    await leader.context.close();
  });

  it('lists a user’s sessions and ends the others; the 审计管理员 lands on its own page', async () => {
    const a = await newSession(world);
    await login(world, a, DEMO.office);
    const b = await newSession(world);
    await login(world, b, DEMO.office);
    await a.page.goto(`${world.url}/account`);
    await settle(a.page);
    await expect.poll(() => a.page.locator('[data-test="sessions"] .el-table__row').count()).toBeGreaterThanOrEqual(2);
    await shot(a.page, 'identity-03-account');
    await a.page.click('[data-test="end-others"]');
    await expect.poll(() => a.page.locator('[data-test="sessions"] .el-table__row').count()).toBe(1);
    const me = await b.page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
    expect(me).toBe(401);
    await assertHealthy(a);
    await a.context.close();
    await b.context.close();

    const auditor = await newSession(world);
    await login(world, auditor, DEMO.auditor);
    // Its own page is the audit log; its account page says the second factor is required.
    expect(new URL(auditor.page.url()).pathname).toBe('/audit');
    await auditor.page.goto(`${world.url}/account`);
    await auditor.page.waitForSelector('[data-test="totp-status"]');
    expect(await auditor.page.locator('[data-test="totp-status"]').textContent()).toContain('必须使用双因素认证');
    await assertHealthy(auditor);
    await auditor.context.close();
  });
});
