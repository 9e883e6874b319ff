import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type Session, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
  // The 审计管理员 is a demo account (shenji); login() takes its sign-in steps (new password, second factor).
});
afterAll(async () => {
  await world?.close();
});

/** Collects CSP violations the page reports, from before its first script runs. */
async function watchCsp(s: Session): Promise<() => Promise<string[]>> {
  await s.page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => s.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

const headers = () => ({ origin: world.url, 'x-fazhi-request': '1' });

describe('the web app under its security headers', () => {
  it('runs the built app with a CSP that allows no inline script, and frames nothing', async () => {
    const s = await newSession(world);
    const violations = await watchCsp(s);
    const res = await s.page.goto(`${world.url}/login`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res!.headers()['x-content-type-options']).toBe('nosniff');
    await login(world, s, DEMO.office);
    for (const path of ['/', '/ledgers/petition', '/ledgers/training', '/reports']) {
      await s.page.goto(`${world.url}${path}`);
      await settle(s.page);
    }
    await s.page.locator('.el-table__row').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    // An inline script injected into the page is refused by the browser.
    await s.page.evaluate(() => {
      const el = document.createElement('script');
      el.textContent = 'window.__inline = 1';
      document.body.appendChild(el);
    });
    expect(await s.page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    const seen = await violations();
    expect(seen.filter((v) => !v.startsWith('script-src-elem inline') && !v.startsWith('script-src inline'))).toEqual([]);
    expect(seen.length).toBe(1);
    // The violation is the injected script only; the app itself logged none.
    s.problems.splice(0, s.problems.length, ...s.problems.filter((p) => !/Content Security Policy/.test(p)));
    await assertHealthy(s);
  });

  it('renders HTML and script typed into text fields as text', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const me = (await (await s.page.request.get(`${world.url}/api/auth/me`)).json()) as { user: { orgId: number } };
    const depts = (await (await s.page.request.get(`${world.url}/api/orgs`)).json()) as { items: { id: number; depts: { id: number; name: string }[] }[] };
    const dept = depts.items.find((o) => o.id === me.user.orgId)!.depts[0]!;
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const created = await s.page.request.post(`${world.url}/api/records/training`, {
      headers: headers(),
      data: { deptId: dept.id, data: { title: evil, heldOn: '2023-05-06', trainingType: '其他', attendees: 3, organizer: dept.name } },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    let dialogs = 0;
    s.page.on('dialog', (d) => (dialogs++, void d.dismiss()));
    await s.page.goto(`${world.url}/ledgers/training/${id}`);
    await settle(s.page);
    expect(await s.page.locator('body').innerText()).toContain(evil);
    expect(await s.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await s.page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('refuses a form posted from another site (text/plain, no custom header)', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    // A cross-site form would send exactly this: the session cookie (were it sent), text/plain, a foreign Origin.
    const r = await s.page.request.post(`${world.url}/api/records/training`, {
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      data: '{"deptId":1,"data":{}}',
    });
    expect(r.status()).toBe(403);
    expect(((await r.json()) as { error: { message: string } }).error.message).toContain('请求来源不可信');
  });
});

describe('the audit screen', () => {
  it('lets the 审计管理员 filter the log and export it for the assessor', async () => {
    const s = await newSession(world);
    const violations = await watchCsp(s);
    await login(world, s, DEMO.auditor);
    await s.page.waitForURL(/\/audit$/);
    await settle(s.page);
    // Only the audit log (and its own account) in the menu.
    expect((await s.page.locator('.el-menu').innerText()).replace(/\s+/g, '')).toBe('审计日志账号与安全');
    await s.page.locator('[data-test="audit-chain"] .el-tag').waitFor();
    expect(await s.page.locator('[data-test="audit-chain"]').innerText()).toContain('审计链完整');
    await s.page.locator('[data-test="audit-user"]').locator('xpath=descendant-or-self::input').fill('shenji');
    await s.page.click('[data-test="audit-search"]');
    await settle(s.page);
    const table = await s.page.locator('[data-test="audit-table"]').innerText();
    // Its own login is in the log; nobody else's passes the filter.
    expect(table).toContain('shenji');
    expect(table).toContain('登录');
    expect(table).not.toContain('fazhiban');
    expect(table).not.toContain('sifasuo');
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="audit-export-csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF序号,时间,用户名')).toBe(true);
    expect(text).toContain('shenji');
    await shot(s.page, 'audit-log');
    expect(await violations()).toEqual([]);
    await assertHealthy(s);
  });
});
