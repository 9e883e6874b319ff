/**
 * 三员分立 (GB/T 22239-2019 8.1.4.2 c/d, 8.1.10.x): 系统管理员 (accounts, org units, settings),
 * 安全管理员 (roles, grants, locks, security settings) and 审计管理员 (the audit log only) each try the
 * others' work and are refused; what each does is audited under its own name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

describe.each(testDialects())('三员分立 on %s', (dialect) => {
  let h: ApiHarness;
  let admin: string, security: string, auditor: string;
  let townA: number, sfsDept: number;
  const uid = async (username: string) => (await h.storage.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const status = async (cookie: string, method: string, url: string, body?: unknown) => (await h.req(cookie, method, url, body)).statusCode;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-05-06T02:00:00Z'));
    [admin, security, auditor] = await h.logins('admin', 'security', 'auditor');
    townA = await h.orgId('town_a');
    sfsDept = await h.deptId('town_a', '司法所');
  });
  afterAll(async () => h?.close());

  it('the 系统管理员 runs accounts of the ledger roles but grants no role, touches no administrator account and no security control', async () => {
    const made = await h.req(admin, 'POST', '/api/users', { username: 'sep_clerk', role: 'clerk', orgId: townA, deptId: sfsDept, password: 'Sep-clerk-2024' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().user.id as number;
    expect(await status(admin, 'PUT', `/api/users/${id}`, { displayName: '新名字' })).toBe(200);
    expect(await status(admin, 'PUT', `/api/users/${id}`, { role: 'leader' })).toBe(403);
    expect(await status(admin, 'PUT', `/api/users/${id}`, { deptId: await h.deptId('town_a', '综合行政执法队') })).toBe(403);
    expect(await status(admin, 'POST', '/api/users', { username: 'sep_sec', role: 'security', orgId: townA, password: 'Sep-sec-2024' })).toBe(403);
    expect(await status(admin, 'POST', '/api/users', { username: 'sep_adm', role: 'admin', orgId: townA, password: 'Sep-adm-2024' })).toBe(403);
    expect(await status(admin, 'POST', `/api/users/${await uid('auditor')}/reset-password`)).toBe(403);
    expect(await status(admin, 'PUT', `/api/users/${await uid('security')}`, { active: false })).toBe(403);
    expect(await status(admin, 'GET', '/api/security/locks')).toBe(403);
    expect(await status(admin, 'DELETE', '/api/security/locks?username=leader')).toBe(403);
    expect(await status(admin, 'GET', '/api/security/settings')).toBe(403);
    expect(await status(admin, 'PUT', '/api/security/settings', { idleMinutes: 60 })).toBe(403);
    expect(await status(admin, 'POST', `/api/users/${await uid('auditor')}/reset-totp`)).toBe(403);
  });

  it('the 安全管理员 grants roles and runs the administrator accounts, but opens no ledger account and touches no ledger, org unit or setting', async () => {
    const clerk = await uid('sep_clerk');
    expect(await status(security, 'PUT', `/api/users/${clerk}`, { role: 'leader', deptId: null })).toBe(200);
    expect(await status(security, 'PUT', `/api/users/${clerk}`, { displayName: '改名' })).toBe(403);
    expect(await status(security, 'POST', `/api/users/${clerk}/reset-password`)).toBe(403);
    expect(await status(security, 'POST', '/api/users', { username: 'sep_clerk2', role: 'clerk', orgId: townA, deptId: sfsDept, password: 'Sep-clerk-2024' })).toBe(403);
    const aud = await h.req(security, 'POST', '/api/users', { username: 'sep_aud', role: 'auditor', orgId: await h.orgId('qu'), password: 'Sep-aud-2024!' });
    expect(aud.statusCode, aud.body).toBe(201);
    expect(await status(security, 'PUT', `/api/users/${await uid('security')}`, { role: 'admin' })).toBe(403); // never itself
    expect(await status(security, 'GET', '/api/records/petition')).toBe(403);
    expect(await status(security, 'POST', '/api/records/training', {})).toBe(403);
    expect(await status(security, 'POST', '/api/orgs', { code: 'x', name: 'x', level: '镇' })).toBe(403);
    expect(await status(security, 'POST', '/api/ledgers', {})).toBe(403);
    expect(await status(security, 'PUT', '/api/calendar/2024-06-03', { kind: 'holiday' })).toBe(403);
    expect(await status(security, 'GET', '/api/export?orgId=' + townA)).toBe(403);
    expect(await status(security, 'GET', '/api/dashboard')).toBe(403);
    expect(await status(security, 'PUT', '/api/security/settings', { idleMinutes: 20 })).toBe(200);
    expect(await status(security, 'DELETE', '/api/security/locks?username=leader')).toBe(200);
  });

  it('the 审计管理员 does nothing but read the audit log', async () => {
    for (const [m, u, b] of [
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: 'x_x', role: 'clerk', orgId: townA, deptId: sfsDept }],
      ['GET', '/api/records/petition'],
      ['GET', '/api/security/locks'],
      ['PUT', '/api/security/settings', { idleMinutes: 60 }],
      ['POST', '/api/orgs', {}],
      ['GET', '/api/reports'],
      ['GET', '/api/todo'],
      ['POST', `/api/users/${await uid('admin')}/reset-password`],
    ] as [string, string, unknown?][]) {
      expect(await status(auditor, m, u, b), `${m} ${u}`).toBe(403);
    }
    const me = (await h.req(auditor, 'GET', '/api/auth/me')).json().user;
    expect(me.can).toMatchObject({ audit: true, security: false, admin: false, users: false, write: false });
  });

  it('audits what each of them did under their own name', async () => {
    const rows = await h.storage.db.selectFrom('audit_log').select(['username', 'action']).execute();
    const did = (username: string, action: string) => rows.some((r) => r.username === username && r.action === action);
    expect(did('admin', 'grant')).toBe(true); // the account it opened
    expect(did('security', 'grant')).toBe(true); // the role it changed, the auditor it made
    expect(did('security', 'security_settings')).toBe(true);
    expect(did('security', 'unlock')).toBe(true);
    for (const u of ['admin', 'security', 'auditor']) expect(did(u, 'login') && did(u, 'totp_enrol'), u).toBe(true);
  });
});
