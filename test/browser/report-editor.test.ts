/**
 * Issue 10 in the report editor: figures by their Chinese names (never `{{…}}`), 【待完善】 on template
 * text only in the editor, paragraphs added and removed, part 五 switched on, the signature block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, assertHealthy, login, newSession, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('the report editor', () => {
  it('edits a report in Chinese: figures by name, 待完善 marks, structure and signature', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const year = new Date().getFullYear() - 1;
    const me = (await (await s.page.request.get(`${world.url}/api/auth/me`)).json()) as { user: { orgId: number } };
    const created = await s.page.request.post(`${world.url}/api/reports`, { data: { orgId: me.user.orgId, year }, headers: { origin: world.url, 'x-fazhi-request': '1' } });
    expect(created.ok()).toBe(true);
    const { id } = (await created.json()) as { id: number };
    await s.page.goto(`${world.url}/reports/${id}`);
    await s.page.waitForSelector('[data-test="report-doc"]');
    await settle(s.page);

    const doc = s.page.locator('[data-test="report-doc"]');
    expect(await doc.textContent()).not.toContain('{{');
    expect(await s.page.locator('[data-test="unedited"]').count()).toBeGreaterThan(3);
    expect(await s.page.locator('[data-test="signature"]').textContent()).toMatch(/人民政府|办事处/);
    // A figure's tooltip is its Chinese name.
    const title = await s.page.locator('[data-test="figure"]').first().getAttribute('title');
    expect(title).toMatch(/[\u4e00-\u9fa5]/);
    expect(title).not.toMatch(/[a-z_]+\.[a-z_]+/);

    // Edit the paragraph of part 二: its figures are chips with Chinese names.
    const para = s.page.locator('.para-row', { hasText: '存在一些不足' }).first();
    await para.hover();
    await para.locator('.edit-btn').click();
    const editor = s.page.locator('[data-test="segments-editor"]');
    await editor.waitFor();
    expect(await editor.textContent()).not.toContain('{{');
    await editor.locator('textarea').first().fill('对照新时代法治政府建设的要求，我镇工作还存在一些不足，主要是基层法治力量仍显薄弱。');
    await s.page.getByRole('button', { name: '保存' }).click();
    await settle(s.page);
    const editedRow = s.page.locator('.para-row', { hasText: '基层法治力量仍显薄弱' }).first();
    // The page reloads the report after saving.
    await expect.poll(() => editedRow.locator('[data-test="unedited"]').count(), { message: 'edited paragraph', timeout: 15_000 }).toBe(0);
    expect(await s.page.locator('.para-row', { hasText: '党政主要负责人切实履行' }).first().locator('[data-test="unedited"]').count(), 'template paragraph').toBe(1);

    // Insert a figure by its Chinese name into a new paragraph below it.
    const edited = s.page.locator('.para-row', { hasText: '基层法治力量仍显薄弱' }).first();
    await edited.hover();
    await edited.locator('[data-test="add-paragraph"]').click();
    const fresh = s.page.locator('.new-para');
    await fresh.locator('textarea').first().fill('全年组织各类培训');
    await fresh.locator('[data-test="insert-figure"]').first().click();
    await s.page.locator('input[data-test="figure-search"]').fill('培训');
    await s.page.locator('[data-test="figure-option"]').first().click();
    await s.page.locator('[data-test="figure-insert"]').click();
    expect(await fresh.locator('[data-test="segment-figure"]').textContent()).toMatch(/培训/);
    await fresh.locator('textarea').last().fill('期。');
    await fresh.locator('[data-test="save-new-paragraph"]').click();
    await settle(s.page);
    const added = s.page.locator('.para-row', { hasText: '全年组织各类培训' });
    await expect.poll(() => added.count(), { timeout: 15_000 }).toBe(1);
    expect(await added.locator('[data-test="figure"]').count()).toBe(1);
    await shot(s.page, 'report-editor-structure');

    // Remove it again.
    await added.hover();
    await added.locator('[data-test="remove-paragraph"]').click();
    await s.page.locator('.el-message-box').getByRole('button', { name: '删除', exact: true }).click();
    await settle(s.page);
    await expect.poll(() => s.page.locator('.para-row', { hasText: '全年组织各类培训' }).count(), { message: 'removed paragraph', timeout: 15_000 }).toBe(0);

    // Part 五 on.
    await s.page.getByText('署名、成文日期和结构').click();
    await s.page.locator('[data-test="other-part"]').click();
    await settle(s.page);
    await expect.poll(() => doc.textContent(), { timeout: 15_000 }).toContain('五、其他需要报告的情况');
    await assertHealthy(s);
    await s.context.close();
  }, 180_000);
});
