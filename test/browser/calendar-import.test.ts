import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** A year the demo calendar has no data for, so the dashboard warns about it until it is imported. */
function missingYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear() + 1;
}

describe('the work calendar', () => {
  it('goes from the dashboard warning to the calendar, refuses a bad file with its line and imports a year from a GBK CSV', async () => {
    const year = missingYear();
    const s = await newSession(world);
    await login(world, s, DEMO.admin);
    await settle(s.page);
    const warning = s.page.locator('[data-test="calendar-warning"]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`${year}`);
    await s.page.click('[data-test="calendar-warning-go"]');
    await s.page.waitForURL(/\/admin\/calendar$/);
    await settle(s.page);

    const bad = path.join(world.dataDir, 'bad.csv');
    fs.writeFileSync(bad, `日期,类型,名称\n${year}-13-01,holiday,元旦\n`);
    await s.page.click('[data-test="calendar-import"]');
    await s.page.setInputFiles('[data-test="calendar-import-file"]', bad);
    const error = s.page.locator('[data-test="calendar-import-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/第2行.*无效/);

    // Saved from Excel on a Chinese Windows: GBK bytes. 元旦 = D4AA B5A9, 春节 = B4BA BDDA.
    const good = path.join(world.dataDir, 'holidays.csv');
    fs.writeFileSync(
      good,
      Buffer.concat([
        Buffer.from(`date,kind,name\n${year}-01-01,holiday,`),
        Buffer.from([0xd4, 0xaa, 0xb5, 0xa9]),
        Buffer.from(`\n${year}-02-08,holiday,`),
        Buffer.from([0xb4, 0xba, 0xbd, 0xda]),
        Buffer.from('\n'),
      ]),
    );
    await s.page.setInputFiles('[data-test="calendar-import-file"]', good);
    const result = s.page.locator('[data-test="calendar-import-result"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain(`已导入${year}年节假日安排，共2天`);
    await shot(s.page, '13-calendar-import');
    s.problems.length = 0; // the refused file answered 400 on purpose
    await s.page.locator('[data-test="calendar-import-dialog"]').getByRole('button', { name: '完成' }).click();
    await settle(s.page);
    // The imported year is shown, with the day's name from the GBK file.
    expect(await s.page.locator('.yr').textContent()).toContain(`${year}`);
    expect(await s.page.locator('.el-table').last().textContent()).toContain('春节');
    await assertHealthy(s);

    // The dashboard no longer warns about that year.
    await s.page.goto(`${world.url}/`);
    await settle(s.page);
    const still = (await s.page.locator('[data-test="calendar-warning"]').count()) ? await s.page.locator('[data-test="calendar-warning"]').textContent() : '';
    expect(still ?? '').not.toContain(`${year}年`);
    await s.context.close();
  });
});
