import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openTestStorage, type TestStorage } from '../../src/db/testing';
import type { Dialect } from '../../src/db/connect';
import { createContext, type AppContext } from '../../src/app/context';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { buildServer } from '../../src/server/app';
import { nextSecondFactor, totpCode } from './totp';

/** A district with two towns, their departments and one user of each role, for API tests. */
export const TEST_ORGS = [
  { code: 'qu', name: '测试区', level: '区' as const, depts: ['区司法局'] },
  { code: 'town_a', name: '甲镇', level: '镇' as const, parent: 'qu', depts: ['司法所', '综合行政执法队', '党政办公室'] },
  { code: 'town_b', name: '乙镇', level: '镇' as const, parent: 'qu', depts: ['司法所'] },
];
export const PASSWORD = 'test1234!';
export const TEST_USERS = [
  { username: 'admin', displayName: '管理员', role: 'admin', org: 'qu' },
  { username: 'office', displayName: '法治办', role: 'office', org: 'town_a' },
  { username: 'clerk_sfs', displayName: '司法所填报员', role: 'clerk', org: 'town_a', dept: '司法所' },
  { username: 'clerk_zf', displayName: '执法队填报员', role: 'clerk', org: 'town_a', dept: '综合行政执法队' },
  { username: 'leader', displayName: '镇长', role: 'leader', org: 'town_a' },
  { username: 'adviser', displayName: '王律师', role: 'adviser', org: 'town_a' },
  { username: 'super', displayName: '督察', role: 'supervisor', org: 'qu' },
  { username: 'office_b', displayName: '乙镇法治办', role: 'office', org: 'town_b' },
  { username: 'security', displayName: '安全管理员', role: 'security', org: 'qu' },
  { username: 'auditor', displayName: '审计管理员', role: 'auditor', org: 'qu' },
  // Fixture accounts start as if their first-login password change were done (the rule itself is tested in identity.test.ts).
].map((u) => ({ ...u, password: PASSWORD, mustChangePassword: false }));

export interface ApiHarness {
  storage: TestStorage;
  ctx: AppContext;
  app: FastifyInstance;
  login(username: string, password?: string): Promise<string>;
  /** Session cookies of several users, in order. */
  logins<T extends readonly string[]>(...usernames: T): Promise<{ [K in keyof T]: string }>;
  req(cookie: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  orgId(code: string): Promise<number>;
  deptId(orgCode: string, name: string): Promise<number>;
  close(): Promise<void>;
}

export async function startApi(dialect: Dialect, now?: () => Date): Promise<ApiHarness> {
  const storage = await openTestStorage(dialect);
  const ctx = createContext(storage, now);
  await seedOrgsAndUsers(ctx, TEST_ORGS, TEST_USERS);
  const app = await buildServer(ctx, { webDir: '/nonexistent' });
  const h: ApiHarness = {
    storage,
    ctx,
    app,
    /**
     * Signs in all the way, as the web app would: the second factor when the account has one (the
     * administrator roles enrol one at their first login, through the API), and a pending first-login
     * password change is marked done in the database, so that the caller's password stays valid.
     */
    async login(username, password = PASSWORD) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      const c = r.cookies.find((x) => x.name === 'fazhi_sid');
      const cookie = `fazhi_sid=${c!.value}`;
      const body = r.json() as { user: { id: number }; pending: 'totp' | 'enrol' | null; mustChangePassword: boolean };
      const step = async (url: string, code: string) => {
        const s = await app.inject({ method: 'POST', url, headers: { cookie }, payload: { code } });
        if (s.statusCode !== 200) throw new Error(`login ${username}: ${url} ${s.statusCode} ${s.body}`);
      };
      if (body.pending === 'enrol') {
        const e = await app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: { cookie } });
        await step('/api/auth/totp/confirm', totpCode(e.json().secret, ctx.now()));
      } else if (body.pending === 'totp') {
        await step('/api/auth/totp/verify', await nextSecondFactor(storage, body.user.id, ctx.now()));
      }
      if (body.mustChangePassword)
        await storage.db.updateTable('users').set({ must_change_password: 0, password_changed_at: ctx.now().toISOString() }).where('id', '=', body.user.id).execute();
      return cookie;
    },
    async logins(...usernames) {
      return (await Promise.all(usernames.map((u) => h.login(u)))) as never;
    },
    req(cookie, method, url, body, headers = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { ...(cookie ? { cookie } : {}), ...headers },
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
      });
    },
    async orgId(code) {
      return (await storage.db.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    },
    async deptId(orgCode, name) {
      const org = await h.orgId(orgCode);
      return (await storage.db.selectFrom('departments').select('id').where('org_id', '=', org).where('name', '=', name).executeTakeFirstOrThrow()).id;
    },
    async close() {
      await app.close();
      await storage.dispose();
    },
  };
  return h;
}
