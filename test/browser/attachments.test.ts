import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type Session, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** Bytes that are not valid UTF-8 (GBK-like) with every byte value, so any text decoding on the way would show. */
const RAW = Buffer.concat([Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0d, 0x0a, 0x00, 0xff]), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** The detail page of one demo training record, opened by address. */
async function openSomeRecord(s: Session): Promise<string> {
  const res = await s.page.request.get(`${world.url}/api/records/training?page=1&pageSize=1`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { items: { id: number }[] };
  const id = body.items[0]?.id;
  expect(id, 'the demo has a training record').toBeTypeOf('number');
  const url = `${world.url}/ledgers/training/${id}`;
  await s.page.goto(url);
  await s.page.waitForSelector('[data-test="attachments"]');
  await settle(s.page);
  return url;
}

const rowOf = (s: Session, name: string) => s.page.locator('[data-test="attachments"] .el-table__row', { hasText: name });

describe('record attachments', () => {
  it('uploads files to a record, lists, previews, downloads the same bytes and deletes', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const url = await openSomeRecord(s);
    expect(await s.page.locator('[data-test="attachments"] .el-table').textContent()).toContain('暂无附件');

    const input = s.page.locator('[data-test="attachment-upload"] input[type="file"]');
    await input.setInputFiles([
      { name: '签到表（GBK）.txt', mimeType: 'text/plain', buffer: RAW },
      { name: '现场照片.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await rowOf(s, '签到表（GBK）.txt').waitFor();
    await rowOf(s, '现场照片.png').waitFor();
    expect(await rowOf(s, '签到表（GBK）.txt').textContent()).toContain(`${RAW.length} B`);
    await s.page.locator('[data-test="attachment-progress"]').first().waitFor({ state: 'detached' });
    await shot(s.page, 'attachments-01-listed');

    // Still there after a reload: the list comes from the server.
    await s.page.goto(url);
    await rowOf(s, '现场照片.png').waitFor();

    // Download keeps the name and every byte.
    const [dl] = await Promise.all([s.page.waitForEvent('download'), rowOf(s, '签到表（GBK）.txt').locator('[data-test="attachment-download"]').click()]);
    expect(dl.suggestedFilename()).toBe('签到表（GBK）.txt');
    const saved = await dl.path();
    expect(Buffer.compare(fs.readFileSync(saved), RAW)).toBe(0);

    // Images preview in a dialog; the text file offers no preview.
    expect(await rowOf(s, '签到表（GBK）.txt').locator('[data-test="attachment-preview"]').count()).toBe(0);
    await rowOf(s, '现场照片.png').locator('[data-test="attachment-preview"]').click();
    const img = s.page.locator('[data-test="attachment-preview-img"]');
    await img.waitFor();
    await s.page.waitForFunction(() => (document.querySelector('[data-test="attachment-preview-img"]') as HTMLImageElement | null)?.naturalWidth === 1);
    await shot(s.page, 'attachments-02-preview');
    await s.page.locator('.el-dialog:visible').getByRole('button', { name: '关闭', exact: true }).click();
    await img.waitFor({ state: 'detached' });

    // Delete asks first, then only that row goes.
    await rowOf(s, '现场照片.png').locator('[data-test="attachment-delete"]').click();
    await s.page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
    await rowOf(s, '现场照片.png').waitFor({ state: 'detached' });
    expect(await rowOf(s, '签到表（GBK）.txt').count()).toBe(1);
    await assertHealthy(s);
    await s.context.close();
  });

  it('refuses a file over 20 MB in the browser with a Chinese message', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    await openSomeRecord(s);
    let posted = false;
    s.page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/attachments')) posted = true;
    });
    await s.page
      .locator('[data-test="attachment-upload"] input[type="file"]')
      .setInputFiles({ name: '过大的扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(20 * 1024 * 1024 + 1, 1) });
    const msg = s.page.locator('.el-message--error');
    await msg.waitFor();
    expect(await msg.textContent()).toContain('超过20MB');
    expect(posted).toBe(false);
    await s.context.close();
  });

  // Reads the text file the first test left on the record.
  it('lets a reader see and download attachments but not upload or delete', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.leader);
    await openSomeRecord(s);
    await rowOf(s, '签到表（GBK）.txt').waitFor();
    expect(await s.page.locator('[data-test="attachment-upload"]').count()).toBe(0);
    expect(await s.page.locator('[data-test="attachment-delete"]').count()).toBe(0);
    const [dl] = await Promise.all([s.page.waitForEvent('download'), rowOf(s, '签到表（GBK）.txt').locator('[data-test="attachment-download"]').click()]);
    expect(Buffer.compare(fs.readFileSync(await dl.path()), RAW)).toBe(0);
    await assertHealthy(s);
    await s.context.close();
  });
});
