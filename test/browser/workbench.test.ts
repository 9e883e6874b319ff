import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEMO, assertHealthy, fillField, login, newSession, openLedger, pickOption, settle, shot, startWorld, type World } from './harness';

/** Dates relative to today (Asia/Shanghai), so deadline states are the same whenever the suite runs. */
function daysAgo(n: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  now.setUTCDate(now.getUTCDate() - n);
  return now.toISOString().slice(0, 10);
}
const stamp = Date.now().toString(36).slice(-5);

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('the web workbench', () => {
  it('refuses a wrong password with the server message, then logs in and shows the home page', async () => {
    const s = await newSession(world);
    await s.page.goto(`${world.url}/`);
    await s.page.waitForURL(/\/login/);
    await shot(s.page, '01-login');
    await s.page.fill('input[name="username"]', DEMO.office.username);
    await s.page.fill('input[name="password"]', 'wrong-password');
    await s.page.click('button[type="submit"]');
    const err = s.page.locator('[data-test="login-error"]');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/密码/);
    await login(world, s, DEMO.office);
    await settle(s.page);
    expect(await s.page.locator('.aside .el-menu').first().textContent()).toContain('信访事项');
    await shot(s.page, '02-dashboard');
    await assertHealthy(s);
    await s.context.close();
  });

  it('creates records in two kinds, correcting a validation error, and performs a flow transition', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);

    // Training: submit without the title first, see the inline Chinese error, fix it.
    await openLedger(s.page, '培训与学法');
    await shot(s.page, '03-ledger-list');
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    await fillField(s.page, 'heldOn', daysAgo(1));
    await fillField(s.page, 'trainingType', '执法人员培训');
    await fillField(s.page, 'attendees', 31);
    await s.page.click('[data-test="save"]');
    const titleError = s.page.locator('.el-form-item[data-field="title"] .el-form-item__error');
    await titleError.waitFor();
    expect(await titleError.textContent()).toContain('请填写主题');
    await shot(s.page, '04-form-validation');
    s.problems.length = 0;
    await fillField(s.page, 'title', `行政处罚法专题培训${stamp}`);
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(/\/ledgers\/training\/\d+$/);
    await s.page.locator('[data-test="record-title"]', { hasText: `行政处罚法专题培训${stamp}` }).waitFor();

    // Petition registered 70 days ago, accepted 62 days ago: its 60-day handling limit has passed.
    await openLedger(s.page, '信访事项');
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    await fillField(s.page, 'registeredOn', daysAgo(70));
    await fillField(s.page, 'channel', '来访');
    await fillField(s.page, 'petitioner', '张三');
    await fillField(s.page, 'subject', `反映小区噪音扰民${stamp}`);
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(/\/ledgers\/petition\/\d+$/);
    const petitionUrl = s.page.url();
    await settle(s.page);
    await s.page.click('[data-test="transition-accept"]');
    const dialog = s.page.locator('.el-dialog:visible');
    await dialog.waitFor();
    // The step's date is typed as text (the calendar button beside it is the other way in).
    const dateInput = dialog.locator('[data-test="transition-date"] input[data-test="date-text"]');
    await dateInput.fill(daysAgo(62));
    await dateInput.press('Tab');
    await dialog.locator('[data-test="confirm-transition"]').click();
    await s.page.locator('[data-test="record-status"]', { hasText: '受理' }).waitFor();
    await settle(s.page);
    expect(await s.page.locator('.history').textContent()).toMatch(/受理/);
    await shot(s.page, '05-record-detail');
    await assertHealthy(s);

    // The overdue petition is in 待办 and one click leads back to it.
    await s.page.goto(`${world.url}/`);
    await settle(s.page);
    const todo = s.page.locator('[data-test="todo-item"]', { hasText: `反映小区噪音扰民${stamp}` });
    await todo.waitFor({ timeout: 15_000 });
    expect(await todo.textContent()).toContain('逾期');
    // The dashboard's training figure counts the new record.
    const figures = await s.page.locator('[data-test="figures"]').textContent();
    expect(figures).toMatch(/培训/);
    await todo.click();
    await s.page.waitForURL(petitionUrl);
    await assertHealthy(s);
    await s.context.close();
  });

  it('shows a department clerk only the records of their own department', async () => {
    const a = await newSession(world);
    await login(world, a, DEMO.clerkSfs);
    await openLedger(a.page, '法律咨询');
    await a.page.click('[data-test="create"]');
    await a.page.waitForSelector('.record-form');
    await fillField(a.page, 'consultedOn', daysAgo(2));
    await fillField(a.page, 'channel', '现场');
    await fillField(a.page, 'topic', '劳动争议');
    await fillField(a.page, 'handler', `司法所接待员${stamp}`);
    await a.page.click('[data-test="save"]');
    await a.page.waitForURL(/\/ledgers\/legal_consultation\/\d+$/);
    const recordPath = new URL(a.page.url()).pathname;
    await assertHealthy(a);
    // No report or administration menu for a clerk.
    const menu = await a.page.locator('.aside .el-menu').first().textContent();
    expect(menu).not.toContain('系统管理');
    expect(menu).not.toContain('报告');
    await a.context.close();

    const b = await newSession(world);
    await login(world, b, DEMO.clerkZfd);
    await openLedger(b.page, '法律咨询');
    const depts = await b.page.locator('.records .el-table__body').textContent();
    expect(depts ?? '').not.toContain('司法所');
    expect(depts ?? '').not.toContain(`司法所接待员${stamp}`);
    await b.page.goto(`${world.url}${recordPath}`);
    await b.page.locator('.el-result').waitFor();
    expect(await b.page.locator('.el-result').textContent()).toMatch(/无权|不存在|权限/);
    await b.context.close();
  });

  it('generates the year report, shows the records behind a figure and downloads the .docx', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.click('.el-menu-item:has-text("年度报告")');
    await s.page.waitForSelector('[data-test="create-report"]');
    await pickOption(s.page, s.page.locator('[data-test="new-report-year"]'), `${new Date().getFullYear()}年度`);
    await s.page.click('[data-test="create-report"]');
    await s.page.waitForURL(/\/reports\/\d+$/, { timeout: 60_000 });
    await s.page.waitForSelector('[data-test="report-doc"]');
    await settle(s.page);
    await shot(s.page, '06-report-editor');
    const fig = s.page.locator('[data-test="figure"]').first();
    await fig.click();
    await s.page.locator('[data-test="metric-records"]').waitFor();
    await settle(s.page);
    await s.page.keyboard.press('Escape');
    await s.page.click('[data-test="download"]');
    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-test="download-docx"]')]);
    const file = await dl.path();
    expect(dl.suggestedFilename()).toMatch(/\.docx$/);
    const head = fs.readFileSync(file).subarray(0, 2).toString('latin1');
    expect(head).toBe('PK');
    await assertHealthy(s);
    await s.context.close();
  });

  it('lets an admin define a custom kind and add a record to it', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.admin);
    await s.page.goto(`${world.url}/admin/ledgers`);
    await s.page.click('[data-test="new-kind"]');
    await s.page.fill('input[data-test="kind-label"]', '安全生产检查');
    await s.page.fill('input[data-test="kind-key"]', `safety_${stamp}`);
    await s.page.click('[data-test="add-field"]');
    const row = s.page.locator('[data-test="field-2"]');
    await row.locator('input[placeholder="名称"]').fill('检查结果');
    await row.locator('input[placeholder="标识"]').fill('result');
    await pickOption(s.page, row.locator('.el-select').first(), /^单选$/);
    await row.locator('input[placeholder^="选项"]').fill('合格、整改');
    // A second date field closes a 15-day 整改期限 counted from the inspection date.
    await s.page.click('[data-test="add-field"]');
    const done = s.page.locator('[data-test="field-3"]');
    await done.locator('input[placeholder="名称"]').fill('整改完成日期');
    await done.locator('input[placeholder="标识"]').fill('fixedOn');
    await pickOption(s.page, done.locator('.el-select').first(), /^日期$/);
    await s.page.click('[data-test="deadline-enabled"]');
    await s.page.fill('input[data-test="deadline-label"]', '整改期限');
    await s.page.locator('[data-test="deadline-amount"] input').fill('15');
    await pickOption(s.page, s.page.locator('[data-test="deadline-done"]'), '整改完成日期');
    await shot(s.page, '07-kind-designer');
    await s.page.click('[data-test="save-kind"]');
    await s.page.locator('.el-message--success').waitFor();
    await openLedger(s.page, '安全生产检查');
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    const orgSelect = s.page.locator('.el-form-item', { hasText: '所属单位' }).locator('.el-select');
    if (await orgSelect.count()) await pickOption(s.page, orgSelect, '庙行镇');
    await pickOption(s.page, s.page.locator('.el-form-item', { hasText: '责任部门' }).locator('.el-select'));
    await fillField(s.page, 'title', `检查某工地${stamp}`);
    await fillField(s.page, 'happenedOn', daysAgo(3));
    await fillField(s.page, 'result', '合格');
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(new RegExp(`/ledgers/safety_${stamp}/\\d+$`));
    expect(await s.page.locator('.fields').textContent()).toContain('合格');
    // The admin's deadline rule runs with no code: 15 days from the inspection, explained.
    const deadline = await s.page.locator('[data-test="deadline"]').textContent();
    expect(deadline).toContain('整改期限');
    expect(deadline).toContain(`${daysAgo(3)} `);
    expect(deadline).toMatch(/15日/);
    await assertHealthy(s);
    await s.context.close();
  });

  it('renders the other main pages without errors, also at phone width', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.supervisor);
    await s.page.click('.el-menu-item:has-text("区级对比")');
    await s.page.waitForSelector('[data-test="district-table"]');
    await settle(s.page);
    await shot(s.page, '08-district');
    await assertHealthy(s);
    await s.context.close();

    const admin = await newSession(world);
    await login(world, admin, DEMO.admin);
    for (const [path, name] of [
      ['/admin/calendar', '09-calendar'],
      ['/admin/users', '10-users'],
      ['/admin/orgs', '11-orgs'],
    ] as const) {
      await admin.page.goto(`${world.url}${path}`);
      await settle(admin.page);
      await shot(admin.page, name);
      await assertHealthy(admin);
    }
    await admin.context.close();

    const phone = await newSession(world, { width: 390, height: 844 });
    await login(world, phone, DEMO.leader);
    await settle(phone.page);
    expect(await phone.page.locator('.aside').evaluate((el) => el.getBoundingClientRect().right <= 0)).toBe(true);
    await shot(phone.page, '12-phone-dashboard');
    await assertHealthy(phone);
    // A record read on a phone: one field per row, not two label/value pairs squeezed side by side.
    await phone.page.goto(`${world.url}/ledgers/petition`);
    await phone.page.waitForSelector('.records');
    await settle(phone.page);
    await phone.page.locator('.records a.link').first().click();
    await phone.page.waitForSelector('.fields');
    await settle(phone.page);
    const labelsPerRow = await phone.page.locator('.fields tr').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.el-descriptions__label').length));
    expect(Math.max(...labelsPerRow)).toBe(1);
    await shot(phone.page, '15-phone-record');
    await assertHealthy(phone);
    await phone.context.close();
  });
});
