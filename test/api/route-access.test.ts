/**
 * Authorization generated from the route table (访问控制): every route the server registers (read at
 * run time through the onRoute hook) must be in the expectation table below, and the table must hold no
 * route that does not exist; then every route is called without a session and with every role the table
 * leaves out, and each call must be refused (401, 403) without touching data. A new route that nobody
 * listed here fails this test. The table is the specification, kept apart from server/plugins/access.ts
 * on purpose: a change to who may use a route has to be made in both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { ROLES, type Role } from '../../src/core/ledgers/types';
import { roleMayUse, routeRefusal, routeRule } from '../../src/server/plugins/access';
import { BROWSER_HEADERS, startApi, type ApiHarness } from '../support/api';

type Expect = 'public' | 'signed-in' | Role[];
const LEDGER: Role[] = ['admin', 'office', 'clerk', 'leader', 'adviser', 'supervisor'];
const WRITE: Role[] = ['admin', 'office', 'clerk'];
const EDIT_REPORTS: Role[] = ['admin', 'office'];

const EXPECTED: Record<string, Expect> = {
  'GET /api/docs': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/password': 'signed-in',
  'GET /api/auth/sessions': 'signed-in',
  'DELETE /api/auth/sessions': 'signed-in',
  'DELETE /api/auth/sessions/:id': 'signed-in',
  'POST /api/auth/totp/enrol': 'signed-in',
  'POST /api/auth/totp/confirm': 'signed-in',
  'POST /api/auth/totp/verify': 'signed-in',
  'POST /api/auth/totp/disable': 'signed-in',
  'GET /api/notifications': 'signed-in',
  'POST /api/notifications/:id/read': 'signed-in',
  'POST /api/notifications/read-all': 'signed-in',
  'GET /api/ledgers': [...LEDGER, 'security', 'auditor'],
  'GET /api/ledgers/:kind': [...LEDGER, 'security', 'auditor'],
  'POST /api/ledgers': ['admin'],
  'GET /api/dictionary': [...LEDGER, 'security', 'auditor'],
  'PUT /api/dictionary': ['admin'],
  'GET /api/orgs': [...LEDGER, 'security', 'auditor'],
  'POST /api/orgs': ['admin'],
  'POST /api/orgs/:id/depts': ['admin', 'office'],
  'PUT /api/orgs/:id/issuing-name': ['admin', 'office'],
  'GET /api/users': ['admin', 'office', 'security'],
  'POST /api/users': ['admin', 'office', 'security'],
  'PUT /api/users/:id': ['admin', 'office', 'security'],
  'POST /api/users/:id/reset-password': ['admin', 'office', 'security'],
  'POST /api/users/:id/reset-totp': ['security'],
  'GET /api/security/locks': ['security'],
  'DELETE /api/security/locks': ['security'],
  'GET /api/security/settings': ['security'],
  'PUT /api/security/settings': ['security'],
  'GET /api/records/:kind': LEDGER,
  'GET /api/records/:kind/export.xlsx': LEDGER,
  'POST /api/records/:kind': WRITE,
  'GET /api/records/:kind/:id': LEDGER,
  'PUT /api/records/:kind/:id': WRITE,
  'DELETE /api/records/:kind/:id': WRITE,
  'POST /api/records/:kind/:id/restore': WRITE,
  'GET /api/records/:kind/:id/history': LEDGER,
  'POST /api/records/:kind/:id/transitions/:key': LEDGER,
  'POST /api/records/:kind/transitions/:key': LEDGER,
  'GET /api/export': LEDGER,
  'POST /api/import': WRITE,
  'GET /api/templates/:kind.xlsx': LEDGER,
  'GET /api/export.xlsx': LEDGER,
  'POST /api/records/:kind/export-jobs': LEDGER,
  'POST /api/export-jobs': LEDGER,
  'GET /api/export-jobs/:id': LEDGER,
  'GET /api/export-jobs/:id/file': LEDGER,
  'POST /api/import.xlsx': WRITE,
  'POST /api/import-jobs': WRITE,
  'GET /api/import-jobs/:id': WRITE,
  'GET /api/import-jobs/:id/annotated.xlsx': WRITE,
  'GET /api/records/:kind/:id/attachments': LEDGER,
  'POST /api/records/:kind/:id/attachments': WRITE,
  'GET /api/attachments/:id': LEDGER,
  'DELETE /api/attachments/:id': WRITE,
  'GET /api/metrics': LEDGER,
  'GET /api/metrics/:key/records': LEDGER,
  'GET /api/metric-defs': ['admin', 'office'],
  'POST /api/metric-defs': ['admin'],
  'GET /api/reports': LEDGER,
  'POST /api/reports': EDIT_REPORTS,
  'GET /api/reports/:id': LEDGER,
  'PUT /api/reports/:id/paragraphs/:pid': EDIT_REPORTS,
  'POST /api/reports/:id/paragraphs': EDIT_REPORTS,
  'POST /api/reports/:id/paragraphs/:pid/move': EDIT_REPORTS,
  'DELETE /api/reports/:id/paragraphs/:pid': EDIT_REPORTS,
  'PUT /api/reports/:id/other-part': EDIT_REPORTS,
  'PUT /api/reports/:id/settings': EDIT_REPORTS,
  'POST /api/reports/:id/state': EDIT_REPORTS,
  'POST /api/reports/:id/new-version': EDIT_REPORTS,
  'GET /api/reports/:id/figures/:figure/records': LEDGER,
  'GET /api/reports/:id/cells/:figure/records': LEDGER,
  'GET /api/reports/:id/export': LEDGER,
  'GET /api/district/compare': ['admin', 'supervisor'],
  'GET /api/district/compare/export': ['admin', 'supervisor'],
  'GET /api/district/disclosure': ['admin', 'supervisor'],
  'GET /api/district/disclosure/export': ['admin', 'supervisor'],
  'GET /api/todo/reports': LEDGER,
  'GET /api/dashboard': LEDGER,
  'GET /api/calendar': LEDGER,
  'PUT /api/calendar/:date': ['admin'],
  'POST /api/calendar/import': ['admin'],
  'GET /api/deadline-settings': LEDGER,
  'PUT /api/deadline-settings/near-days': ['admin'],
  'PUT /api/deadline-settings/periods/:kind/:rule': ['admin'],
  'GET /api/todo': LEDGER,
  'GET /api/overdue': LEDGER,
  // 三员分立: the audit log is the 审计管理员's alone.
  'GET /api/audit': ['auditor'],
  'GET /api/audit/export': ['auditor'],
  'GET /api/audit/verify': ['auditor'],
  'GET /api/supervision': LEDGER,
  'GET /api/supervision.xlsx': LEDGER,
  'GET /api/tokens': ['admin'],
  'POST /api/tokens': ['admin'],
  'DELETE /api/tokens/:id': ['admin'],
};

/** One user of each role in the API fixture. */
const USER_OF: Record<Role, string> = {
  admin: 'admin',
  office: 'office',
  clerk: 'clerk_sfs',
  leader: 'leader',
  adviser: 'adviser',
  supervisor: 'super',
  security: 'security',
  auditor: 'auditor',
};

describe.each(testDialects())('every route against the role table on %s', (dialect) => {
  let h: ApiHarness;
  const cookies = {} as Record<Role, string>;
  /** Path parameters of real resources, so a refusal is never a 404 (the gate answers before any lookup). */
  let ids: Record<string, string>;
  const routes = () => [...new Set(h.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`))];
  const urlOf = (pattern: string) =>
    pattern.replace('/*', '/x').replace(/:(\w+)/g, (_, p: string) => ids[p] ?? '1');
  const call = (cookie: string | null, route: string) => {
    const [method, pattern] = route.split(' ') as [string, string];
    return h.req(cookie, method, urlOf(pattern), method === 'GET' || method === 'DELETE' ? undefined : {});
  };
  const snapshot = async () =>
    Promise.all((['records', 'users', 'reports', 'attachments', 'org_units', 'ledger_defs', 'settings', 'calendar_overrides'] as const).map(async (t) =>
      Number((await h.storage.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    ));

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-05-06T02:00:00Z'));
    for (const r of ROLES) cookies[r] = await h.login(USER_OF[r]);
    const deptId = await h.deptId('town_a', '司法所');
    const rec = await h.req(cookies.clerk, 'POST', '/api/records/petition', { deptId, data: { registeredOn: '2024-05-01', channel: '来访', petitioner: '张三', subject: '噪声' } });
    const att = await h.req(cookies.clerk, 'POST', `/api/records/petition/${rec.json().id}/attachments?filename=a.txt`, 'x', { 'content-type': 'text/plain' });
    const rep = await h.req(cookies.office, 'POST', '/api/reports', { orgId: await h.orgId('town_a'), year: 2023 });
    ids = {
      kind: 'petition',
      id: String(rec.json().id),
      key: 'accept',
      date: '2024-06-03',
      rule: 'x',
      figure: 'petition.count',
      pid: 'p1',
    };
    expect(rec.statusCode, rec.body).toBe(201);
    expect(att.statusCode, att.body).toBe(201);
    expect(rep.statusCode, rep.body).toBe(201);
  }, 120_000);
  afterAll(async () => h?.close());

  it('lists every registered route, and only those', () => {
    const registered = routes().filter((r) => r.split(' ')[1]!.startsWith('/api/'));
    expect(registered.filter((r) => !(r in EXPECTED)), 'routes missing from the expectation table').toEqual([]);
    expect(Object.keys(EXPECTED).filter((r) => !registered.includes(r)), 'listed routes that do not exist').toEqual([]);
    // The server's gate agrees with the table on every role.
    for (const [route, want] of Object.entries(EXPECTED)) {
      const [method, url] = route.split(' ') as [string, string];
      for (const role of ROLES) {
        const may = want === 'public' || want === 'signed-in' || want.includes(role);
        expect(roleMayUse(routeRule(method, url), role), `${role} ${route}`).toBe(may);
      }
    }
  });

  it('refuses every route but the public ones without a session', async () => {
    const before = await snapshot();
    for (const route of Object.keys(EXPECTED)) {
      if (EXPECTED[route] === 'public') continue;
      const r = await call(null, route);
      expect(r.statusCode, route).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('refuses every route to every role the table leaves out, before the body is read', async () => {
    const before = await snapshot();
    let refused = 0;
    for (const [route, want] of Object.entries(EXPECTED)) {
      if (!Array.isArray(want)) continue;
      const [method, pattern] = route.split(' ') as [string, string];
      for (const role of ROLES.filter((r) => !want.includes(r))) {
        const r = await call(cookies[role], route);
        expect(r.statusCode, `${role} ${route}`).toBe(403);
        expect(r.json().error.message, `${role} ${route}`).toBe(routeRefusal(method, pattern, role));
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(150);
    expect(await snapshot()).toEqual(before);
  }, 180_000); // some 300 requests: time enough on a loaded machine

  it('holds a session that waits for its second factor to the sign-in steps on every route', async () => {
    const r = await h.app.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, payload: { username: 'security', password: 'test1234!' }, remoteAddress: '10.9.9.9' });
    expect(r.json().pending).toBe('totp');
    const cookie = `fazhi_sid=${r.cookies.find((c) => c.name === 'fazhi_sid')!.value}`;
    const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/totp/enrol', 'POST /api/auth/totp/confirm', 'POST /api/auth/totp/verify']);
    for (const route of Object.keys(EXPECTED)) {
      if (EXPECTED[route] === 'public' || allowed.has(route)) continue;
      const res = await call(cookie, route);
      expect(res.statusCode, route).toBe(403);
      expect(res.json().error.message, route).toBe('请先输入动态验证码完成登录');
    }
  }, 120_000);
});
