import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, assertHealthy, login, newSession, openLedger, pickOption, settle, shot, startWorld, type World } from './harness';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** A date in Shanghai, `offset` days from today. */
function shanghaiDate(offset: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  now.setUTCDate(now.getUTCDate() + offset);
  return now.toISOString().slice(0, 10);
}

/** The API as the logged-in page calls it (its cookies, its CSRF header). */
async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const r = await fetch(`/api${path}`, {
        method,
        credentials: 'same-origin',
        headers: { 'X-Fazhi-Request': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      return r.json();
    },
    { method, path, body },
  ) as Promise<T>;
}

/** A machine key on screen (as the walker looks for them). */
const RAW = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b/g;
const rawOn = async (page: Page, selector = 'body') => [...new Set(((await page.locator(selector).first().innerText()) ?? '').match(RAW) ?? [])];

describe('Chinese everywhere: the 字典, history, the edit conflict and batch steps with fields', () => {
  it('the 系统管理员 renames an indicator code in the 字典, and the ledger shows the new name', async () => {
    const admin = await newSession(world);
    await login(world, admin, DEMO.admin);
    await admin.page.locator('.el-sub-menu__title', { hasText: '系统管理' }).click();
    await admin.page.locator('.el-menu-item', { hasText: /^\s*字典\s*$/ }).click();
    await admin.page.waitForSelector('[data-test="dict-table"]');
    await settle(admin.page);
    expect(await admin.page.locator('[data-test="dict-pager"]').innerText()).toMatch(/共 \d+ 条/);
    await admin.page.fill('input[data-test="dict-q"]', '110接警');
    await admin.page.click('[data-test="dict-search"]');
    await settle(admin.page);
    const row = admin.page.locator('[data-test="dict-table"] .el-table__body tr', { hasText: '诈骗类110接警数' });
    expect(await row.count()).toBe(1);
    expect(await rawOn(admin.page, '.page-card')).toEqual([]);
    // A name another option already has is refused beside the input, with the server's words.
    await row.locator('[data-test="dict-edit"]').click();
    await row.locator('input[data-test="dict-input"]').fill('诈骗类刑事案件数');
    await row.locator('[data-test="dict-save"]').click();
    await expect.poll(() => row.locator('[data-test="dict-error"]').textContent()).toContain('已是“指标”另一选项');
    await row.locator('input[data-test="dict-input"]').fill('电信诈骗110警情数');
    await row.locator('[data-test="dict-save"]').click();
    await expect.poll(() => row.innerText()).toContain('电信诈骗110警情数');
    expect(await row.innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    // The codes are there on request.
    await admin.page.click('[data-test="dict-codes"]');
    await expect.poll(() => row.innerText()).toContain('fraud_110_calls');
    await shot(admin.page, '40-dictionary');
    // A new 统计指标 code: a bad code is refused in the dialog with the server's words, a good one is listed.
    await admin.page.click('[data-test="dict-add"]');
    await admin.page.waitForSelector('[data-test="dict-add-dialog"]');
    await admin.page.fill('input[data-test="dict-add-value"]', '调解');
    await admin.page.fill('input[data-test="dict-add-label"]', '人民调解案件数');
    await admin.page.click('[data-test="dict-add-save"]');
    await expect.poll(() => admin.page.locator('[data-test="dict-add-error"]').textContent()).toContain('取值：新增的代码只能用小写字母');
    await admin.page.fill('input[data-test="dict-add-value"]', 'mediation_cases');
    await admin.page.click('[data-test="dict-add-save"]');
    const added = admin.page.locator('[data-test="dict-table"] .el-table__body tr', { hasText: '人民调解案件数' });
    await expect.poll(() => added.count()).toBe(1);
    expect(await added.innerText()).toContain('mediation_cases');
    await admin.context.close();

    const office = await newSession(world);
    await login(world, office, DEMO.office);
    const dept = (await api<{ items: { id: number; depts: { id: number; name: string }[] }[] }>(office.page, 'GET', '/orgs')).items.flatMap((o) => o.depts).find((d) => d.name === '党政办公室')!;
    await api(office.page, 'POST', '/records/indicator', { deptId: dept.id, data: { code: 'fraud_110_calls', period: shanghaiDate(-40).slice(0, 7), value: 7, source: '派出所' } });
    await openLedger(office.page, '统计指标填报');
    const list = await office.page.locator('.records').innerText();
    expect(list).toContain('电信诈骗110警情数');
    expect(list).not.toContain('fraud_110_calls');
    await office.page.click('[data-test="create"]');
    await office.page.waitForSelector('.record-form');
    await pickOption(office.page, office.page.locator('.el-form-item[data-field="code"] .el-select'), '电信诈骗110警情数');
    expect(await office.page.locator('.el-form-item[data-field="code"]').innerText()).toContain('电信诈骗110警情数');
    // The added code is offered like a built-in one.
    await pickOption(office.page, office.page.locator('.el-form-item[data-field="code"] .el-select'), '人民调解案件数');
    expect(await office.page.locator('.el-form-item[data-field="code"]').innerText()).toContain('人民调解案件数');
    await assertHealthy(office);
    await office.context.close();
  });

  it("shows a record's history in Chinese: the attachment by its file, the step by its name", async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const depts = (await api<{ items: { depts: { id: number; name: string }[] }[] }>(s.page, 'GET', '/orgs')).items.flatMap((o) => o.depts);
    const sfs = depts.find((d) => d.name === '司法所')!;
    const rec = await api<{ id: number }>(s.page, 'POST', '/records/petition', { deptId: sfs.id, data: { registeredOn: shanghaiDate(-5), channel: '来信', petitioner: '赵六', subject: `历史记录${Date.now()}` } });
    await s.page.evaluate(async (id) => {
      const r = await fetch(`/api/records/petition/${id}/attachments?filename=${encodeURIComponent('受理告知书.pdf')}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-Fazhi-Request': '1', 'content-type': 'application/pdf' },
        body: new Blob(['%PDF-1.4\n%…\n'], { type: 'application/pdf' }),
      });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    }, rec.id);
    await api(s.page, 'POST', `/records/petition/${rec.id}/transitions/accept`, { on: shanghaiDate(-3) });
    await s.page.goto(`${world.url}/ledgers/petition/${rec.id}`);
    await settle(s.page);
    const history = s.page.locator('.history');
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toContain('上传附件');
    // By its file, never attachmentId/filename/size; the name masked like every personal value in audit entries (SECURITY.md).
    expect(text).toMatch(/文件：受\*+\.pdf（\d+字节）/);
    expect(text).toContain('流转');
    expect(text).toContain('受理日期');
    expect(text).not.toMatch(/attachmentId|filename|size|acceptedOn/);
    expect(await rawOn(s.page, '.history')).toEqual([]);
    await shot(s.page, '41-history-chinese');
    await assertHealthy(s);
    await s.context.close();
  });

  it('an edit conflict shows only the fields that differ, who saved them and when, in Beijing time', async () => {
    const office = await newSession(world);
    await login(world, office, DEMO.office);
    const depts = (await api<{ items: { depts: { id: number; name: string }[] }[] }>(office.page, 'GET', '/orgs')).items.flatMap((o) => o.depts);
    const sfs = depts.find((d) => d.name === '司法所')!;
    const rec = await api<{ id: number; version: number }>(office.page, 'POST', '/records/petition', {
      deptId: sfs.id,
      data: { registeredOn: shanghaiDate(-4), channel: '来信', petitioner: '钱七', subject: `冲突测试${Date.now()}` },
    });
    await office.page.goto(`${world.url}/ledgers/petition/${rec.id}/edit`);
    await office.page.waitForSelector('.record-form');
    await settle(office.page);
    // Meanwhile the 司法所 clerk changes the channel.
    const clerk = await newSession(world);
    await login(world, clerk, DEMO.clerkSfs);
    const current = await api<{ version: number; data: Record<string, unknown> }>(clerk.page, 'GET', `/records/petition/${rec.id}`);
    const saved = await api<{ updatedAt: string }>(clerk.page, 'PUT', `/records/petition/${rec.id}`, { version: current.version, data: { ...current.data, channel: '来访' } });
    await clerk.context.close();
    // The office changes the subject and saves its stale version.
    const subject = office.page.locator('.el-form-item[data-field="subject"] input, .el-form-item[data-field="subject"] textarea').first();
    await subject.fill('噪声扰民（修改）');
    await office.page.click('[data-test="save"]');
    const dialog = office.page.locator('.el-dialog:visible', { hasText: '记录已被他人修改' });
    await dialog.waitFor().catch(async (e: unknown) => {
      await shot(office.page, '42-edit-conflict-failed');
      throw new Error(`no conflict dialog: ${office.problems.join(' | ')} :: ${(await office.page.innerText('body')).slice(0, 600)}`, { cause: e });
    });
    expect(await dialog.locator('[data-test="conflict-who"]').innerText()).toBe('司法所填报员');
    const beijing = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(saved.updatedAt))
      .replace(', ', ' ');
    expect(await dialog.locator('[data-test="conflict-at"]').innerText()).toBe(beijing);
    const rows = await dialog.locator('[data-test="conflict-rows"] .el-table__body tr').allInnerTexts();
    expect(rows.map((r) => r.split(/\s+/)[0]).sort()).toEqual(['方式', '事项'].sort());
    const text = await dialog.innerText();
    expect(text).not.toMatch(/createdByName|updatedByName|T\d{2}:\d{2}|Z\b/);
    expect(await rawOn(office.page, '.el-dialog:visible')).toEqual([]);
    await shot(office.page, '42-edit-conflict');
    await office.context.close();
  });

  it('a batch step that needs a field asks for it once, refuses a bad date, and names the record it skips', async () => {
    const s = await newSession(world);
    await login(world, s, DEMO.office);
    const depts = (await api<{ items: { depts: { id: number; name: string }[] }[] }>(s.page, 'GET', '/orgs')).items.flatMap((o) => o.depts);
    const sfs = depts.find((d) => d.name === '司法所')!;
    const stamp = String(Date.now());
    const add = (title: string) =>
      api<{ id: number }>(s.page, 'POST', '/records/deputy_suggestion', { deptId: sfs.id, data: { title: `${title}${stamp}`, source: '镇人大代表建议', receivedOn: shanghaiDate(-20) } });
    const a = await add('批量答复甲');
    const b = await add('批量答复乙');
    const done = await add('批量答复丙');
    await api(s.page, 'POST', `/records/deputy_suggestion/${done.id}/transitions/reply`, { data: { resultCategory: 'A 已解决或采纳' }, on: shanghaiDate(-2) });
    await openLedger(s.page, '人大代表建议、政协委员提案');
    await s.page.locator('input[data-test="keyword"]').fill(stamp);
    await s.page.click('[data-test="search"]');
    await s.page.waitForURL(/q=/);
    await settle(s.page);
    const rows = s.page.locator('.records .el-table__body-wrapper tr', { hasText: stamp });
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('.el-checkbox').first().click();
    await s.page.click('[data-test="batch-step"]');
    await s.page.click('[data-test="batch-reply"]');
    const dialog = s.page.locator('.el-dialog:visible');
    await dialog.waitFor();
    expect(await dialog.locator('.el-dialog__title').innerText()).toBe('批量答复（2条）');
    const skipped = await dialog.locator('[data-test="batch-skipped"]').innerText();
    expect(skipped).toContain(`批量答复丙${stamp}`);
    expect(skipped).toContain('当前状态为「已答复」，不能执行「答复」');
    // The field the step needs, asked once, checked as the single step checks it.
    await dialog.locator('[data-test="batch-date"] input[data-test="date-text"]').fill('2026-02-30');
    await dialog.locator('[data-test="confirm-batch"]').click();
    await expect.poll(() => dialog.locator('[data-test="batch-date"] .el-form-item__error').textContent()).toContain('2026-02-30');
    expect(await dialog.locator('[data-test="batch-field-resultCategory"] .el-form-item__error').textContent()).toBeTruthy();
    const on = shanghaiDate(-1);
    await dialog.locator('[data-test="batch-date"] input[data-test="date-text"]').fill(on);
    await pickOption(s.page, dialog.locator('[data-test="batch-field-resultCategory"] .el-select'), 'B 正在解决或列入计划');
    await shot(s.page, '43-batch-step-fields');
    await dialog.locator('[data-test="confirm-batch"]').click();
    const summary = s.page.locator('.el-message-box:visible');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('2条已答复，1条未答复');
    expect(await summary.innerText()).toContain(`批量答复丙${stamp}`);
    await summary.locator('.el-button--primary').click();
    await settle(s.page);
    for (const id of [a.id, b.id]) {
      const r = await api<{ status: string; data: Record<string, unknown> }>(s.page, 'GET', `/records/deputy_suggestion/${id}`);
      expect([r.status, r.data.resultCategory, r.data.repliedOn]).toEqual(['已答复', 'B 正在解决或列入计划', on]);
    }
    const c = await api<{ data: Record<string, unknown> }>(s.page, 'GET', `/records/deputy_suggestion/${done.id}`);
    expect(c.data.resultCategory).toBe('A 已解决或采纳');
    await assertHealthy(s);
    await s.context.close();
  });
});
