/**
 * API tokens for service accounts (issue 13): issued by the 系统管理员 with a role, a data scope and an
 * expiry, shown once and stored hashed; `Authorization: Bearer` without cookie or CSRF headers; the same
 * route rules and data scope as a person of that role; every use audited; rate limited in the database;
 * revocable; never an administrator role. On SQLite and PostgreSQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

describe.each(testDialects())('API tokens on %s', (dialect) => {
  let h: ApiHarness;
  let clock = new Date('2026-03-02T02:00:00.000Z');
  let admin: string;
  let office: string;
  let sfs: number;
  let townA: number;
  /** A request as another system sends it: the bearer only, no cookie, no Origin, no CSRF header. */
  const bearer = (token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
  const issue = async (body: Record<string, unknown>) => h.req(admin, 'POST', '/api/tokens', { name: '区法治督察平台', expiresInDays: 30, ...body });

  beforeAll(async () => {
    h = await startApi(dialect, () => clock);
    [admin, office] = await h.logins('admin', 'office');
    townA = await h.orgId('town_a');
    sfs = await h.deptId('town_a', '司法所');
  }, 120_000);
  afterAll(async () => h?.close());
  afterEach(() => {
    delete process.env.FAZHI_RATE_LIMIT_TOKEN;
  });

  it('issues a token once, stores only its hash, and lists it without the secret', async () => {
    const r = await issue({ account: 'svc-list', displayName: '督察平台', role: 'leader', orgId: townA });
    expect(r.statusCode, r.body).toBe(201);
    const { token, item } = r.json();
    expect(token).toMatch(/^fzt_[A-Za-z0-9_-]{43}$/);
    expect(item).toMatchObject({ account: 'svc-list', role: 'leader', roleLabel: '领导', orgId: townA, state: 'active', stateLabel: '有效', prefix: token.slice(0, 12), lastUsedAt: null });
    expect(item.expiresAt).toBe('2026-04-01T02:00:00.000Z');
    const list = await h.req(admin, 'GET', '/api/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    expect(list.json().items.map((t: { id: number }) => t.id)).toContain(item.id);
    // The database holds the SHA-256, never the secret (in any column of the token or the audit log).
    const row = await h.storage.db.selectFrom('api_tokens').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    const audits = await h.storage.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(audits)).not.toContain(token.slice(4));
    expect(audits.some((a) => a.action === 'token_issue' && a.entity_id === String(item.id))).toBe(true);
  });

  it('answers a bearer request without cookie or CSRF headers, as a person of its role within its scope', async () => {
    const { token } = (await issue({ account: 'svc-clerk', role: 'clerk', orgId: townA, deptId: sfs })).json();
    const list = await bearer(token, 'GET', '/api/records/training?year=2026');
    expect(list.statusCode, list.body).toBe(200);
    const me = await bearer(token, 'GET', '/api/auth/me');
    expect(me.json().user ?? me.json()).toMatchObject({ username: 'svc-clerk', role: 'clerk' });
    // A write with neither Origin nor X-Fazhi-Request: the CSRF check is for cookie sessions.
    const created = await bearer(token, 'POST', '/api/records/training', { deptId: sfs, data: { title: '接口推送的培训', heldOn: '2026-02-10', trainingType: '警示教育', attendees: 8 } });
    expect(created.statusCode, created.body).toBe(201);
    const rec = await h.storage.db.selectFrom('records').select(['created_by']).where('id', '=', created.json().id).executeTakeFirstOrThrow();
    const svc = await h.storage.db.selectFrom('users').select(['id', 'service']).where('username', '=', 'svc-clerk').executeTakeFirstOrThrow();
    expect(rec.created_by).toBe(svc.id);
    expect(svc.service).toBe(1);
  });

  it('refuses what a person of that role may not do: other departments, other routes, own-account routes', async () => {
    const { token } = (await issue({ account: 'svc-clerk2', role: 'clerk', orgId: townA, deptId: sfs })).json();
    const other = await h.deptId('town_a', '综合行政执法队');
    const before = Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const foreign = await bearer(token, 'POST', '/api/records/training', { deptId: other, data: { title: '越权', heldOn: '2026-02-10', trainingType: '警示教育', attendees: 1 } });
    expect(foreign.statusCode, foreign.body).toBe(403);
    const after = Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
    const users = await bearer(token, 'GET', '/api/users');
    expect(users.statusCode).toBe(403);
    expect(users.json().error.message).toBe('部门填报员无权使用此功能');
    const audit = await bearer(token, 'GET', '/api/audit');
    expect(audit.statusCode).toBe(403);
    const pw = await bearer(token, 'POST', '/api/auth/password', { oldPassword: 'x', newPassword: 'y' });
    expect(pw.statusCode).toBe(403);
    expect(pw.json().error.message).toContain('API令牌不能用于');
    // Nor can the service account sign in with a password: it is refused like an unknown name.
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'http://localhost', 'x-fazhi-request': '1' }, payload: { username: 'svc-clerk2', password: 'anything1A!' }, remoteAddress: '10.1.2.3' });
    expect(login.statusCode).toBe(401);
  });

  it('never issues a token with an administrator role, and only the 系统管理员 issues them', async () => {
    for (const role of ['admin', 'security', 'auditor']) {
      const r = await issue({ account: `svc-${role}`, role, orgId: townA });
      expect(r.statusCode, role).toBe(400);
      expect(r.json().error.message).toContain('API令牌不能授予');
    }
    const byOffice = await h.req(office, 'POST', '/api/tokens', { account: 'svc-x', role: 'leader', orgId: townA, name: 'x', expiresInDays: 30 });
    expect(byOffice.statusCode).toBe(403);
    expect(byOffice.json().error.message).toBe('只有系统管理员可以管理API令牌');
    expect((await issue({ account: 'svc-days', role: 'leader', orgId: townA, expiresInDays: 400 })).json().error.message).toBe('有效期：必须是1至366天之间的整数');
    // An existing service account keeps its role and scope: a token cannot widen it.
    await issue({ account: 'svc-fixed', role: 'leader', orgId: townA });
    const wider = await issue({ account: 'svc-fixed', role: 'supervisor', orgId: await h.orgId('qu') });
    expect(wider.statusCode).toBe(409);
    // A person's account cannot become a service account.
    expect((await issue({ account: 'office', role: 'office', orgId: townA })).statusCode).toBe(409);
    // Nor can a grant later make a service account an administrator.
    const svc = await h.storage.db.selectFrom('users').select('id').where('username', '=', 'svc-fixed').executeTakeFirstOrThrow();
    const [security] = await h.logins('security');
    const grant = await h.req(security, 'PUT', `/api/users/${svc.id}`, { role: 'auditor' });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().error.message).toContain('服务账号不能授予审计管理员');
  });

  it('refuses a request that carries both a session cookie and a bearer', async () => {
    const { token } = (await issue({ account: 'svc-both', role: 'leader', orgId: townA })).json();
    const r = await h.req(office, 'GET', '/api/records/training', undefined, { authorization: `Bearer ${token}` });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('同时携带会话 Cookie 和 API 令牌');
    // A bogus bearer does not switch off the CSRF check of a cookie session either.
    const w = await h.app.inject({ method: 'POST', url: '/api/records/training', headers: { cookie: office, authorization: 'Bearer nonsense' }, payload: { deptId: sfs, data: {} } });
    expect([400, 403]).toContain(w.statusCode);
    const malformed = await bearer('not-a-token', 'GET', '/api/records/training');
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().error.message).toBe('API令牌格式不正确');
    const unknown = await bearer(`fzt_${'x'.repeat(43)}`, 'GET', '/api/records/training');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe('API令牌无效');
  });

  it('audits every use under the service account with the token id, the path without its query', async () => {
    const { token, item } = (await issue({ account: 'svc-audit', role: 'leader', orgId: townA })).json();
    await bearer(token, 'GET', '/api/records/petition?f.petitioner=张三&page=2');
    await bearer(token, 'GET', '/api/dashboard');
    const svc = await h.storage.db.selectFrom('users').select('id').where('username', '=', 'svc-audit').executeTakeFirstOrThrow();
    const uses = await h.storage.db.selectFrom('audit_log').selectAll().where('action', '=', 'token_use').where('entity_id', '=', String(item.id)).orderBy('id').execute();
    expect(uses.map((u) => u.detail)).toEqual(['GET /api/records/petition', 'GET /api/dashboard']);
    expect(uses.every((u) => u.user_id === svc.id && u.username === 'svc-audit' && u.entity === 'api_token')).toBe(true);
    expect(JSON.stringify(uses)).not.toContain('张三');
    const listed = (await h.req(admin, 'GET', '/api/tokens')).json().items.find((t: { id: number }) => t.id === item.id);
    expect(listed.lastUsedAt).toBe(clock.toISOString());
  });

  it('rate limits each token in the database, with 429 and Retry-After', async () => {
    process.env.FAZHI_RATE_LIMIT_TOKEN = '3';
    const { token } = (await issue({ account: 'svc-rate', role: 'leader', orgId: townA })).json();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await bearer(token, 'GET', '/api/auth/me')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const r = await bearer(token, 'GET', '/api/auth/me');
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(r.json().error.message).toMatch(/^请求过于频繁：每个API令牌每分钟最多3次/);
    const counter = await h.storage.db.selectFrom('rate_limits').select('count').where(sql.ref('key'), 'like', 'token:%').execute();
    expect(counter.length).toBeGreaterThan(0);
  });

  it('stops working when it expires or is revoked, and says which', async () => {
    const a = (await issue({ account: 'svc-exp', role: 'leader', orgId: townA, expiresInDays: 1 })).json();
    const b = (await issue({ account: 'svc-rev', role: 'leader', orgId: townA })).json();
    expect((await bearer(b.token, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const rev = await h.req(admin, 'DELETE', `/api/tokens/${b.item.id}`);
    expect(rev.statusCode, rev.body).toBe(200);
    const after = await bearer(b.token, 'GET', '/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toBe('API令牌已吊销');
    expect((await h.req(admin, 'DELETE', `/api/tokens/${b.item.id}`)).statusCode).toBe(409);
    const saved = clock;
    try {
      clock = new Date(saved.getTime() + 86_400_000);
      const expired = await bearer(a.token, 'GET', '/api/auth/me');
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.message).toBe('API令牌已过期');
    } finally {
      clock = saved;
    }
    const states = Object.fromEntries((await h.req(admin, 'GET', '/api/tokens')).json().items.map((t: { id: number; state: string }) => [t.id, t.state]));
    expect(states[b.item.id]).toBe('revoked');
    expect((await h.storage.db.selectFrom('audit_log').select('id').where('action', '=', 'token_revoke').where('entity_id', '=', String(b.item.id)).execute()).length).toBe(1);
  });
});
