import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { sweepDeadlines } from '../../src/app/reminders';

// Monday 2026-10-12, 10:00 Shanghai.
const NOW = () => new Date('2026-10-12T02:00:00Z');

/** A town's own ledger, defined without code: a flow with a clock-stopping state and an extendable working-day rule. */
const COMPLAINT = {
  kind: 'complaint',
  label: '投诉处理',
  occurredOn: 'receivedOn',
  titleField: 'subject',
  fields: [
    { key: 'subject', label: '投诉事项', type: 'text', required: true },
    { key: 'receivedOn', label: '收到日期', type: 'date', required: true },
    { key: 'repliedOn', label: '答复日期', type: 'date' },
    { key: 'extended', label: '延期', type: 'bool' },
    { key: 'result', label: '处理结果', type: 'text' },
  ],
  deadlines: [
    {
      key: 'reply',
      label: '答复期限',
      startField: 'receivedOn',
      period: { amount: 10, unit: 'working_days' },
      extension: { period: { amount: 5, unit: 'working_days' }, approverRoles: ['office'], flagField: 'extended', label: '延期答复' },
      doneField: 'repliedOn',
      basis: '本镇投诉处理办法第五条',
    },
  ],
  flow: {
    initial: '收到',
    states: [{ key: '收到' }, { key: '核实中', stopsClock: true }, { key: '已答复', final: true }],
    transitions: [
      { key: 'verify', label: '现场核实', from: ['收到'], to: '核实中', needsReason: true },
      { key: 'verified', label: '核实完毕', from: ['核实中'], to: '收到' },
      { key: 'extend', label: '延期答复', from: ['收到'], to: '收到', roles: ['office'], needsReason: true, setsFlag: ['extended'] },
      { key: 'reply', label: '答复', from: ['收到'], to: '已答复', requires: ['result'], setsDate: ['repliedOn'] },
    ],
  },
};

describe.each(testDialects())('a custom kind with a flow and a deadline rule, end to end, on %s', (dialect) => {
  let h: ApiHarness;
  let admin = '', office = '', sfs = '', leader = '';
  let dept = 0;

  beforeAll(async () => {
    h = await startApi(dialect, NOW);
    [admin, office, sfs, leader] = await h.logins('admin', 'office', 'clerk_sfs', 'leader');
    dept = await h.deptId('town_a', '司法所');
    const r = await h.req(admin, 'POST', '/api/ledgers', COMPLAINT);
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => h?.close());

  const step = (who: string, id: number, key: string, body: Record<string, unknown> = {}) =>
    h.req(who, 'POST', `/api/records/complaint/${id}/transitions/${key}`, body);

  it('computes, stops, extends and closes the deadline, refusing bad steps with a clear 4xx', async () => {
    const created = await h.req(sfs, 'POST', '/api/records/complaint', { deptId: dept, data: { subject: '路灯不亮', receivedOn: '2026-09-28' } });
    expect(created.statusCode, created.body).toBe(201);
    const rec = created.json();
    // 10 working days from 09-28: 09-29, 09-30, 10-08, 10-09, the 10-10 调休 Saturday, 10-12 … 10-16 (国庆 not counted).
    expect(rec).toMatchObject({ status: '收到', dueOn: '2026-10-16', deadlineState: '正常' });
    const view = (await h.req(sfs, 'GET', `/api/records/complaint/${rec.id}`)).json();
    expect(view.deadline.explanation).toBe('2026-09-28 收到，按10个工作日计算（10月1日至7日国庆节假期不计，10月10日调休上班计入），应于2026-10-16前答复');
    expect(view.transitions.map((t: { key: string }) => t.key)).toEqual(['verify', 'reply']);

    const noReason = await step(sfs, rec.id, 'verify');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toBe('执行「现场核实」须填写理由');
    const beforeStart = await step(sfs, rec.id, 'verify', { reason: '需现场查看', on: '2026-09-27' });
    expect(beforeStart.statusCode).toBe(400);
    expect(beforeStart.json().error.message).toBe('停止计时开始日期（2026-09-27）不得早于收到日期（2026-09-28）');
    expect((await step(leader, rec.id, 'verify', { reason: '需现场查看' })).statusCode).toBe(403);
    expect((await step(sfs, rec.id, 'verified')).statusCode).toBe(400);

    const stopped = await step(sfs, rec.id, 'verify', { reason: '需现场查看', on: '2026-10-09' });
    expect(stopped.json()).toMatchObject({ status: '核实中', deadline: { stopped: true } });
    const resumed = (await step(sfs, rec.id, 'verified', { on: '2026-10-12' })).json();
    // 10-10 and 10-12 were stopped: two working days later.
    expect(resumed).toMatchObject({ status: '收到', dueOn: '2026-10-20' });
    expect(resumed.deadline.explanation).toContain('2026-10-09至2026-10-12核实中（需现场查看），停止计时2个工作日');

    const byClerk = await step(sfs, rec.id, 'extend', { reason: '需协调供电公司' });
    expect(byClerk.statusCode).toBe(403);
    const extended = (await step(office, rec.id, 'extend', { reason: '需协调供电公司' })).json();
    expect(extended).toMatchObject({ status: '收到', dueOn: '2026-10-27', deadlineState: '正常', data: { extended: true } });
    expect(extended.deadline.explanation).toContain('经法治办于2026-10-12批准延期答复5个工作日（理由：需协调供电公司），原应于2026-10-20前答复，应于2026-10-27前答复');
    const again = await step(office, rec.id, 'extend', { reason: '再延' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toBe('「答复期限」已延期一次，依法不得再次延期');

    const missing = await step(sfs, rec.id, 'reply');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('执行「答复」须填写「处理结果」');
    const replied = (await step(sfs, rec.id, 'reply', { data: { result: '已修复' } })).json();
    expect(replied).toMatchObject({ status: '已答复', closedOn: '2026-10-12', deadlineState: '按期办结', data: { repliedOn: '2026-10-12' } });
    const hist = (await h.req(office, 'GET', `/api/records/complaint/${rec.id}/history`)).json().items;
    expect(hist.filter((e: { action: string }) => e.action === 'transition').map((e: { detail: string }) => e.detail)).toEqual([
      '现场核实：需现场查看',
      '核实完毕',
      '延期答复：需协调供电公司',
      '答复',
    ]);
  });

  it('reminds, lists in the to-do list and counts on-time figures like a built-in kind', async () => {
    const late = (await h.req(sfs, 'POST', '/api/records/complaint', { deptId: dept, data: { subject: '井盖缺失', receivedOn: '2026-09-01' } })).json();
    expect(late).toMatchObject({ dueOn: '2026-09-15', deadlineState: '逾期' });
    const sweep = await sweepDeadlines(h.ctx);
    expect(sweep.notified).toBeGreaterThanOrEqual(2);
    const titles = (await h.req(sfs, 'GET', '/api/notifications')).json().items.map((n: { title: string }) => n.title);
    expect(titles).toContain('【逾期】投诉处理：井盖缺失');
    const todo = (await h.req(sfs, 'GET', '/api/todo')).json().items;
    expect(todo.find((i: { id: number }) => i.id === late.id)).toMatchObject({ kindLabel: '投诉处理', deadlineState: '逾期' });

    const orgId = await h.orgId('town_a');
    const m = (await h.req(office, 'GET', `/api/metrics?orgId=${orgId}&year=2026&keys=complaint.on_time_rate,complaint.closed_on_time,complaint.overdue`)).json();
    expect(m.values).toEqual({ 'complaint.on_time_rate': 1, 'complaint.closed_on_time': 1, 'complaint.overdue': 1 });
  });
});
