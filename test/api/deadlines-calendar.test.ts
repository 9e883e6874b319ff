import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

// Monday 2026-12-28, 10:00 Shanghai: 2027 has no official schedule in the package data yet.
const NOW = () => new Date('2026-12-28T02:00:00Z');

describe.each(testDialects())('calendar administration and deadline recomputation on %s', (dialect) => {
  let h: ApiHarness;
  let admin = '', office = '', sfs = '';
  let dept: number;
  const ids: Record<string, number> = {};

  const create = async (data: Record<string, unknown>) => {
    const r = await h.req(sfs, 'POST', '/api/records/disclosure_request', { deptId: dept, data: { applicant: '李四', applicantType: '自然人', content: '申请公开规划许可', ...data } });
    expect(r.statusCode).toBe(201);
    return r.json() as { id: number; dueOn: string; deadlineState: string; version: number; updatedAt: string };
  };
  const get = async (id: number) => (await h.req(sfs, 'GET', `/api/records/disclosure_request/${id}`)).json();

  beforeAll(async () => {
    h = await startApi(dialect, NOW);
    admin = await h.login('admin');
    office = await h.login('office');
    sfs = await h.login('clerk_sfs');
    dept = await h.deptId('town_a', '司法所');
    ids.a = (await create({ receivedOn: '2026-09-28' })).id; // due 2026-10-30, counts 2026-10-20
    ids.b = (await create({ receivedOn: '2026-06-01' })).id; // due before October
    ids.c = (await create({ receivedOn: '2026-10-26' })).id; // due 2026-11-23, starts after 2026-10-20
    ids.e = (await create({ receivedOn: '2026-12-20' })).id; // due in 2027
    const closed = await create({ receivedOn: '2026-10-01' });
    ids.d = closed.id;
    const reply = await h.req(sfs, 'POST', `/api/records/disclosure_request/${closed.id}/transitions/reply`, { data: { replyType: '予以公开' }, on: '2026-10-21' });
    expect(reply.json().deadlineState).toBe('按期办结');
  });
  afterAll(async () => h?.close());

  it('shows a year of the calendar with holidays, 调休 days and coverage', async () => {
    const r = await h.req(sfs, 'GET', '/api/calendar?year=2026');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ year: 2026, hasData: true, missingYears: [2027] });
    expect(body.days).toHaveLength(365);
    const day = (d: string) => body.days.find((x: { date: string }) => x.date === d);
    expect(day('2026-10-01')).toMatchObject({ workday: false, status: 'holiday', name: '国庆节', override: false });
    expect(day('2026-10-10')).toMatchObject({ workday: true, adjusted: true });
    expect(day('2026-10-12')).toMatchObject({ workday: true, adjusted: false, status: 'workday' });
    expect((await h.req(sfs, 'GET', '/api/calendar?year=2027')).json()).toMatchObject({ year: 2027, hasData: false });
  });

  it('flags a year with no data in /api/health and marks its deadlines provisional', async () => {
    const health = (await h.req(null, 'GET', '/api/health')).json();
    expect(health.calendar).toEqual({ missingYears: [2027], warning: '2027年节假日安排尚未录入，涉及该年的期限为暂定' });
    const e = await get(ids.e!);
    expect(e.dueOn).toBe('2027-01-15');
    expect(e.deadline.provisional).toBe(true);
    expect((await get(ids.a!)).deadline.provisional).toBe(false);
  });

  it('recomputes only the open deadlines a day override affects, audits it, and explains the new date', async () => {
    const before = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => get(ids[k]!)));
    expect(before[0].dueOn).toBe('2026-10-30');
    expect(before[2].dueOn).toBe('2026-11-23');
    const r = await h.req(admin, 'PUT', '/api/calendar/2026-10-20', { kind: 'holiday', name: '临时放假' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ day: { date: '2026-10-20', workday: false, status: 'holiday', name: '临时放假', override: true, source: 'override' }, recomputed: 1, recordIds: [ids.a] });

    const after = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => get(ids[k]!)));
    // 10-20 no longer counts: the 20th working day moves past the weekend to Monday 11-02.
    expect(after[0].dueOn).toBe('2026-11-02');
    expect(after[0].deadline.explanation).toContain('10月20日');
    expect(after[0].deadline.explanation).toContain('应于2026-11-02前答复');
    // A recomputation is not an edit: the version a user's open form holds stays valid.
    expect(after[0].version).toBe(before[0].version);
    for (const i of [1, 2, 3, 4]) {
      expect(after[i].dueOn).toBe(before[i].dueOn);
      expect(after[i].deadlineState).toBe(before[i].deadlineState);
    }
    const entry = await h.storage.db.selectFrom('audit_log').selectAll().where('entity', '=', 'calendar').where('entity_id', '=', '2026-10-20').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'calendar_set', username: 'admin' });
    expect(entry.detail).toContain('重新计算期限1件');
    expect((await h.req(sfs, 'GET', '/api/calendar?year=2026')).json().days.find((d: { date: string }) => d.date === '2026-10-20')).toMatchObject({ override: true, workday: false });

    const cleared = await h.req(admin, 'PUT', '/api/calendar/2026-10-20', { kind: null });
    expect(cleared.json()).toMatchObject({ day: { workday: true, override: false }, recomputed: 1 });
    expect((await get(ids.a!)).dueOn).toBe('2026-10-30');
    const again = await h.req(admin, 'PUT', '/api/calendar/2026-10-20', { kind: null });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe('2026-10-20没有人工调整，无需取消');
  });

  it('imports a year\'s schedule: the year counts as covered and its deadlines are recomputed and final', async () => {
    const file = {
      years: [2027],
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-02-06', kind: 'holiday', name: '春节' },
        { date: '2027-02-07', kind: 'workday', name: '春节' },
      ],
    };
    const r = await h.req(admin, 'POST', '/api/calendar/import', file);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ imported: 3, years: [2027], recomputed: 1, recordIds: [ids.e], missingYears: [] });
    const e = await get(ids.e!);
    // 2027-01-01 is now a holiday: the 20th working day after 2026-12-20 is Monday 2027-01-18.
    expect(e.dueOn).toBe('2027-01-18');
    expect(e.deadline.provisional).toBe(false);
    expect((await h.req(null, 'GET', '/api/health')).json().calendar).toEqual({ missingYears: [] });
    const y = (await h.req(sfs, 'GET', '/api/calendar?year=2027')).json();
    expect(y.hasData).toBe(true);
    expect(y.days.find((d: { date: string }) => d.date === '2027-02-07')).toMatchObject({ workday: true, adjusted: true, override: true, source: 'imported' });
    expect(y.days.find((d: { date: string }) => d.date === '2027-03-01')).toMatchObject({ source: 'official' });

    // A corrected CSV for the same year replaces the year's days: 02-06/02-07 are ordinary again.
    const csv = 'date,kind,name\n2027-01-01,holiday,元旦\n';
    const r2 = await h.req(admin, 'POST', '/api/calendar/import', csv, { 'content-type': 'text/csv' });
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toMatchObject({ imported: 1, years: [2027], recomputed: 0 });
    const y2 = (await h.req(sfs, 'GET', '/api/calendar?year=2027')).json();
    expect(y2.days.find((d: { date: string }) => d.date === '2027-02-07')).toMatchObject({ workday: false, adjusted: false, override: false });
    const audits = await h.storage.db.selectFrom('audit_log').select('action').where('entity', '=', 'calendar').where('action', '=', 'calendar_import').execute();
    expect(audits).toHaveLength(2);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const count = async () => (await h.storage.db.selectFrom('calendar_overrides').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const n0 = Number(await count());
    const badDate = await h.req(admin, 'PUT', '/api/calendar/2026-02-30', { kind: 'holiday' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.message).toBe('日期「2026-02-30」无效，应为YYYY-MM-DD格式的真实日期');
    const notDate = await h.req(admin, 'PUT', '/api/calendar/tomorrow', { kind: 'holiday' });
    expect(notDate.statusCode).toBe(400);
    const badKind = await h.req(admin, 'PUT', '/api/calendar/2026-11-02', { kind: 'rest' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.message).toBe('类型应为 workday（上班）、holiday（放假）或 null（取消人工调整）');
    const byOffice = await h.req(office, 'PUT', '/api/calendar/2026-11-02', { kind: 'holiday' });
    expect(byOffice.statusCode).toBe(403);
    expect(byOffice.json().error.message).toBe('只有系统管理员可以修改工作日历');
    const importByClerk = await h.req(sfs, 'POST', '/api/calendar/import', [{ date: '2028-01-01', kind: 'holiday' }]);
    expect(importByClerk.statusCode).toBe(403);
    const badFile = await h.req(admin, 'POST', '/api/calendar/import', 'date,kind\n2028-01-01,holiday\n2028-13-01,holiday\n2028-01-02,maybe\n', { 'content-type': 'text/plain' });
    expect(badFile.statusCode).toBe(400);
    expect(badFile.json().error.code).toBe('VALIDATION');
    expect(badFile.json().error.message).toContain('第3行：日期「2028-13-01」无效');
    expect(badFile.json().error.message).toContain('第4行：类型「maybe」无效');
    const badYear = await h.req(sfs, 'GET', '/api/calendar?year=3000');
    expect(badYear.statusCode).toBe(400);
    expect(Number(await count())).toBe(n0);
    expect((await h.req(sfs, 'GET', '/api/calendar?year=2028')).json().hasData).toBe(false);
  });
});
