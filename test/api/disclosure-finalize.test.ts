/**
 * 定稿 of a 政府信息公开工作年度报告 actually refused, on the API: while table 三's cross-checks fail,
 * while the text holds a figure without data, and by the person who submitted it for 审核.
 *
 * The counting leaves out every record it cannot place, so ledger data alone never makes a town's
 * cross-checks fail; what the checks guard against is a counting fault. This file injects one — a
 * handled request lost from (七)总计 — and lets the real cross-checks find it and block 定稿.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { disclosureRequestYear } from '../../src/demo/gen/disclosure';
import { createRng } from '../../src/demo/prng';
import { startApi, type ApiHarness } from '../support/api';

const fault = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/core/disclosure/groups', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/core/disclosure/groups')>();
  return {
    ...orig,
    countRequestGroups: (...args: Parameters<typeof orig.countRequestGroups>) => {
      const r = orig.countRequestGroups(...args);
      if (fault.on) r.table.handledTotal.natural -= 1;
      return r;
    },
  };
});

interface Blocker {
  code: string;
  message: string;
}

describe.each(testDialects())('disclosure report 定稿 refused on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, admin: string;
  let id: number;
  const state = (to: string, who: string) => h.req(who, 'POST', `/api/reports/${id}/state`, { to });
  const blockers = async (who: string) => ((await h.req(who, 'GET', `/api/reports/${id}`)).json() as { blockers: Blocker[] }).blockers;
  const stored = async () => h.storage.db.selectFrom('reports').select(['state', 'snapshot']).where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', disclosureRequestYear(createRng(5), 2023, 40, '2024-01-20', '党政办公室').map((value, i) => ({ line: i + 1, value })) as never);
    [office, admin] = await h.logins('office', 'admin');
    id = (await h.req(office, 'POST', '/api/reports', { orgId: await h.orgId('town_a'), year: 2023, type: 'disclosure' })).json().id;
  });
  afterAll(async () => {
    fault.on = false;
    await h?.close();
  });

  it('refuses 定稿 while a cross-check fails and while a figure has no data, naming each in Chinese', async () => {
    // The town keeps a sentence whose figure has no data (no 人大代表建议 this year), marked 【无数据】.
    expect((await h.req(office, 'PUT', `/api/reports/${id}/settings`, { noData: 'mark' })).statusCode).toBe(200);
    const edited = await h.req(office, 'PUT', `/api/reports/${id}/paragraphs/suggestions`, {
      source: '本年办理人大代表建议和政协提案{{deputy_suggestion.handled|int}}件，代表委员对办理结果满意率{{deputy_suggestion.satisfaction_rate|pct}}。',
    });
    expect(edited.statusCode).toBe(200);
    fault.on = true;
    expect((await state('审核', office)).statusCode).toBe(200);
    const seen = await blockers(admin);
    expect(seen.map((b) => b.code)).toEqual(expect.arrayContaining(['no_data', 'report_type']));
    expect(seen.filter((b) => b.code === 'report_type').map((b) => b.message)).toEqual([
      '表三勾稽关系“一+二=三(七)+四”不成立（自然人列）',
      '表三勾稽关系“(七)=(一)+…+(六)”不成立（自然人列）',
      '表三勾稽关系“总计=各列之和”不成立（“（七）总计”行）',
    ]);
    const refused = await state('定稿', admin);
    expect(refused.statusCode).toBe(409);
    const message = refused.json().error.message as string;
    expect(message).toMatch(/^不能定稿：/);
    expect(message).toContain('表三勾稽关系“一+二=三(七)+四”不成立（自然人列）');
    expect(message).toContain('无数据');
    // Nothing frozen, still under review, and no 定稿 in the audit trail.
    expect(await stored()).toEqual({ state: '审核', snapshot: null });
    const moves = await h.storage.db.selectFrom('audit_log').select('after').where('entity', '=', 'report').where('entity_id', '=', String(id)).where('action', '=', 'state').execute();
    expect(moves.map((m) => JSON.parse(m.after!).state)).toEqual(['审核']);

    // The counting fixed, the cross-checks hold: only the figure without data still blocks.
    fault.on = false;
    expect((await blockers(admin)).map((b) => b.code)).toEqual(['no_data']);
    expect((await state('定稿', admin)).statusCode).toBe(409);
  });

  it('refuses 定稿 by the one who submitted it, and takes it from a second person once nothing blocks', async () => {
    expect((await state('草稿', office)).statusCode).toBe(200);
    expect((await h.req(office, 'PUT', `/api/reports/${id}/settings`, { noData: 'omit' })).statusCode).toBe(200);
    expect((await state('审核', office)).statusCode).toBe(200);
    expect((await blockers(office)).map((b) => b.code)).toEqual(['second_person']);
    const own = await state('定稿', office);
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toBe('不能定稿：提交审核的人不能自己定稿：请由另一位有权限的人员审核定稿');
    expect((await stored()).state).toBe('审核');
    expect(await blockers(admin)).toEqual([]);
    const fin = await state('定稿', admin);
    expect(fin.statusCode).toBe(200);
    expect(fin.json().state).toBe('定稿');
    const snap = JSON.parse((await stored()).snapshot!) as { document: { data: { checks: { ok: boolean }[] } } };
    expect(snap.document.data.checks.length).toBe(39);
    expect(snap.document.data.checks.every((c) => c.ok)).toBe(true);
  });
});
