import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, login, newSession, settle, shot, startWorld, type DemoUser, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const ROLES: [string, DemoUser][] = [
  ['admin', DEMO.admin],
  ['office', DEMO.office],
  ['clerk', DEMO.clerkSfs],
  ['leader', DEMO.leader],
  ['adviser', DEMO.adviser],
  ['supervisor', DEMO.supervisor],
  // The 三员 besides the 系统管理员: their few pages must speak Chinese too.
  ['security', DEMO.security],
  ['auditor', DEMO.auditor],
];

/** A machine key on screen: snake_case (fraud_110_calls), camelCase (createdByName) or an unrendered {{ }}. */
const RAW = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\{\{/g;

async function rawTokens(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    // Visible text only; dialogs and poppers that are open count too.
    return document.body.innerText;
  });
  return [...new Set(text.match(RAW) ?? [])];
}

describe('no raw key on any page of the demo, for any role', () => {
  for (const [role, user] of ROLES) {
    it(`walks every page as ${role}`, { timeout: 600_000 }, async () => {
      const s = await newSession(world);
      await login(world, s, user);
      await settle(s.page);
      const found: string[] = [];
      const visit = async (path: string, name: string) => {
        await s.page.goto(`${world.url}${path}`);
        await settle(s.page);
        await s.page.waitForTimeout(150);
        for (const t of await rawTokens(s.page)) found.push(`${path}: ${t}`);
        await shot(s.page, `walk-${role}-${name}`);
      };
      // Every menu entry, clicked as a user would; on a ledger list also its first record's page.
      const openGroups = async () => {
        for (const g of await s.page.locator('.el-sub-menu__title').all()) {
          const open = await g.evaluate((el) => el.parentElement?.classList.contains('is-opened'));
          if (!open) await g.click();
        }
      };
      await openGroups();
      const n = await s.page.locator('.el-menu-item').count();
      expect(n).toBeGreaterThan(1);
      for (let i = 0; i < n; i++) {
        await openGroups();
        await s.page.locator('.el-menu-item').nth(i).click();
        await settle(s.page);
        const p = new URL(s.page.url()).pathname;
        const name = p === '/' ? 'home' : p.slice(1).replace(/\//g, '-');
        for (const t of await rawTokens(s.page)) found.push(`${p}: ${t}`);
        await shot(s.page, `walk-${role}-${name}`);
        if (p.startsWith('/ledgers/')) {
          const id = ((await s.page.locator('.records a.link').first().textContent().catch(() => '')) ?? '').replace('#', '').trim();
          if (/^\d+$/.test(id)) await visit(`${p}/${id}`, `${name}-record`);
        }
      }
      for (const extra of ['/notifications', '/password']) await visit(extra, extra.slice(1));
      expect(found, `raw keys on screen as ${role}`).toEqual([]);
      await s.context.close();
    });
  }
});
