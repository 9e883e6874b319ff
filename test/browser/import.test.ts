import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const line = (title: string, heldOn: string) =>
  JSON.stringify({ kind: 'training', dept: '司法所', title, heldOn, trainingType: '警示教育', attendees: 12 });

describe('data import and export page', () => {
  it('rejects a file with a bad line naming it, imports a good one, and exports the kind as Excel', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await s.page.goto(`${world.url}/admin/import`);
    await settle(s.page);
    const input = s.page.locator('.el-upload input[type="file"]');

    const bad = [line('浏览器导入测试甲', '2026-03-02'), line('浏览器导入测试乙', '2026-02-30')].join('\n');
    await input.setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(bad) });
    await s.page.getByText('第2行：日期：不是有效日期（YYYY-MM-DD）').first().waitFor();
    await shot(s.page, 'import-01-errors');

    const good = [line('浏览器导入测试甲', '2026-03-02'), line('浏览器导入测试乙', '2026-03-03')].join('\n');
    await input.setInputFiles({ name: 'good.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(good) });
    await s.page.getByText('已导入 2 条记录').waitFor();
    const res = await s.page.request.get(`${world.url}/api/records/training?f.title.contains=${encodeURIComponent('浏览器导入测试')}`);
    expect(((await res.json()) as { total: number }).total).toBe(2);

    const [dl] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: '导出' }).click()]);
    const bytes = fs.readFileSync(await dl.path());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await assertHealthy(s, { allowErrors: /第2行/ });
  });
});
