/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = path.join(root, 'test-output', 'screenshots');

/** The demo accounts with their initial passwords (each changes it at its first login; see `login`). */
export const DEMO = {
  admin: { username: 'admin', password: 'guanli123!' },
  security: { username: 'anquan', password: 'safety123!' },
  auditor: { username: 'shenji', password: 'audit123!' },
  office: { username: 'fazhiban', password: 'fazhi123!' },
  clerkSfs: { username: 'sifasuo', password: 'clerk123!' },
  clerkZfd: { username: 'zhifadui', password: 'clerk123!' },
  leader: { username: 'lingdao', password: 'leader123!' },
  supervisor: { username: 'ducha', password: 'super123!' },
} as const;
export type DemoUser = (typeof DEMO)[keyof typeof DEMO];

interface RunningServer {
  url: string;
  close(): Promise<void>;
}
type StartServer = (opts: { port: number; host: string; dataDir: string; seedDemo: boolean }) => Promise<RunningServer>;

export function chromiumPath(): string {
  const found = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));
  if (!found) throw new Error('chromium not found: apt-get install -y chromium fonts-noto-cjk');
  return found;
}

export interface World {
  url: string;
  browser: Browser;
  dataDir: string;
  /** What the harness did at first logins: the password each account has now, its TOTP secret, the last code step used. */
  accounts: Map<string, { password: string; secret?: string; lastStep?: number }>;
  close(): Promise<void>;
}

/** A server on a free loopback port with a fresh SQLite database in a temp folder, and a headless chromium. */
export async function startWorld(): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-browser-'));
  // The module path is a variable so this file type-checks whether or not the server module exists yet.
  const modulePath = process.env.FAZHI_START_MODULE ?? path.join(root, 'src/server/start.ts');
  const { startServer } = (await import(modulePath)) as { startServer: StartServer };
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seedDemo: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    url: server.url.replace(/\/$/, ''),
    browser,
    dataDir,
    accounts: new Map(),
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed API calls seen so far (each test decides which are expected). */
  problems: string[];
}

export async function newSession(world: World, viewport = { width: 1366, height: 768 }): Promise<Session> {
  const context = await world.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return { context, page, problems };
}

/**
 * Signs in through the login page as a user would, then takes the sign-in steps the server asks for:
 * binding the second factor (the administrator roles, at their first login: the secret is read off the
 * page and codes computed from it, as an authenticator app would), entering a code at later logins, and
 * the first-login password change (to a new password the harness remembers for the next login).
 */
export async function login(world: World, s: Session, user: DemoUser): Promise<void> {
  const account = world.accounts.get(user.username) ?? { password: user.password };
  world.accounts.set(user.username, account);
  await s.page.goto(`${world.url}/login`);
  await s.page.fill('input[name="username"]', user.username);
  await s.page.fill('input[name="password"]', account.password);
  await s.page.click('button[type="submit"]');
  await s.page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  const onSignin = () => s.page.evaluate(() => location.pathname.startsWith('/signin'));
  for (let i = 0; i < 8; i++) {
    // Either the next step's card or the page the sign-in ends on.
    await s.page.waitForFunction(() => !location.pathname.startsWith('/signin') || document.querySelector('.signin-card'), undefined, { timeout: 15_000 });
    if (!(await onSignin())) break;
    const step = await s.page.evaluate(() => document.querySelector('.signin-card')?.getAttribute('data-step') ?? null);
    if (step === 'enrol') {
      const read = () => s.page.evaluate(() => document.querySelector('[data-test="totp-secret"]')?.textContent?.trim() ?? '');
      await s.page
        .waitForFunction(() => /^[A-Z2-7]{16,}$/.test(document.querySelector('[data-test="totp-secret"]')?.textContent?.trim() ?? ''), undefined, { timeout: 15_000 })
        .catch(async (e: unknown) => {
          throw new Error(`no TOTP secret on the page: ${(await s.page.textContent('body'))?.slice(0, 300)}`, { cause: e });
        });
      account.secret = await read();
      await s.page.fill('input[name="code"]', await nextCode(account));
      await s.page.click('[data-test="totp-submit"]');
    } else if (step === 'totp') {
      await s.page.fill('input[name="code"]', await nextCode(account));
      await s.page.click('[data-test="totp-submit"]');
    } else if (step === 'codes') {
      await expect.poll(() => s.page.locator('[data-test="recovery-codes"] li').count()).toBe(10);
      await s.page.click('[data-test="codes-saved"]');
    } else if (step === 'password') {
      const next = `${user.password}Aa`;
      await s.page.fill('input[name="oldPassword"]', account.password);
      await s.page.fill('input[name="newPassword"]', next);
      await s.page.fill('input[name="confirmPassword"]', next);
      await s.page.click('[data-test="password-submit"]');
      await s.page.waitForFunction(() => document.querySelector('.signin-card')?.getAttribute('data-step') !== 'password', undefined, { timeout: 15_000 });
      account.password = next;
      continue;
    } else continue;
    await s.page.waitForFunction((was) => document.querySelector('.signin-card')?.getAttribute('data-step') !== was, step, { timeout: 15_000 });
  }
  await s.page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 15_000 });
  await s.page.waitForSelector('.el-menu', { timeout: 15_000 });
}

/** A TOTP code the server has not seen yet (it refuses a code twice): waits for the next 30-second step if need be. */
async function nextCode(account: { secret?: string; lastStep?: number }): Promise<string> {
  let step = TOTP.counter({ period: 30 });
  if (account.lastStep !== undefined && step <= account.lastStep) {
    await new Promise((r) => setTimeout(r, TOTP.remaining({ period: 30 }) + 200));
    step = TOTP.counter({ period: 30 });
  }
  account.lastStep = step;
  return TOTP.generate({ secret: Secret.fromBase32(account.secret!), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** Waits until no loading mask or pending request spinner is visible. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'), undefined, { timeout: 15_000 }).catch(() => undefined);
}

/**
 * Fails when the page shows an error (error alerts, error messages, 5xx results) or when CJK text
 * renders with a fallback box: a Chinese string must be as wide as Noto Sans CJK draws it, not as
 * wide as the tofu glyph of a missing character.
 */
export async function assertHealthy(s: Session, opts: { allowErrors?: RegExp } = {}): Promise<void> {
  const shown = await s.page.evaluate(() =>
    [...document.querySelectorAll('.el-message--error, .el-alert--error, .el-result .icon-error, .el-notification .el-icon-error')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || el.closest('.el-message'))
      .map((el) => (el.textContent ?? '').trim()),
  );
  const errors = shown.filter((t) => !(opts.allowErrors && opts.allowErrors.test(t)));
  expect(errors, 'page shows an error').toEqual([]);
  const fonts = await s.page.evaluate(async () => {
    await document.fonts.ready;
    const family = getComputedStyle(document.body).fontFamily;
    // Draws one character and returns its pixels: two different CJK characters drawn identically
    // means both came out as the same missing-glyph box.
    const pixels = (ch: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 40;
      const ctx = canvas.getContext('2d')!;
      ctx.font = `32px ${family}`;
      ctx.fillStyle = '#000';
      ctx.fillText(ch, 2, 32);
      return Array.from(ctx.getImageData(0, 0, 40, 40).data.filter((_, i) => i % 4 === 3)).join(',');
    };
    const a = pixels('法');
    const b = pixels('治');
    const tofu = pixels('\u{10FFFD}');
    return { distinct: a !== b, notTofu: a !== tofu && b !== tofu, check: document.fonts.check('16px "Noto Sans CJK SC"') };
  });
  expect(fonts.check, 'Noto Sans CJK SC is available').toBe(true);
  expect(fonts.distinct, 'different CJK characters render differently (not as boxes)').toBe(true);
  expect(fonts.notTofu, 'CJK characters do not render as the missing-glyph box').toBe(true);
  expect(s.problems, 'no script errors or server errors').toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** Opens a ledger from the left menu, as a user would. */
export async function openLedger(page: Page, label: string): Promise<void> {
  const group = page.locator('.el-sub-menu__title', { hasText: '台账' });
  const item = page.locator('.el-menu-item', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first();
  if (!(await item.isVisible())) await group.click();
  await item.click();
  await page.waitForSelector('.records');
  await settle(page);
}

/** Opens a select and picks an option (the first one when `text` is omitted), waiting for the dropdown to close. */
export async function pickOption(page: Page, trigger: Locator, text?: string | RegExp): Promise<void> {
  await trigger.click();
  const popper = page.locator('.el-select__popper:visible').last();
  await popper.waitFor();
  const items = popper.locator('.el-select-dropdown__item');
  await (text === undefined ? items.first() : items.filter({ hasText: text }).first()).click();
  await popper.waitFor({ state: 'hidden' }).catch(() => undefined);
}

/** Fills a generated form field by its key, whatever its widget. */
export async function fillField(page: Page, key: string, value: string | number | boolean): Promise<void> {
  const item = page.locator(`.el-form-item[data-field="${key}"]`);
  const select = item.locator('.el-select');
  if (await item.locator('.el-switch').count()) {
    const on = await item.locator('.el-switch').evaluate((el) => el.classList.contains('is-checked'));
    if (on !== value) await item.locator('.el-switch').click();
    return;
  }
  if (await select.count()) {
    await pickOption(page, select, String(value));
    return;
  }
  const input = item.locator('input, textarea').first();
  await input.click();
  await input.fill(String(value));
  await input.press('Tab');
}
