import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, fillField, login, newSession, openLedger, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

function shanghaiDate(offsetDays: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  now.setUTCDate(now.getUTCDate() + offsetDays);
  return now.toISOString().slice(0, 10);
}

describe('server messages and permissions on the record and report pages', () => {
  it("shows a refused transition's server message inside its dialog, names the date it sets, and cites the deadline's basis", async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await openLedger(s.page, '信访事项');
    await s.page.click('[data-test="create"]');
    await s.page.waitForSelector('.record-form');
    // Registered in a week: accepting it today is before its registration, which the server refuses.
    await fillField(s.page, 'registeredOn', shanghaiDate(7));
    await fillField(s.page, 'channel', '来信');
    await fillField(s.page, 'petitioner', '王五');
    await fillField(s.page, 'subject', '反映道路积水');
    await s.page.click('[data-test="save"]');
    await s.page.waitForURL(/\/ledgers\/petition\/\d+$/);
    await settle(s.page);
    expect(await s.page.locator('[data-test="deadline-basis"]').textContent()).toContain('《信访工作条例》');

    await s.page.click('[data-test="transition-accept"]');
    const dialog = s.page.locator('.el-dialog:visible');
    await dialog.waitFor();
    expect(await dialog.locator('.el-form-item__label').first().textContent()).toBe('受理日期');
    await dialog.locator('[data-test="confirm-transition"]').click();
    const err = dialog.locator('[data-test="transition-error"]');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/不得早于.*登记日期/);
    await shot(s.page, '14-transition-refused');
    // Still open for a correction; the record is unchanged.
    expect(await dialog.isVisible()).toBe(true);
    expect(await s.page.locator('[data-test="record-status"]').textContent()).toBe('登记');
    s.problems.length = 0; // the 400 is the point of this test
    await assertHealthy(s, { allowErrors: /不得早于/ });
    await s.context.close();
  });

  it('shows the server message, not an empty form, when the record to edit does not exist', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.goto(`${world.url}/ledgers/petition/99999999/edit`);
    const result = s.page.locator('[data-test="load-error"]');
    await result.waitFor();
    expect(await result.textContent()).toContain('不存在');
    expect(await s.page.locator('.record-form').count()).toBe(0);
    await result.getByRole('button', { name: '返回列表' }).click();
    await s.page.waitForURL(/\/ledgers\/petition$/);
    await s.context.close();
  });

  it('offers report state changes only to those the server allows', async () => {
    const office = await newSession(world);
    await login(world, office, DEMO.office);
    await office.page.goto(`${world.url}/reports`);
    await office.page.click('[data-test="create-report"]');
    await office.page.waitForURL(/\/reports\/\d+$/, { timeout: 60_000 });
    await office.page.waitForSelector('[data-test="report-doc"]');
    const reportUrl = office.page.url();
    expect(await office.page.getByRole('button', { name: '提交审核' }).count()).toBe(1);
    await office.context.close();

    const leader = await newSession(world);
    await login(world, leader, DEMO.leader);
    await leader.page.goto(reportUrl);
    await leader.page.waitForSelector('[data-test="report-doc"]');
    await settle(leader.page);
    expect(await leader.page.getByRole('button', { name: '提交审核' }).count()).toBe(0);
    expect(await leader.page.locator('.edit-btn').count()).toBe(0);
    // Reading and downloading stay open to the leader.
    expect(await leader.page.locator('[data-test="download"]').count()).toBe(1);
    await assertHealthy(leader);
    await leader.context.close();
  });
});
