/**
 * Data-safety edge cases found in the security review: prototype-named keys, ids beyond the column
 * range, NUL characters, personal fields used to unmask names, user-name probing, session checks before
 * body parsing, imports into another org unit, role changes without a department, invalid date filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testDialects } from '../../src/db/testing';
import { countRows, startApi, type ApiHarness } from '../support/api';

const BASE = Date.parse('2024-01-20T02:00:00Z');
const PETITIONER = '张三丰';
const INT4_OVER = 3_000_000_000;

const status = (r: LightMyRequestResponse) => r.statusCode;

describe.each(testDialects())('data safety bugs on %s', (dialect) => {
  let h: ApiHarness;
  let admin: string, office: string, zf: string, leader: string, sup: string, officeB: string;
  let townA: number, sfsDept: number, zfDept: number;
  let report: number;
  const count = (table: 'records' | 'audit_log') => countRows(h, table);

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date(BASE));
    [admin, office, zf, leader, sup, officeB] = await h.logins('admin', 'office', 'clerk_zf', 'leader', 'super', 'office_b');
    townA = await h.orgId('town_a');
    sfsDept = await h.deptId('town_a', '司法所');
    zfDept = await h.deptId('town_a', '综合行政执法队');
    const p = await h.req(zf, 'POST', '/api/records/petition', { deptId: zfDept, data: { registeredOn: '2023-03-01', channel: '来访', petitioner: PETITIONER, subject: '夜间施工噪声' } });
    expect(p.statusCode).toBe(201);
    const r = await h.req(office, 'POST', '/api/records/legality_review', {
      deptId: sfsDept,
      data: { title: '物业服务合同', reviewType: '政府合同', submitDept: '司法所', receivedOn: '2023-06-01', adviser: '王律师', amount: 100 },
    });
    expect(r.statusCode).toBe(201);
    report = (await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 })).json().id;
    await h.req(office, 'POST', `/api/reports/${report}/state`, { to: '审核' });
    // 定稿 by a second person (issue 10).
    expect((await h.req(admin, 'POST', `/api/reports/${report}/state`, { to: '定稿' })).statusCode).toBe(200);
  });
  afterAll(async () => h?.close());

  it('sort by an Object.prototype name (constructor, toString) is a 400, not a 500', async () => {
    for (const s of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await h.req(office, 'GET', `/api/records/training?sort=${s}`);
      expect(r.statusCode, `${s}: ${r.body}`).toBe(400);
    }
  });

  it('a report figure named like an Object.prototype member is a 404, not a 500', async () => {
    for (const f of ['__proto__', 'constructor', 'toString']) {
      expect(status(await h.req(office, 'GET', `/api/reports/${report}/figures/${f}/records`)), f).toBe(404);
      const viaMetrics = await h.req(office, 'GET', `/api/metrics/${f}/records?year=2023&reportId=${report}`);
      expect(viaMetrics.statusCode, f).toBeGreaterThanOrEqual(400);
      expect(viaMetrics.statusCode, f).toBeLessThan(500);
    }
  });

  it('ids beyond the integer column range are a 4xx on every route, not a 500 (PostgreSQL)', async () => {
    const n = INT4_OVER;
    const cases: [string, string, string, unknown?][] = [
      [office, 'GET', `/api/records/training/${n}`],
      [office, 'GET', `/api/records/training/${n}/history`],
      [office, 'PUT', `/api/records/training/${n}`, { version: 1, data: {} }],
      [office, 'DELETE', `/api/records/training/${n}`],
      [office, 'POST', `/api/records/petition/${n}/transitions/accept`, {}],
      [office, 'GET', `/api/records/training?deptId=${n}`],
      [office, 'GET', `/api/records/training?orgId=${n}`],
      [office, 'POST', '/api/records/training', { deptId: n, data: {} }],
      [office, 'POST', '/api/records/training', { orgId: n, deptId: 1, data: {} }],
      [office, 'GET', `/api/attachments/${n}`],
      [office, 'GET', `/api/records/training/${n}/attachments`],
      [office, 'GET', `/api/export?orgId=${n}`],
      [office, 'GET', `/api/export.xlsx?orgId=${n}`],
      [office, 'POST', `/api/notifications/${n}/read`],
      [office, 'GET', `/api/metrics?orgId=${n}`],
      [office, 'GET', `/api/metrics/petition.count/records?orgId=${n}`],
      [office, 'GET', `/api/reports/${n}`],
      [office, 'GET', `/api/reports?orgId=${n}`],
      [office, 'GET', `/api/dashboard?orgId=${n}`],
      [office, 'GET', `/api/overdue?orgId=${n}`],
      [sup, 'GET', `/api/district/compare?orgId=${n}`],
      [admin, 'POST', '/api/reports', { orgId: n, year: 2023 }],
      [admin, 'PUT', `/api/users/${n}`, { role: 'leader' }],
      [admin, 'POST', `/api/users/${n}/reset-password`],
      [admin, 'POST', '/api/users', { username: 'big_org', role: 'leader', orgId: n, password: 'Abcd1234x' }],
      [admin, 'POST', `/api/orgs/${n}/depts`, { name: 'x' }],
    ];
    const failures: string[] = [];
    for (const [c, m, u, body] of cases) {
      const r = await h.req(c, m, u, body);
      // A list filtered by an id that cannot exist may answer an empty list.
      const emptyList = m === 'GET' && u.includes('?') && r.statusCode === 200 && Array.isArray(r.json().items) && r.json().items.length === 0;
      if (!emptyList && (r.statusCode < 400 || r.statusCode >= 500)) failures.push(`${m} ${u} → ${r.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('a NUL character in text is a 400 or harmless text, never a 500 (PostgreSQL)', async () => {
    const records = await count('records');
    const login = await h.req(null, 'POST', '/api/auth/login', { username: 'office\u0000', password: 'x' });
    expect(login.statusCode).toBeGreaterThanOrEqual(400);
    expect(login.statusCode).toBeLessThan(500);
    const create = await h.req(office, 'POST', '/api/records/training', { deptId: sfsDept, data: { title: 'a\u0000b', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 1 } });
    expect([201, 400]).toContain(create.statusCode);
    const filter = await h.req(office, 'GET', `/api/records/training?f.title.contains=${encodeURIComponent('\u0000')}`);
    expect([200, 400]).toContain(filter.statusCode);
    const user = await h.req(admin, 'POST', '/api/users', { username: 'nul_user', displayName: 'a\u0000', role: 'leader', orgId: townA, password: 'Abcd1234x' });
    expect([201, 400]).toContain(user.statusCode);
    expect(await count('records')).toBeLessThanOrEqual(records + 1);
  });

  it('a role that sees names masked cannot find them out by filtering or sorting on a personal field', async () => {
    // The leader sees 张** but could confirm the full name: f.petitioner=张三丰 → total 1, 张三 → 0.
    for (const c of [leader, sup]) {
      for (const q of [`f.petitioner=${encodeURIComponent(PETITIONER)}`, `f.petitioner.contains=${encodeURIComponent('三丰')}`, 'sort=petitioner']) {
        const r = await h.req(c, 'GET', `/api/records/petition?orgId=${townA}&${q}`);
        expect(r.statusCode, q).toBe(403);
      }
    }
    // Those who may see names still filter by them.
    expect((await h.req(office, 'GET', `/api/records/petition?f.petitioner=${encodeURIComponent(PETITIONER)}`)).json().total).toBe(1);
  });

  it('a custom metric over a personal field never shows names to roles that see them masked', async () => {
    const by = await h.req(admin, 'POST', '/api/metric-defs', { key: 'petition.by_person', type: 'by', kind: 'petition', field: 'petitioner', label: '按信访人', unit: '件' });
    const list = await h.req(admin, 'POST', '/api/metric-defs', { key: 'petition.names', type: 'list', kind: 'petition', field: 'petitioner', label: '信访人名单', unit: '' });
    // Either such a metric is refused, or its values are masked for the leader.
    if (by.statusCode === 201 || list.statusCode === 201) {
      const keys = [by.statusCode === 201 ? 'petition.by_person' : null, list.statusCode === 201 ? 'petition.names' : null].filter(Boolean).join(',');
      for (const c of [leader, sup]) {
        const r = await h.req(c, 'GET', `/api/metrics?orgId=${townA}&year=2023&keys=${keys}`);
        expect(r.statusCode).toBe(200);
        expect(r.body).not.toContain(PETITIONER);
      }
      const entry = await h.req(leader, 'GET', `/api/metrics/petition.by_person/records?orgId=${townA}&year=2023&value=${encodeURIComponent(PETITIONER)}`);
      expect(entry.statusCode === 200 ? entry.json().total : 0).toBe(0);
    } else {
      expect(by.statusCode).toBe(400);
      expect(list.statusCode).toBe(400);
    }
  });

  it('a failed login does not tell whether the user name exists', async () => {
    const unknown = await h.req(null, 'POST', '/api/auth/login', { username: 'no_such_user', password: 'wrong-pass1' });
    const known = await h.req(null, 'POST', '/api/auth/login', { username: 'office_b', password: 'wrong-pass1' });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.json().error.message).toBe(unknown.json().error.message);
    await h.login('office_b'); // resets the failure count
  });

  it('a request without a valid session gets 401 before its body or query is looked at', async () => {
    const noSession: [string, string, unknown?][] = [
      ['POST', '/api/users', {}],
      ['POST', '/api/records/training', {}],
      ['PUT', '/api/records/training/1', {}],
      ['GET', '/api/export'],
      ['GET', '/api/export.xlsx'],
      ['POST', '/api/reports', {}],
      ['POST', '/api/auth/password', {}],
    ];
    for (const [m, u, body] of noSession) {
      const r = await h.req(null, m, u, body);
      expect(r.statusCode, `${m} ${u}`).toBe(401);
    }
    const expired = await h.req('fazhi_sid=expired-or-forged', 'POST', '/api/records/training', { data: 'x' });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toBe('登录已过期，请重新登录');
  });

  it('an import into another town is refused even when the file has no lines', async () => {
    const audits = await count('audit_log');
    const r = await h.req(officeB, 'POST', `/api/import?orgId=${townA}`, '', { 'content-type': 'application/x-ndjson' });
    expect(r.statusCode).toBe(403);
    expect(await count('audit_log')).toBe(audits);
  });

  it('a user cannot be made a 部门填报员 without a department', async () => {
    const users = (await h.req(admin, 'GET', '/api/users')).json().items as { id: number; username: string }[];
    const leaderId = users.find((u) => u.username === 'leader')!.id;
    const r = await h.req(office, 'PUT', `/api/users/${leaderId}`, { role: 'clerk' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('部门');
  });

  it('a date filter that is not a date is a 400, not an empty list', async () => {
    for (const q of ['f.heldOn.from=notadate', 'f.heldOn.to=2023-02-30', 'f.heldOn=yesterday']) {
      expect(status(await h.req(office, 'GET', `/api/records/training?${q}`)), q).toBe(400);
    }
  });
});
