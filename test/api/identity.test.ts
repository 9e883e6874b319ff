/**
 * 身份鉴别 (GB/T 22239-2019 8.1.4.1) end to end on both databases: lockout counted atomically in the
 * database per account-and-address and per address, unlock by the 安全管理员 and from the CLI, the
 * password rule with history, forced change (first login, reset, expiry), idle and absolute session
 * limits, the per-user session limit, disabled users, and the TOTP second factor with recovery codes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testDialects } from '../../src/db/testing';
import { USER_COMMANDS } from '../../src/cli/commands/user';
import { parseArgs } from '../../src/cli/args';
import { PASSWORD, startApi, type ApiHarness, BROWSER_HEADERS } from '../support/api';
import { totpCode } from '../support/totp';

const BASE = Date.parse('2026-03-02T02:00:00Z');

describe.each(testDialects())('identity on %s', (dialect) => {
  let h: ApiHarness;
  let offsetMs = 0;
  let security: string, admin: string;
  const at = () => new Date(BASE + offsetMs);
  const from = (ip: string, username: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, payload: { username, password }, remoteAddress: ip });
  const cookieOf = (r: LightMyRequestResponse) => `fazhi_sid=${r.cookies.find((c) => c.name === 'fazhi_sid')!.value}`;
  const uid = async (username: string) => (await h.storage.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const audits = async (action: string) => h.storage.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  beforeAll(async () => {
    h = await startApi(dialect, at);
  });
  // A login at a moved clock removes the sessions that have expired by then: each test signs in afresh.
  beforeEach(async () => {
    [security, admin] = await h.logins('security', 'admin');
  });
  afterAll(async () => h?.close());

  describe('lockout', () => {
    it('refuses the right password after 20 concurrent wrong ones, from that address only, until the 安全管理员 unlocks', async () => {
      const rs = await Promise.all(Array.from({ length: 20 }, () => from('10.0.0.7', 'leader', 'Wrong-pass-1')));
      const statuses = rs.map((r) => r.statusCode);
      // Only the first five numbers are ever checked against the password; the rest are refused as locked.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
      expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(16);
      expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
      const right = await from('10.0.0.7', 'leader', PASSWORD);
      expect(right.statusCode).toBe(423);
      expect(right.json().error.message).toContain('已锁定');
      expect(right.cookies.find((c) => c.name === 'fazhi_sid')).toBeUndefined();
      // The attacker's address is locked, the account is not: the user signs in from elsewhere.
      expect((await from('10.0.0.8', 'leader', PASSWORD)).statusCode).toBe(200);
      const locks = (await h.req(security, 'GET', '/api/security/locks')).json().items as { key: string; username: string; ip: string; scope: string }[];
      const lock = locks.find((l) => l.username === 'leader' && l.ip === '10.0.0.7')!;
      expect(lock.scope).toBe('account');
      expect((await h.req(admin, 'DELETE', `/api/security/locks?key=${encodeURIComponent(lock.key)}`)).statusCode).toBe(403);
      expect((await h.req(security, 'DELETE', `/api/security/locks?key=${encodeURIComponent(lock.key)}`)).json()).toEqual({ unlocked: 1 });
      expect((await from('10.0.0.7', 'leader', PASSWORD)).statusCode).toBe(200);
      expect((await audits('unlock')).some((a) => a.username === 'security' && a.detail!.includes('10.0.0.7'))).toBe(true);
      expect((await audits('lock')).some((a) => a.detail!.includes('leader'))).toBe(true);
    });

    it('says how many tries are left, the same for an unknown name, and locks at the fifth', async () => {
      for (const name of ['office_b', 'no_such_user']) {
        const msgs: string[] = [];
        for (let i = 0; i < 5; i++) msgs.push((await from('10.0.1.1', name, 'Wrong-pass-1')).json().error.message);
        expect(msgs.slice(0, 4)).toEqual([4, 3, 2, 1].map((n) => `用户名或密码不正确，还可尝试${n}次（连续5次错误将锁定15分钟）`));
        expect(msgs[4]).toBe('密码连续错误5次，该账号在此地址已锁定15分钟');
      }
      // The lock ends by itself after 15 minutes.
      offsetMs = 15 * 60_000 + 1000;
      try {
        expect((await from('10.0.1.1', 'office_b', PASSWORD)).statusCode).toBe(200);
      } finally {
        offsetMs = 0;
      }
    });

    it('limits one address over every account, and the CLI lifts it', async () => {
      for (let i = 0; i < 30; i++) expect((await from('10.0.2.2', `guess${i}`, 'Wrong-pass-1')).statusCode).toBe(i === 29 ? 423 : 401);
      const r = await from('10.0.2.2', 'clerk_sfs', PASSWORD);
      expect(r.statusCode).toBe(423);
      expect(r.json().error.message).toContain('该地址');
      const unlock = USER_COMMANDS.find((c) => c.usage.startsWith('user unlock'))!;
      await unlock.run(h.ctx, parseArgs(['user', 'unlock', '--ip', '10.0.2.2']));
      expect((await from('10.0.2.2', 'clerk_sfs', PASSWORD)).statusCode).toBe(200);
      // And an account locked from an address: `fazhi user unlock NAME`.
      for (let i = 0; i < 5; i++) await from('10.0.2.3', 'clerk_zf', 'Wrong-pass-1');
      expect((await from('10.0.2.3', 'clerk_zf', PASSWORD)).statusCode).toBe(423);
      await unlock.run(h.ctx, parseArgs(['user', 'unlock', 'clerk_zf']));
      expect((await from('10.0.2.3', 'clerk_zf', PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('passwords', () => {
    it('forces a change at the first login and after a reset; the rule, the name and the last five are refused', async () => {
      const made = await h.req(admin, 'POST', '/api/users', { username: 'pw_user', role: 'leader', orgId: await h.orgId('town_a'), password: 'aaaaaaa1' });
      expect(made.statusCode).toBe(400);
      expect(made.json().error.message).toBe('密码：须包含大写字母、小写字母、数字、符号中的至少三类');
      expect((await h.req(admin, 'POST', '/api/users', { username: 'pw_user', role: 'leader', orgId: await h.orgId('town_a'), password: 'Pw_user-2026' })).json().error.message).toBe('密码：不能包含用户名');
      expect((await h.req(admin, 'POST', '/api/users', { username: 'pw_user', role: 'leader', orgId: await h.orgId('town_a'), password: 'First-pass1' })).statusCode).toBe(201);
      const first = await from('10.0.3.1', 'pw_user', 'First-pass1');
      expect(first.json()).toMatchObject({ mustChangePassword: true, pending: null });
      const c = cookieOf(first);
      const blocked = await h.req(c, 'GET', '/api/records/training');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.message).toBe('请先修改密码');
      expect((await h.req(c, 'GET', '/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
      const change = (from: string, to: string) => h.req(c, 'POST', '/api/auth/password', { oldPassword: from, newPassword: to });
      expect((await change('First-pass1', 'First-pass1')).statusCode).toBe(400);
      const chain = ['Second-pass2', 'Third-pass3', 'Fourth-pass4', 'Fifth-pass5', 'Sixth-pass6'];
      let current = 'First-pass1';
      for (const next of chain) {
        const r = await change(current, next);
        expect(r.statusCode, r.body).toBe(200);
        current = next;
      }
      expect((await h.req(c, 'GET', '/api/records/training')).statusCode).toBe(200); // the session that changed it goes on
      const reuse = await change(current, 'Third-pass3');
      expect(reuse.statusCode).toBe(400);
      expect(reuse.json().error.message).toBe('密码：不能与最近5次使用过的密码相同');
      // Six changes back is allowed again.
      expect((await change(current, 'First-pass1')).statusCode).toBe(200);
      // An admin reset: a generated password, to be changed at the next login.
      const reset = await h.req(admin, 'POST', `/api/users/${await uid('pw_user')}/reset-password`);
      expect(reset.statusCode).toBe(200);
      expect((await h.req(c, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await from('10.0.3.1', 'pw_user', reset.json().password)).json().mustChangePassword).toBe(true);
    });

    it('forces a change once the configured expiry has passed', async () => {
      expect((await h.req(security, 'PUT', '/api/security/settings', { passwordMaxAgeDays: 30 })).statusCode).toBe(200);
      expect((await h.req(security, 'PUT', '/api/security/settings', { maxFailures: 0 })).statusCode).toBe(400);
      expect((await h.req(admin, 'PUT', '/api/security/settings', { passwordMaxAgeDays: 0 })).statusCode).toBe(403);
      offsetMs = 31 * 86_400_000;
      try {
        const r = await from('10.0.3.2', 'adviser', PASSWORD);
        expect(r.json().mustChangePassword).toBe(true);
        expect((await h.req(cookieOf(r), 'GET', '/api/todo')).json().error.message).toBe('请先修改密码');
      } finally {
        offsetMs = 0;
      }
      security = await h.login('security');
      expect((await h.req(security, 'PUT', '/api/security/settings', { passwordMaxAgeDays: 90 })).statusCode).toBe(200);
      {
      }
      expect((await audits('security_settings')).filter((a) => a.username === 'security').length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('sessions', () => {
    it('end after 30 idle minutes and after 12 hours however busy', async () => {
      const c = await h.login('clerk_sfs');
      offsetMs = 29 * 60_000;
      expect((await h.req(c, 'GET', '/api/auth/me')).statusCode).toBe(200);
      offsetMs = 58 * 60_000; // 29 minutes after the last request
      expect((await h.req(c, 'GET', '/api/auth/me')).statusCode).toBe(200);
      offsetMs = 88 * 60_000 + 1000; // 30 minutes and a second after it
      expect((await h.req(c, 'GET', '/api/auth/me')).statusCode).toBe(401);
      offsetMs = 0;
      const busy = await h.login('clerk_sfs');
      for (let m = 20; m < 12 * 60; m += 20) {
        offsetMs = m * 60_000;
        expect((await h.req(busy, 'GET', '/api/auth/me')).statusCode, `${m} min`).toBe(200);
      }
      offsetMs = 12 * 3600_000;
      expect((await h.req(busy, 'GET', '/api/auth/me')).statusCode).toBe(401);
      offsetMs = 0;
    });

    it('are listed to their user, who ends the others; a limit ends the oldest; disabling ends them at once', async () => {
      const [a, b] = [await h.login('leader'), await h.login('leader')];
      const list = (await h.req(a, 'GET', '/api/auth/sessions')).json().items as { id: string; current: boolean }[];
      expect(list.filter((s) => s.current)).toHaveLength(1);
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect((await h.req(a, 'DELETE', '/api/auth/sessions')).json().ended).toBeGreaterThanOrEqual(1);
      expect((await h.req(b, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await h.req(a, 'GET', '/api/auth/me')).statusCode).toBe(200);
      // Another user's session id cannot be ended.
      const other = (await h.req(admin, 'GET', '/api/auth/sessions')).json().items[0].id;
      expect((await h.req(a, 'DELETE', `/api/auth/sessions/${other}`)).statusCode).toBe(404);

      await h.req(security, 'PUT', '/api/security/settings', { maxSessions: 2 });
      try {
        const s1 = await h.login('super');
        offsetMs = 1000;
        const s2 = await h.login('super');
        offsetMs = 2000;
        const s3 = await h.login('super');
        expect((await h.req(s1, 'GET', '/api/auth/me')).statusCode).toBe(401);
        expect((await h.req(s2, 'GET', '/api/auth/me')).statusCode).toBe(200);
        expect((await h.req(s3, 'GET', '/api/auth/me')).statusCode).toBe(200);
      } finally {
        offsetMs = 0;
        await h.req(security, 'PUT', '/api/security/settings', { maxSessions: 5 });
      }

      const open = await h.login('clerk_zf');
      expect((await h.req(admin, 'PUT', `/api/users/${await uid('clerk_zf')}`, { active: false })).statusCode).toBe(200);
      expect((await h.req(open, 'GET', '/api/records/petition')).statusCode).toBe(401);
      expect((await h.req(admin, 'PUT', `/api/users/${await uid('clerk_zf')}`, { active: true })).statusCode).toBe(200);
    });
  });

  describe('second factor', () => {
    it('is bound at the administrator first login, asked at every later one, never accepts a code twice, and takes a recovery code once', async () => {
      const r = await from('10.0.4.1', 'auditor', PASSWORD);
      expect(r.json().pending).toBe('enrol');
      const c = cookieOf(r);
      const held = await h.req(c, 'GET', '/api/users');
      expect(held.statusCode).toBe(403);
      expect(held.json().error.message).toContain('双因素');
      const { secret, uri } = (await h.req(c, 'POST', '/api/auth/totp/enrol')).json() as { secret: string; uri: string };
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      const wrong = await h.req(c, 'POST', '/api/auth/totp/confirm', { code: '000000' === totpCode(secret, at()) ? '111111' : '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.message).toBe('验证码不正确，还可尝试4次');
      const ok = await h.req(c, 'POST', '/api/auth/totp/confirm', { code: totpCode(secret, at()) });
      expect(ok.statusCode, ok.body).toBe(200);
      const codes = ok.json().recoveryCodes as string[];
      expect(codes).toHaveLength(10);
      expect((await h.req(c, 'GET', '/api/auth/me')).json().pending).toBeNull();

      const again = await from('10.0.4.1', 'auditor', PASSWORD);
      expect(again.json().pending).toBe('totp');
      const c2 = cookieOf(again);
      // The code just used for the binding is refused (same 30-second step); the next step's is accepted.
      expect((await h.req(c2, 'POST', '/api/auth/totp/verify', { code: totpCode(secret, at()) })).statusCode).toBe(400);
      expect((await h.req(c2, 'POST', '/api/auth/totp/verify', { code: totpCode(secret, at(), 1) })).statusCode).toBe(200);
      const c3 = cookieOf(await from('10.0.4.1', 'auditor', PASSWORD));
      const rec = await h.req(c3, 'POST', '/api/auth/totp/verify', { code: codes[0] });
      expect(rec.json()).toEqual({ usedRecoveryCode: true, recoveryCodesLeft: 9 });
      const c4 = cookieOf(await from('10.0.4.1', 'auditor', PASSWORD));
      expect((await h.req(c4, 'POST', '/api/auth/totp/verify', { code: codes[0] })).statusCode).toBe(400);
      // Five wrong codes end the waiting session.
      for (let i = 0; i < 4; i++) await h.req(c4, 'POST', '/api/auth/totp/verify', { code: 'nope-nope' });
      expect((await h.req(c4, 'GET', '/api/auth/me')).statusCode).toBe(401);
      await h.storage.db.deleteFrom('login_throttle').where('key', 'like', 'totp:%').execute();

      // The administrators cannot turn it off; the 安全管理员 resets a lost one, which ends the sessions.
      const auditorId = await uid('auditor');
      expect((await h.req(admin, 'POST', `/api/users/${auditorId}/reset-totp`)).statusCode).toBe(403);
      expect((await h.req(c2, 'POST', '/api/auth/totp/disable', { code: totpCode(secret, at(), -1) })).statusCode).toBe(403);
      expect((await h.req(security, 'POST', `/api/users/${await uid('security')}/reset-totp`)).statusCode).toBe(403);
      expect((await h.req(security, 'POST', `/api/users/${auditorId}/reset-totp`)).statusCode).toBe(200);
      expect((await h.req(c2, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await from('10.0.4.1', 'auditor', PASSWORD)).json().pending).toBe('enrol');
      expect((await audits('totp_reset')).some((a) => a.entity_id === String(auditorId) && a.username === 'security')).toBe(true);
    });

    it('is optional for the ledger roles: bound and turned off again with a code', async () => {
      const c = await h.login('office');
      expect((await h.req(c, 'GET', '/api/auth/me')).json().user.totpEnabled).toBe(false);
      const { secret } = (await h.req(c, 'POST', '/api/auth/totp/enrol')).json();
      expect((await h.req(c, 'POST', '/api/auth/totp/confirm', { code: totpCode(secret, at()) })).statusCode).toBe(200);
      expect((await from('10.0.5.1', 'office', PASSWORD)).json().pending).toBe('totp');
      expect((await h.req(c, 'POST', '/api/auth/totp/disable', { code: totpCode(secret, at(), 1) })).statusCode).toBe(200);
      expect((await from('10.0.5.1', 'office', PASSWORD)).json().pending).toBeNull();
    });
  });
});
