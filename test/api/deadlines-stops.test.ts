import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { sweepDeadlines } from '../../src/app/reminders';

const at = (d: string) => new Date(`${d}T02:00:00Z`); // 10:00 Shanghai

describe.each(testDialects())('reminders for stopped clocks on %s', (dialect) => {
  let h: ApiHarness;
  let now = at('2026-10-12');
  let sfs = '';
  const ids: Record<string, number> = {};
  const loginClerk = async () => {
    sfs = await h.login('clerk_sfs');
  };
  const notified = async (id: number) =>
    (await h.storage.db.selectFrom('notifications').select(['dedupe_key']).where('record_id', '=', id).orderBy('id').execute()).map((n) =>
      n.dedupe_key.split(':').slice(2).join(':'),
    );
  const transition = async (id: number, key: string, body: Record<string, unknown>) => {
    const r = await h.req(sfs, 'POST', `/api/records/disclosure_request/${id}/transitions/${key}`, body);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { dueOn: string; deadlineState: string; deadline: { stopped: boolean } };
  };

  beforeAll(async () => {
    h = await startApi(dialect, () => now);
    await loginClerk();
    const dept = await h.deptId('town_a', '司法所');
    const post = async (receivedOn: string) => {
      const r = await h.req(sfs, 'POST', '/api/records/disclosure_request', { deptId: dept, data: { applicant: '李四', applicantType: '自然人', receivedOn, content: '申请公开规划许可' } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; dueOn: string };
    };
    const near = await post('2026-09-28');
    expect(near.dueOn).toBe('2026-10-30');
    const late = await post('2026-09-01');
    Object.assign(ids, { near: near.id, late: late.id });
  });
  afterAll(async () => h?.close());

  it('does not remind a 临期 record every day while its clock stands still, but once it runs again', async () => {
    now = at('2026-10-28');
    await loginClerk();
    // Two working days (10-29, 10-30) are left when the applicant is asked to correct the request.
    const stopped = await transition(ids.near!, 'correction', { reason: '申请内容不明确', on: '2026-10-28' });
    expect(stopped).toMatchObject({ dueOn: '2026-10-30', deadlineState: '临期', deadline: { stopped: true } });
    await sweepDeadlines(h.ctx);
    now = at('2026-10-29');
    await sweepDeadlines(h.ctx);
    now = at('2026-10-30');
    await sweepDeadlines(h.ctx);
    const row = await h.storage.db.selectFrom('records').select(['due_on', 'deadline_state']).where('id', '=', ids.near!).executeTakeFirstOrThrow();
    expect(row).toEqual({ due_on: '2026-11-03', deadline_state: '临期' });
    expect(await notified(ids.near!)).toEqual([]);

    now = at('2026-11-05');
    await loginClerk();
    const resumed = await transition(ids.near!, 'corrected', { on: '2026-11-05' });
    // Counting resumes on 11-06: 11-06 and 11-09 are the two days left.
    expect(resumed).toMatchObject({ dueOn: '2026-11-09', deadlineState: '临期', deadline: { stopped: false } });
    await sweepDeadlines(h.ctx);
    await sweepDeadlines(h.ctx);
    expect(await notified(ids.near!)).toEqual(['临期:2026-11-09', '临期:2026-11-09']);
  });

  it('still reminds an overdue record whose clock was stopped after its due date', async () => {
    now = at('2026-11-05');
    await loginClerk();
    const row = await h.storage.db.selectFrom('records').select(['due_on', 'deadline_state']).where('id', '=', ids.late!).executeTakeFirstOrThrow();
    expect(row.deadline_state).toBe('逾期');
    const stopped = await transition(ids.late!, 'correction', { reason: '申请内容不明确', on: '2026-11-05' });
    expect(stopped).toMatchObject({ dueOn: row.due_on, deadlineState: '逾期' });
    await sweepDeadlines(h.ctx);
    now = at('2026-11-06');
    await sweepDeadlines(h.ctx);
    expect(await notified(ids.late!)).toEqual([`逾期:${row.due_on}`, `逾期:${row.due_on}`]);
  });
});
