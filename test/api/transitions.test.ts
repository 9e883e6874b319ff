import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { performTransition } from '../../src/app/transitions';
import type { Actor } from '../../src/core/access/policy';
import { AppError } from '../../src/core/errors';

// Fixed "now": 2026-10-12 10:00 Shanghai, so the deadline state of the example below is known.
const NOW = () => new Date('2026-10-12T02:00:00Z');

describe.each(testDialects())('flow transitions and deadlines on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, sfs: string, leader: string, adviser: string;
  let dept: number;
  beforeAll(async () => {
    h = await startApi(dialect, NOW);
    [office, sfs, leader, adviser] = await h.logins('office', 'clerk_sfs', 'leader', 'adviser');
    dept = await h.deptId('town_a', '司法所');
  });
  afterAll(async () => h?.close());

  it('computes and explains the statutory due date of a disclosure request, stops the clock for 补正, and refuses illegal transitions', async () => {
    const rec = (await h.req(sfs, 'POST', '/api/records/disclosure_request', {
      deptId: dept,
      data: { applicant: '李四', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开某项目的规划许可' },
    })).json();
    expect(rec.status).toBe('收到');
    expect(rec.dueOn).toBe('2026-10-30');
    const got = (await h.req(sfs, 'GET', `/api/records/disclosure_request/${rec.id}`)).json();
    expect(got.deadline.explanation).toBe('2026-09-28 收到申请，按20个工作日计算（10月1日至7日国庆节假期不计，10月10日调休上班计入），应于2026-10-30前答复');
    expect(got.deadline.state).toBe('正常');
    expect(got.transitions.map((t: { key: string }) => t.key)).toEqual(['correction', 'consult', 'reply']);

    const noReason = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/correction`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toBe('执行「通知补正」须填写理由');
    const extendByClerk = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/extend`, { reason: '需要协调' });
    expect(extendByClerk.statusCode).toBe(403);
    expect(extendByClerk.json().error.message).toBe('部门填报员不能执行“延期答复”，须由法治办操作');
    const byLeader = await h.req(leader, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/correction`, { reason: 'x' });
    expect(byLeader.statusCode).toBe(403);
    expect(byLeader.json().error.message).toBe('无权执行“通知补正”：只有记录所属部门的填报员、本单位法治办可以办理');
    const badState = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/corrected`, {});
    expect(badState.statusCode).toBe(400);
    expect(badState.json().error.message).toContain('当前状态为「收到」');
    expect((await h.req(sfs, 'GET', `/api/records/disclosure_request/${rec.id}`)).json().version).toBe(1);

    const stop = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/correction`, { reason: '申请内容不明确，通知补正', on: '2026-10-09' });
    expect(stop.statusCode).toBe(200);
    expect(stop.json().status).toBe('补正中');
    expect(stop.json().deadline.stopped).toBe(true);
    const resume = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/corrected`, { on: '2026-10-12' });
    expect(resume.json().status).toBe('收到');
    // 10-10 (Sat, working) and 10-12 (Mon) were stopped: two working days later than 10-30.
    expect(resume.json().dueOn).toBe('2026-11-03');
    expect(resume.json().deadline.explanation).toContain('补正');

    const future = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/reply`, { data: { replyType: '予以公开', repliedOn: '2026-10-20' } });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toBe('「答复日期」（2026-10-20）不得晚于今天（2026-10-12）');
    expect((await h.req(sfs, 'GET', `/api/records/disclosure_request/${rec.id}`)).json()).toMatchObject({ status: '收到', version: 3 });
    const reply = await h.req(sfs, 'POST', `/api/records/disclosure_request/${rec.id}/transitions/reply`, { data: { replyType: '予以公开' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ status: '已答复', closedOn: '2026-10-12', deadlineState: '按期办结', data: { repliedOn: '2026-10-12', replyType: '予以公开' } });
    const hist = (await h.req(office, 'GET', `/api/records/disclosure_request/${rec.id}/history`)).json().items;
    expect(hist.filter((e: { action: string }) => e.action === 'transition').map((e: { detail: string }) => e.detail)).toEqual([
      '通知补正：申请内容不明确，通知补正',
      '补正完成',
      '答复',
    ]);
  });

  it('marks overdue and near-due records', async () => {
    const overdue = (await h.req(sfs, 'POST', '/api/records/procuratorial_recommendation', {
      deptId: dept,
      data: { docNumber: '沪宝检建〔2026〕1号', procuratorate: '宝山区人民检察院', subject: '占道经营整治', receivedOn: '2026-07-01' },
    })).json();
    expect(overdue).toMatchObject({ dueOn: '2026-09-01', deadlineState: '逾期' });
    const urgent = (await h.req(sfs, 'POST', '/api/records/procuratorial_recommendation', {
      deptId: dept,
      data: { docNumber: '沪宝检建〔2026〕2号', procuratorate: '宝山区人民检察院', subject: '紧急整改', receivedOn: '2026-09-30', urgent: true },
    })).json();
    // 15 days from 09-30 is 10-15 (a Thursday), within 3 working days of 10-12.
    expect(urgent).toMatchObject({ dueOn: '2026-10-15', deadlineState: '临期' });
  });

  it('lets the assigned 法律顾问 add an opinion to a legality review, and nothing else', async () => {
    const create = async (adviserName: string) =>
      (await h.req(sfs, 'POST', '/api/records/legality_review', {
        deptId: dept,
        data: { title: `委托管理协议（${adviserName}）`, reviewType: '政府合同', submitDept: '党政办公室', receivedOn: '2026-10-09', adviserInvolved: true, adviser: adviserName },
      })).json() as { id: number; status: string; version: number };
    const mine = await create('王律师');
    const other = await create('李律师');
    expect(mine.status).toBe('送审');
    const url = (id: number, key: string) => `/api/records/legality_review/${id}/transitions/${key}`;

    expect((await h.req(adviser, 'POST', url(other.id, 'start'), {})).statusCode).toBe(403);
    expect((await h.req(adviser, 'POST', url(mine.id, 'start'), {})).json().status).toBe('审核中');
    // The opinion's own fields only: the adviser may not retitle the matter or reassign it.
    const sneaky = await h.req(adviser, 'POST', url(mine.id, 'opinion'), {
      data: { conclusion: '修改后同意', opinion: '建议删除第五条', title: '改过的标题', adviser: '李律师' },
    });
    expect(sneaky.statusCode).toBe(403);
    expect(sneaky.json().error.message).toContain('无权修改“事项名称”、“法律顾问”');
    const before = (await h.req(office, 'GET', `/api/records/legality_review/${mine.id}`)).json();
    expect(before).toMatchObject({ status: '审核中', version: 2, data: { title: '委托管理协议（王律师）', adviser: '王律师' } });

    const missing = await h.req(adviser, 'POST', url(mine.id, 'opinion'), { data: { conclusion: '修改后同意' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('执行「出具意见」须填写「审核意见」');
    const opinion = await h.req(adviser, 'POST', url(mine.id, 'opinion'), { data: { conclusion: '修改后同意', opinion: '建议删除第五条' } });
    expect(opinion.statusCode).toBe(200);
    expect(opinion.json()).toMatchObject({ status: '出具意见', updatedByName: '王律师', data: { conclusion: '修改后同意', opinion: '建议删除第五条' } });
    // Closing is the 法治办's step.
    expect((await h.req(adviser, 'POST', url(mine.id, 'close'), {})).statusCode).toBe(403);
    const closed = await h.req(office, 'POST', url(mine.id, 'close'), {});
    expect(closed.json()).toMatchObject({ status: '办结', closedOn: '2026-10-12', deadlineState: '按期办结' });
  });

  it('performs one of two concurrent transitions on a record and refuses the other', async () => {
    const rec = (await h.req(sfs, 'POST', '/api/records/petition', {
      deptId: dept,
      data: { registeredOn: '2026-10-09', channel: '来访', petitioner: '王五', subject: '噪声扰民' },
    })).json();
    await h.req(sfs, 'POST', `/api/records/petition/${rec.id}/transitions/accept`, { on: '2026-10-10' });
    const extend = () => h.req(office, 'POST', `/api/records/petition/${rec.id}/transitions/extend`, { reason: '涉及多个部门，需协调' });
    const results = await Promise.all([extend(), extend(), extend()]);
    // Whichever came second saw either the new version (409) or the extension already made (400).
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) expect([400, 409]).toContain(r.statusCode);
    const hist = (await h.req(office, 'GET', `/api/records/petition/${rec.id}/history`)).json().items;
    expect(hist.filter((e: { action: string; detail: string }) => e.action === 'transition' && e.detail.startsWith('延长办理期限'))).toHaveLength(1);
    const got = (await h.req(office, 'GET', `/api/records/petition/${rec.id}`)).json();
    expect(got).toMatchObject({ version: 3, status: '办理中', data: { extended: true } });
  });

  it('records an extension shorter than the legal maximum, and refuses one beyond it (service level)', async () => {
    const rec = (await h.req(sfs, 'POST', '/api/records/disclosure_request', {
      deptId: dept,
      data: { applicant: '周八', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开拆迁补偿标准' },
    })).json();
    const u = await h.storage.db
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.org_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.org_id', 'org_units.path'])
      .where('users.username', '=', 'office')
      .executeTakeFirstOrThrow();
    const who: Actor = { userId: u.id, username: u.username, displayName: u.display_name, role: 'office', orgId: u.org_id, orgPath: u.path, deptId: null, ip: null };
    const extend = (period: unknown) => performTransition(h.ctx, who, 'disclosure_request', rec.id, 'extend', { reason: '需调取历史档案', period });
    const refused = async (period: unknown) => {
      const e = await extend(period).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      return (e as AppError).message;
    };
    expect(await refused({ amount: 25, unit: 'working_days' })).toBe('延期不得超过20个工作日（法定最长期限）');
    expect(await refused({ amount: 'ten', unit: 'working_days' })).toBe('延期期限应为正整数');
    expect(await refused({ amount: 5, unit: 'weeks' })).toBe('延期期限单位应为日（calendar_days）、工作日（working_days）或月（months）');
    expect((await h.req(office, 'GET', `/api/records/disclosure_request/${rec.id}`)).json()).toMatchObject({ status: '收到', version: 1, dueOn: '2026-10-30' });
    const done = await extend({ amount: 10, unit: 'working_days' });
    // 10 working days after 10-30.
    expect(done).toMatchObject({ status: '延期', dueOn: '2026-11-13', data: { extended: true } });
    expect(done.deadline?.explanation).toContain('批准延期10个工作日');
  });
});

describe.each(testDialects())('edits keep the deadline rules on %s', (dialect) => {
  let h: ApiHarness;
  afterAll(async () => h?.close());
  it('refuses a done date before the start or in the future, and an extension switched on by an edit', async () => {
    h = await startApi(dialect, NOW);
    const [sfs] = await h.logins('clerk_sfs');
    const dept = await h.deptId('town_a', '司法所');
    const rec = (await h.req(sfs, 'POST', '/api/records/disclosure_request', { deptId: dept, data: { applicant: '李四', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开' } })).json();
    const early = await h.req(sfs, 'PUT', `/api/records/disclosure_request/${rec.id}`, { version: 1, data: { repliedOn: '2026-09-01' } });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toBe('答复日期：不得早于收到申请日期（2026-09-28）');
    const future = await h.req(sfs, 'PUT', `/api/records/disclosure_request/${rec.id}`, { version: 1, data: { repliedOn: '2026-12-01' } });
    expect(future.json().error.message).toBe('答复日期：不得晚于今天（2026-10-12）');
    const ext = await h.req(sfs, 'PUT', `/api/records/disclosure_request/${rec.id}`, { version: 1, data: { extended: true } });
    expect(ext.statusCode).toBe(400);
    expect(ext.json().error.message).toBe('延期答复：须经批准，请使用“延期答复”操作');
    const created = await h.req(sfs, 'POST', '/api/records/petition', { deptId: dept, data: { registeredOn: '2026-10-01', channel: '来访', petitioner: '王五', subject: 'x', extended: true } });
    expect(created.statusCode).toBe(400);
    expect((await h.req(sfs, 'PUT', `/api/records/disclosure_request/${rec.id}`, { version: 1, data: { repliedOn: '2026-10-09', replyType: '予以公开' } })).json()).toMatchObject({ deadlineState: '按期办结' });
    // A task finished before its due date is fine: its period is the due date itself.
    const task = await h.req(sfs, 'POST', '/api/records/task', { deptId: dept, data: { title: '制定学法计划', area: '组织保障', leadDept: '司法所', dueOn: '2026-12-31', progress: '已完成', completedOn: '2026-10-10' } });
    expect(task.json()).toMatchObject({ deadlineState: '按期办结' });
  });
});
