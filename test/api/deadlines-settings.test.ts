import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { EXTRA_COMMANDS } from '../../src/cli/commands';
import { parseArgs } from '../../src/cli/args';

// Monday 2026-10-12, 10:00 Shanghai.
const NOW = () => new Date('2026-10-12T02:00:00Z');

describe.each(testDialects())('deadline settings: the 临期 window and per-org periods on %s', (dialect) => {
  let h: ApiHarness;
  let admin = '', office = '', sfs = '';
  const ids: Record<string, number> = {};

  const stored = async (id: number) =>
    h.storage.db.selectFrom('records').select(['due_on', 'deadline_state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    try {
      const p = parseArgs(argv);
      await EXTRA_COMMANDS.find((c) => c.matches(p))!.run(h.ctx, p);
    } finally {
      spy.mockRestore();
    }
    return lines;
  };

  beforeAll(async () => {
    h = await startApi(dialect, NOW);
    [admin, office, sfs] = await h.logins('admin', 'office', 'clerk_sfs');
    const dept = await h.deptId('town_a', '司法所');
    const post = async (who: string, kind: string, body: Record<string, unknown>) => {
      const r = await h.req(who, 'POST', `/api/records/${kind}`, body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; dueOn: string; deadlineState: string };
    };
    const disclosure = await post(sfs, 'disclosure_request', { deptId: dept, data: { applicant: '李四', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开规划许可' } });
    expect(disclosure).toMatchObject({ dueOn: '2026-10-30', deadlineState: '正常' });
    const review = { title: '委托管理协议', reviewType: '政府合同', submitDept: '司法所', receivedOn: '2026-10-09' };
    const a = await post(sfs, 'legality_review', { deptId: dept, data: review });
    // 7 working days from Friday 10-09: the 10-10 调休 Saturday counts.
    expect(a).toMatchObject({ dueOn: '2026-10-19', deadlineState: '正常' });
    const b = await post(admin, 'legality_review', { orgId: await h.orgId('town_b'), deptId: await h.deptId('town_b', '司法所'), data: review });
    Object.assign(ids, { disclosure: disclosure.id, a: a.id, b: b.id });
  });
  afterAll(async () => h?.close());

  it('shows the 临期 window and the configurable periods of an org unit', async () => {
    const r = await h.req(sfs, 'GET', '/api/deadline-settings');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ nearDays: 3, orgId: await h.orgId('town_a'), orgName: '甲镇' });
    expect(body.rules.map((x: { kind: string; rule: string }) => `${x.kind}.${x.rule}`).sort()).toEqual([
      'dispute.mediate',
      'legality_review.review',
      'normative_document.filing',
    ]);
    expect(body.rules.find((x: { kind: string }) => x.kind === 'legality_review')).toMatchObject({
      label: '审核期限',
      default: { amount: 7, unit: 'working_days' },
      period: { amount: 7, unit: 'working_days' },
      overridden: false,
    });
  });

  it('a wider 临期 window turns open records 临期 at once, a narrower one back to 正常', async () => {
    const wide = await h.req(admin, 'PUT', '/api/deadline-settings/near-days', { nearDays: 15 });
    expect(wide.statusCode, wide.body).toBe(200);
    expect(wide.json()).toMatchObject({ nearDays: 15 });
    // 10-30 is within 15 working days of 10-12 (the limit is 11-02).
    expect(await stored(ids.disclosure!)).toMatchObject({ due_on: '2026-10-30', deadline_state: '临期', version: 1 });
    const live = (await h.req(sfs, 'GET', `/api/records/disclosure_request/${ids.disclosure}`)).json();
    expect(live.deadline.state).toBe('临期');
    expect((await h.req(sfs, 'GET', '/api/todo')).json().items.map((i: { id: number }) => i.id)).toContain(ids.disclosure);
    expect((await h.req(office, 'GET', '/api/deadline-settings')).json().nearDays).toBe(15);

    const lines = await cli('deadlines', 'near-days', '3');
    expect(lines).toEqual([expect.stringMatching(/^临期提醒天数已设为3个工作日；重新判定期限状态 \d+ 件$/)]);
    expect(await stored(ids.disclosure!)).toMatchObject({ deadline_state: '正常' });
    expect((await h.req(sfs, 'GET', `/api/records/disclosure_request/${ids.disclosure}`)).json().deadline.state).toBe('正常');
    const audits = await h.storage.db.selectFrom('audit_log').select(['action', 'entity', 'after']).where('entity', '=', 'settings').orderBy('id').execute();
    expect(audits.map((a) => JSON.parse(a.after!))).toEqual([{ nearDays: 15 }, { nearDays: 3 }]);
  });

  it('an org unit may set its own period of a configurable rule; its open records follow, other units do not', async () => {
    const r = await h.req(admin, 'PUT', '/api/deadline-settings/periods/legality_review/review', {
      orgId: await h.orgId('town_a'),
      period: { amount: 10, unit: 'working_days' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'legality_review', rule: 'review', period: { amount: 10, unit: 'working_days' }, overridden: true, recomputed: 1, recordIds: [ids.a] });
    expect(await stored(ids.a!)).toMatchObject({ due_on: '2026-10-22' });
    expect(await stored(ids.b!)).toMatchObject({ due_on: '2026-10-19' });
    const view = (await h.req(sfs, 'GET', `/api/records/legality_review/${ids.a}`)).json();
    expect(view.deadline.explanation).toContain('按10个工作日计算');
    const settings = (await h.req(office, 'GET', '/api/deadline-settings')).json();
    expect(settings.rules.find((x: { kind: string }) => x.kind === 'legality_review')).toMatchObject({ period: { amount: 10, unit: 'working_days' }, overridden: true });

    const shown = await cli('deadlines', 'show', '--org', 'town_a');
    expect(shown[0]).toBe('临期提醒：到期前3个工作日内');
    expect(shown).toContain('  legality_review review  合法性审核审核期限  10个工作日（本组织设置；默认7个工作日）');
    const back = await cli('deadlines', 'period', 'legality_review', 'review', 'default', '--org', 'town_a');
    expect(back).toEqual(['甲镇 legality_review.review 期限为7个工作日（默认）；重新计算期限 1 件']);
    expect(await stored(ids.a!)).toMatchObject({ due_on: '2026-10-19' });
  });

  it('refuses bad settings with a clear 4xx and changes nothing', async () => {
    const put = (who: string, url: string, body: unknown) => h.req(who, 'PUT', url, body);
    const byOffice = await put(office, '/api/deadline-settings/near-days', { nearDays: 5 });
    expect(byOffice.statusCode).toBe(403);
    expect(byOffice.json().error.message).toBe('只有系统管理员可以修改期限设置');
    for (const nearDays of [-1, 2.5, 99, 'abc']) {
      const bad = await put(admin, '/api/deadline-settings/near-days', { nearDays });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/^临期天数应为/);
    }
    const url = '/api/deadline-settings/periods';
    const statutory = await put(admin, `${url}/disclosure_request/reply`, { period: { amount: 30, unit: 'working_days' } });
    expect(statutory.statusCode).toBe(400);
    expect(statutory.json().error.message).toBe('「答复期限」是法定期限，不能修改');
    const zero = await put(admin, `${url}/legality_review/review`, { period: { amount: 0, unit: 'working_days' } });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.message).toBe('期限应为1至366之间的整数');
    const unit = await put(admin, `${url}/legality_review/review`, { period: { amount: 5, unit: 'weeks' } });
    expect(unit.statusCode).toBe(400);
    expect((await put(admin, `${url}/legality_review/nope`, { period: { amount: 5, unit: 'working_days' } })).statusCode).toBe(404);
    expect((await put(sfs, `${url}/legality_review/review`, { period: { amount: 5, unit: 'working_days' } })).statusCode).toBe(403);
    const settings = (await h.req(admin, 'GET', `/api/deadline-settings?orgId=${await h.orgId('town_a')}`)).json();
    expect(settings.nearDays).toBe(3);
    expect(settings.rules.every((x: { overridden: boolean }) => !x.overridden)).toBe(true);
    expect(await stored(ids.a!)).toMatchObject({ due_on: '2026-10-19' });
  });
});
