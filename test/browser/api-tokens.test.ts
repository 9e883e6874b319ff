import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('the API令牌 page', () => {
  it('lets the 系统管理员 issue a token shown once, see its last use, and revoke it', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.admin);
    const page = s.page;
    const group = page.locator('.el-sub-menu__title', { hasText: '系统管理' });
    const item = page.locator('.el-menu-item', { hasText: /^\s*API令牌\s*$/ });
    // The menu settles first: a sub-menu still opening reads as hidden, and a second click would close it.
    await settle(page);
    if (!(await item.isVisible())) {
      await group.click();
      await item.waitFor({ state: 'visible' });
    }
    await item.click();
    await page.waitForURL(/\/admin\/tokens/);
    await page.waitForSelector('[data-test="token-table"]');
    await settle(page);

    await page.locator('[data-test="issue-token"]').click();
    const dialog = page.locator('.el-dialog', { hasText: '签发API令牌' });
    await dialog.waitFor();
    await dialog.getByPlaceholder('如：区法治督察平台').fill('浏览器测试对接');
    await dialog.getByPlaceholder(/^如：ducha-platform/).fill('browser-svc');
    await dialog.getByPlaceholder('如：法治督察平台').fill('浏览器测试平台');
    await page.locator('[data-test="issue-submit"]').click();
    const secret = page.locator('input[data-test="issued-token"]') // el-input passes the attribute to its <input>;
    // The secret's dialog, or the server's refusal named in the failure.
    await Promise.race([secret.waitFor(), page.locator('.el-message--error').waitFor().then(async () => expect.fail(await page.locator('.el-message--error').innerText()))]);
    const token = await secret.inputValue();
    expect(token).toMatch(/^fzt_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: '我已保存' }).click();

    const row = page.locator('[data-test="token-table"] .el-table__row', { hasText: '浏览器测试对接' });
    await row.waitFor();
    expect(await row.textContent()).toContain('从未使用');
    expect(await row.textContent()).toContain(token.slice(0, 12));
    expect(await page.locator('body').textContent()).not.toContain(token);

    // Another system uses it: no cookie, no CSRF header.
    const me = await fetch(`${world.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    await page.reload();
    await settle(page);
    await row.waitFor();
    expect(await row.textContent()).not.toContain('从未使用');

    await row.getByRole('button', { name: '吊销' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '吊销' }).click();
    await page.locator('[data-test="token-table"] .el-table__row', { hasText: '已吊销' }).waitFor();
    const after = await fetch(`${world.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await assertHealthy(s);
  }, 180_000);
});
