import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { sweepDeadlines, type NotificationChannel, type ReminderNotification } from '../../src/app/reminders';
import { runIfDue, sweepJob, tryLease } from '../../src/jobs';
import { EXTRA_COMMANDS } from '../../src/cli/commands';
import { parseArgs } from '../../src/cli/args';

const USERS = ['admin', 'office', 'clerk_sfs', 'clerk_zf', 'leader', 'adviser', 'office_b'];
const at = (d: string) => new Date(`${d}T02:00:00Z`); // 10:00 Shanghai

interface Item {
  id: number;
  kind: string;
  kindLabel: string;
  dueOn: string;
  deadlineState: string;
  deptName: string;
}

describe.each(testDialects())('reminder sweep, to-do, notifications and overdue report on %s', (dialect) => {
  let h: ApiHarness;
  let now = at('2026-10-12');
  // Sessions expire as the test clock moves on: log in again whenever it has moved.
  const sessions = new Map<string, string>();
  const cookies = new Proxy({} as Record<string, string>, { get: (_t, user: string) => sessions.get(`${now.getTime()}:${user}`) });
  const login = async (...users: string[]) => {
    for (const u of users) sessions.set(`${now.getTime()}:${u}`, await h.login(u));
  };
  const ids: Record<string, number> = {};
  const sent: ReminderNotification[] = [];
  const channel: NotificationChannel = { name: 'test-sms', send: async (n) => void sent.push(n) };

  const notificationCount = async () =>
    Number((await h.storage.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const dueOnInDb = async (id: number) => (await h.storage.db.selectFrom('records').select('due_on').where('id', '=', id).executeTakeFirstOrThrow()).due_on;
  const todo = async (user: string) => ((await h.req(cookies[user]!, 'GET', '/api/todo')).json() as { items: Item[] }).items;

  beforeAll(async () => {
    h = await startApi(dialect, () => now);
    await login(...USERS);
    const sfs = await h.deptId('town_a', '司法所');
    const zf = await h.deptId('town_a', '综合行政执法队');
    const post = async (user: string, kind: string, body: Record<string, unknown>) => {
      const r = await h.req(cookies[user]!, 'POST', `/api/records/${kind}`, body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; dueOn: string; deadlineState: string };
    };
    const p1 = await post('clerk_sfs', 'disclosure_request', { deptId: sfs, data: { applicant: '李四', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开规划许可' } });
    expect(p1).toMatchObject({ dueOn: '2026-10-30', deadlineState: '正常' });
    const p2 = await post('clerk_sfs', 'procuratorial_recommendation', {
      deptId: sfs,
      data: { docNumber: '沪宝检建〔2026〕1号', procuratorate: '宝山区人民检察院', subject: '占道经营整治', receivedOn: '2026-07-01' },
    });
    expect(p2).toMatchObject({ dueOn: '2026-09-01', deadlineState: '逾期' });
    const p3 = await post('clerk_zf', 'procuratorial_recommendation', {
      deptId: zf,
      data: { docNumber: '沪宝检建〔2026〕2号', procuratorate: '宝山区人民检察院', subject: '紧急整改', receivedOn: '2026-09-30', urgent: true },
    });
    expect(p3).toMatchObject({ dueOn: '2026-10-15', deadlineState: '临期' });
    const p4 = await post('admin', 'disclosure_request', {
      orgId: await h.orgId('town_b'),
      deptId: await h.deptId('town_b', '司法所'),
      data: { applicant: '王五', applicantType: '自然人', receivedOn: '2026-09-01', content: '申请公开征收补偿方案' },
    });
    expect(p4.deadlineState).toBe('逾期');
    const p5 = await post('clerk_sfs', 'disclosure_request', { deptId: sfs, data: { applicant: '赵六', applicantType: '自然人', receivedOn: '2026-09-28', content: '申请公开环评报告' } });
    const stop = await h.req(cookies.clerk_sfs!, 'POST', `/api/records/disclosure_request/${p5.id}/transitions/correction`, { reason: '申请内容不明确', on: '2026-10-09' });
    expect(stop.json()).toMatchObject({ status: '补正中', dueOn: '2026-11-03' });
    Object.assign(ids, { p1: p1.id, p2: p2.id, p3: p3.id, p4: p4.id, p5: p5.id });
  });
  afterAll(async () => h?.close());

  it('notifies the department clerks and the 法治办 once per record, state and due date', async () => {
    const first = await sweepDeadlines(h.ctx, { channels: [channel] });
    expect(first).toMatchObject({ today: '2026-10-12', nearLimit: '2026-10-15', becameNear: 0, becameOverdue: 0, due: 3, notified: 5 });
    const rows = await h.storage.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['users.username', 'notifications.record_id', 'notifications.kind', 'notifications.title', 'notifications.body', 'notifications.dedupe_key'])
      .orderBy('notifications.record_id')
      .orderBy('users.username')
      .execute();
    expect(rows.map((r) => `${r.record_id}:${r.username}`)).toEqual([
      `${ids.p2}:clerk_sfs`,
      `${ids.p2}:office`,
      `${ids.p3}:clerk_zf`,
      `${ids.p3}:office`,
      `${ids.p4}:office_b`,
    ]);
    const p2 = rows.find((r) => r.record_id === ids.p2)!;
    expect(p2.kind).toBe('procuratorial_recommendation');
    expect(p2.title).toBe('【逾期】检察建议：占道经营整治');
    expect(p2.body).toContain('甲镇司法所办理的检察建议「占道经营整治」');
    expect(p2.body).toContain('2026-09-01');
    expect(p2.dedupe_key).toMatch(new RegExp(`^\\d+:${ids.p2}:逾期:2026-09-01$`));
    expect(rows.find((r) => r.record_id === ids.p3)!.title).toBe('【临期】检察建议：紧急整改');
    expect(sent.map((n) => n.username).sort()).toEqual(['clerk_sfs', 'clerk_zf', 'office', 'office', 'office_b']);

    const second = await sweepDeadlines(h.ctx, { channels: [channel] });
    expect(second.notified).toBe(0);
    expect(await notificationCount()).toBe(5);
    expect(sent).toHaveLength(5);
  });

  it('moves states with time, recomputes stopped clocks, and two concurrent sweeps notify once', async () => {
    now = at('2026-10-27');
    expect(await dueOnInDb(ids.p5!)).toBe('2026-11-03');
    await login(...USERS);
    const [a, b] = await Promise.all([sweepDeadlines(h.ctx, { channels: [channel] }), sweepDeadlines(h.ctx, { channels: [channel] })]);
    // P1 becomes 临期 (due 10-30 within 3 working days), P3 逾期; whichever sweep came first did it.
    expect(a.becameNear + b.becameNear).toBe(1);
    expect(a.becameOverdue + b.becameOverdue).toBe(1);
    expect(a.notified + b.notified).toBe(4);
    expect(await notificationCount()).toBe(9);
    expect(sent).toHaveLength(9);
    const states = await h.storage.db.selectFrom('records').select(['id', 'deadline_state']).orderBy('id').execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.deadline_state]))).toMatchObject({
      [ids.p1!]: '临期',
      [ids.p2!]: '逾期',
      [ids.p3!]: '逾期',
      [ids.p4!]: '逾期',
      [ids.p5!]: '正常',
    });
    // The stopped clock's stored due date moved with the stopped days and matches the live one.
    const live = (await h.req(cookies.clerk_sfs!, 'GET', `/api/records/disclosure_request/${ids.p5}`)).json();
    expect(live.deadline.stopped).toBe(true);
    expect(live.dueOn).toBe('2026-11-18');
    expect(live.deadline.dueOn).toBe('2026-11-18');
    expect(a.stopped.updated + b.stopped.updated).toBe(1);
    expect((await sweepDeadlines(h.ctx)).notified).toBe(0);
  });

  it('lists notifications per user and lets each mark only their own read', async () => {
    const mine = (await h.req(cookies.office!, 'GET', '/api/notifications')).json();
    expect(mine.unread).toBe(4);
    expect(mine.items).toHaveLength(4);
    expect(mine.items[0]).toMatchObject({ read: false, kind: expect.any(String), recordId: expect.any(Number), at: '2026-10-27T02:00:00.000Z' });
    expect(mine.items.map((n: { title: string }) => n.title).sort()).toEqual([
      '【临期】政府信息公开申请：申请公开规划许可',
      '【临期】检察建议：紧急整改',
      '【逾期】检察建议：占道经营整治',
      '【逾期】检察建议：紧急整改',
    ]);
    const id = mine.items[0].id as number;
    const other = await h.req(cookies.clerk_sfs!, 'POST', `/api/notifications/${id}/read`);
    expect(other.statusCode).toBe(404);
    const ok = await h.req(cookies.office!, 'POST', `/api/notifications/${id}/read`);
    expect(ok.statusCode).toBe(200);
    const after = (await h.req(cookies.office!, 'GET', '/api/notifications')).json();
    expect(after.unread).toBe(3);
    expect(after.items.find((n: { id: number }) => n.id === id).read).toBe(true);
    expect((await h.req(cookies.clerk_sfs!, 'GET', '/api/notifications')).json().unread).toBe(2);
    expect((await h.req(null, 'GET', '/api/notifications')).statusCode).toBe(401);
  });

  it('gives each user a to-do list of 临期/逾期 records in their data scope, soonest first', async () => {
    const sfs = await todo('clerk_sfs');
    expect(sfs.map((i) => i.id)).toEqual([ids.p2, ids.p1]);
    expect(sfs[0]).toMatchObject({ kindLabel: '检察建议', deadlineState: '逾期', dueOn: '2026-09-01', deptName: '司法所' });
    expect(sfs[1]).toMatchObject({ kindLabel: '政府信息公开申请', deadlineState: '临期' });
    expect((await todo('clerk_zf')).map((i) => i.id)).toEqual([ids.p3]);
    expect((await todo('office')).map((i) => i.id)).toEqual([ids.p2, ids.p3, ids.p1]);
    expect((await todo('leader')).map((i) => i.id)).toEqual([ids.p2, ids.p3, ids.p1]);
    expect((await todo('office_b')).map((i) => i.id)).toEqual([ids.p4]);
    expect((await todo('admin')).map((i) => i.id)).toEqual([ids.p2, ids.p4, ids.p3, ids.p1]);
    expect(await todo('adviser')).toEqual([]);
    // A closed matter leaves the list.
    const p1 = (await h.req(cookies.clerk_sfs!, 'GET', `/api/records/disclosure_request/${ids.p1}`)).json();
    const reply = await h.req(cookies.clerk_sfs!, 'POST', `/api/records/disclosure_request/${ids.p1}/transitions/reply`, { data: { replyType: '予以公开' } });
    expect(reply.json().deadlineState).toBe('按期办结');
    expect(p1.version).toBeGreaterThan(0);
    expect((await todo('clerk_sfs')).map((i) => i.id)).toEqual([ids.p2]);
  });

  it('reports overdue and near-due records per department, in the API and the CLI', async () => {
    const townA = await h.orgId('town_a');
    const r = await h.req(cookies.office!, 'GET', `/api/overdue?orgId=${townA}`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.depts).toEqual([
      { deptId: await h.deptId('town_a', '司法所'), dept: '司法所', overdue: 1, nearDue: 0, byKind: { procuratorial_recommendation: 1 } },
      { deptId: await h.deptId('town_a', '综合行政执法队'), dept: '综合行政执法队', overdue: 1, nearDue: 0, byKind: { procuratorial_recommendation: 1 } },
      { deptId: await h.deptId('town_a', '党政办公室'), dept: '党政办公室', overdue: 0, nearDue: 0, byKind: {} },
    ]);
    expect(body.items.map((i: Item) => i.id)).toEqual([ids.p2, ids.p3]);
    const clerk = (await h.req(cookies.clerk_zf!, 'GET', `/api/overdue?orgId=${townA}`)).json();
    expect(clerk.depts).toEqual([{ deptId: await h.deptId('town_a', '综合行政执法队'), dept: '综合行政执法队', overdue: 1, nearDue: 0, byKind: { procuratorial_recommendation: 1 } }]);
    const district = (await h.req(cookies.admin!, 'GET', `/api/overdue?orgId=${await h.orgId('qu')}`)).json();
    expect(district.depts.slice(0, 3).map((d: { dept: string; overdue: number }) => `${d.dept}:${d.overdue}`)).toEqual([
      '甲镇司法所:1',
      '甲镇综合行政执法队:1',
      '乙镇司法所:1',
    ]);
    expect(district.depts.reduce((s: number, d: { overdue: number }) => s + d.overdue, 0)).toBe(3);
    const forbidden = await h.req(cookies.office_b!, 'GET', `/api/overdue?orgId=${townA}`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toBe('无权查看“甲镇”的逾期情况');
    expect((await h.req(cookies.office!, 'GET', '/api/overdue?orgId=99999')).statusCode).toBe(404);
    expect((await h.req(cookies.office!, 'GET', '/api/overdue?orgId=abc')).statusCode).toBe(400);

    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    try {
      const p = parseArgs(['overdue', '--org', 'town_a']);
      await EXTRA_COMMANDS.find((c) => c.matches(p))!.run(h.ctx, p);
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toBe('甲镇逾期情况');
    expect(lines[1]).toMatch(/^部门\s+逾期\s+临期\s+逾期按类型$/);
    expect(lines.find((l) => l.startsWith('司法所'))).toMatch(/^司法所\s+1\s+0\s+检察建议 1$/);
    expect(lines[lines.length - 1]).toMatch(/^合计\s+2\s+0$/);
  });

  it('runs a job on one instance only: the lease is taken atomically and held for the interval', async () => {
    const job = { ...sweepJob(60_000), name: 'lease_test' };
    const leases = await Promise.all([1, 2, 3].map((i) => tryLease(h.storage.db, 'lease_race', `inst-${i}`, now, 60_000)));
    expect(leases.filter(Boolean)).toHaveLength(1);
    const [x, y] = await Promise.all([runIfDue(h.ctx, job, 'inst-a'), runIfDue(h.ctx, job, 'inst-b')]);
    expect([x.ran, y.ran].filter(Boolean)).toHaveLength(1);
    const row = await h.storage.db.selectFrom('jobs').selectAll().where('name', '=', 'lease_test').executeTakeFirstOrThrow();
    expect(row.last_result).toContain('新建提醒0条');
    // Within the interval nobody runs it again; after it, the next tick does.
    expect((await runIfDue(h.ctx, job, 'inst-b')).ran).toBe(false);
    now = new Date(now.getTime() + 61_000);
    await login(...USERS);
    expect((await runIfDue(h.ctx, job, 'inst-b')).ran).toBe(true);
  });
});
