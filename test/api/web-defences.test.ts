import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { BROWSER_HEADERS, startApi, type ApiHarness } from '../support/api';
import { buildServer } from '../../src/server/app';

const training = { title: '宪法学习', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 };
const EVIL = 'https://evil.example';

describe.each(testDialects())('web defences on %s', (dialect) => {
  let h: ApiHarness;
  let sfs: string, office: string, officeB: string, admin: string;
  let sfsDept: number, townA: number, townB: number;
  const records = async () => Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await startApi(dialect);
    [sfs, office, officeB, admin] = await h.logins('clerk_sfs', 'office', 'office_b', 'admin');
    sfsDept = await h.deptId('town_a', '司法所');
    townA = await h.orgId('town_a');
    townB = await h.orgId('town_b');
  });
  afterAll(async () => h?.close());

  describe('cross-site request forgery', () => {
    it('refuses a create, a delete and an import from a foreign Origin, and nothing is written', async () => {
      const n = await records();
      const rec = (await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training })).json();
      const c = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training }, { origin: EVIL });
      expect(c.statusCode).toBe(403);
      expect(c.json().error.message).toContain('请求来源不可信');
      expect((await h.req(sfs, 'DELETE', `/api/records/training/${rec.id}`, undefined, { origin: EVIL })).statusCode).toBe(403);
      const line = JSON.stringify({ kind: 'training', dept: '司法所', ...training });
      expect((await h.req(office, 'POST', `/api/import?orgId=${townA}`, line, { origin: EVIL, 'content-type': 'application/x-ndjson' })).statusCode).toBe(403);
      // A foreign Referer (no Origin) is as foreign; a login from another site too.
      expect((await h.req(sfs, 'PUT', `/api/records/training/${rec.id}`, { version: 1, data: { attendees: 1 } }, { origin: '', referer: `${EVIL}/page` })).statusCode).toBe(403);
      expect((await h.req(null, 'POST', '/api/auth/login', { username: 'admin', password: 'test1234!' }, { origin: EVIL })).statusCode).toBe(403);
      expect(await records()).toBe(n + 1);
      expect((await h.req(sfs, 'GET', `/api/records/training/${rec.id}`)).json()).toMatchObject({ version: 1, deletedAt: null });
    });

    it('refuses a request with neither Origin nor Referer, or without the custom header', async () => {
      const n = await records();
      expect((await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training }, { origin: '' })).statusCode).toBe(403);
      const noHeader = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training }, { 'x-fazhi-request': '' });
      expect(noHeader.statusCode).toBe(403);
      expect(noHeader.json().error.message).toContain('x-fazhi-request');
      expect(await records()).toBe(n);
      // The page's own Referer stands in for a missing Origin.
      const viaReferer = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training }, { origin: '', referer: 'http://localhost/ledgers/training' });
      expect(viaReferer.statusCode).toBe(201);
      // Reads need neither.
      expect((await h.req(sfs, 'GET', '/api/records/training', undefined, { origin: '', 'x-fazhi-request': '' })).statusCode).toBe(200);
    });

    it('audits the refused attempt with who and what, without the query', async () => {
      await h.req(sfs, 'DELETE', `/api/records/training/1?secret=张三`, undefined, { origin: EVIL });
      const e = await h.storage.db.selectFrom('audit_log').selectAll().where('action', '=', 'denied').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(e).toMatchObject({ username: 'clerk_sfs', entity: 'request', entity_id: 'DELETE /api/records/training/1' });
      expect(JSON.stringify(e)).not.toContain('张三');
    });

    it('accepts imports only as their real content types, never text/plain', async () => {
      const n = await records();
      const line = JSON.stringify({ kind: 'training', dept: '司法所', ...training });
      const plain = await h.req(office, 'POST', `/api/import?orgId=${townA}`, line, { 'content-type': 'text/plain' });
      expect(plain.statusCode).toBe(415);
      expect(plain.json().error.message).toMatch(/不支持的请求内容类型/);
      expect((await h.req(sfs, 'POST', '/api/records/training', JSON.stringify({ deptId: sfsDept, data: training }), { 'content-type': 'text/plain' })).statusCode).toBe(415);
      expect((await h.req(admin, 'POST', '/api/calendar/import', '[]', { 'content-type': 'text/plain' })).statusCode).toBe(415);
      expect(await records()).toBe(n);
      expect((await h.req(office, 'POST', `/api/import?orgId=${townA}`, line, { 'content-type': 'application/x-ndjson' })).statusCode).toBe(200);
    });
  });

  describe('headers, errors and limits', () => {
    it('sends a CSP without inline script, no framing, nosniff and a Referrer-Policy; HSTS only over TLS', async () => {
      const r = await h.req(null, 'GET', '/api/health');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('same-origin');
      expect(r.headers['strict-transport-security']).toBeUndefined();
      const behindTls = await buildServer(h.ctx, { webDir: '/nonexistent', trustProxy: true });
      try {
        const s = await behindTls.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
        expect(s.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      } finally {
        await behindTls.close();
      }
    });

    it('answers every error as JSON with a Chinese message and the request id that is in the log', async () => {
      const lines: string[] = [];
      const stream = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
      const logged = await buildServer(h.ctx, { webDir: '/nonexistent', logger: { level: 'info', stream } });
      try {
        const answers = [
          await logged.inject({ method: 'GET', url: '/api/records/training' }), // 401
          await logged.inject({ method: 'GET', url: '/api/nope', headers: { cookie: office } }), // 404
          await logged.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: EVIL, 'x-fazhi-request': '1' }, payload: {} }), // 403
          await logged.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, payload: { username: 1 } }), // 400
        ];
        for (const r of answers) {
          const body = r.json();
          expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
          expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
          expect(r.headers['x-request-id']).toBe(body.error.requestId);
          expect(lines.some((l) => l.includes(body.error.requestId)), body.error.requestId).toBe(true);
        }
        expect(answers.map((r) => r.statusCode)).toEqual([401, 404, 403, 400]);
      } finally {
        await logged.close();
      }
    });

    it('refuses an oversize body with 413 and a Chinese message', async () => {
      const big = { deptId: sfsDept, data: { ...training, title: '长'.repeat(1024 * 1024) } };
      const r = await h.req(sfs, 'POST', '/api/records/training', big);
      expect(r.statusCode).toBe(413);
      expect(r.json().error.message).toContain('过大');
    });

    it('limits logins per address and heavy requests per user, shared by instances through the database, with a Chinese 429', async () => {
      process.env.FAZHI_RATE_LIMIT_LOGIN = '3';
      process.env.FAZHI_RATE_LIMIT_HEAVY = '2';
      const a = await buildServer(h.ctx, { webDir: '/nonexistent' });
      const b = await buildServer(h.ctx, { webDir: '/nonexistent' });
      try {
        const login = (s: typeof a) =>
          s.inject({ method: 'POST', url: '/api/auth/login', headers: { ...BROWSER_HEADERS, 'x-forwarded-for': '10.9.9.9' }, remoteAddress: '192.0.2.7', payload: { username: 'nobody', password: 'x' } });
        expect((await login(a)).statusCode).toBe(401);
        expect((await login(b)).statusCode).toBe(401);
        expect((await login(a)).statusCode).toBe(401);
        const limited = await login(b);
        expect(limited.statusCode).toBe(429);
        expect(limited.json().error.message).toMatch(/请求过于频繁.*每分钟最多3次/);
        expect(limited.json().error.requestId).toBeTruthy();
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        // Another address is not affected.
        expect((await a.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, remoteAddress: '192.0.2.8', payload: { username: 'nobody', password: 'x' } })).statusCode).toBe(401);
        const leader = await h.login('leader');
        const exp = (s: typeof a) => s.inject({ method: 'GET', url: `/api/export?orgId=${townA}&kind=training`, headers: { cookie: leader } });
        expect((await exp(a)).statusCode).toBe(200);
        expect((await exp(b)).statusCode).toBe(200);
        expect((await exp(a)).statusCode).toBe(429);
        // Per user: another user's exports still go through.
        expect((await b.inject({ method: 'GET', url: `/api/export?orgId=${townA}&kind=training`, headers: { cookie: await h.login('clerk_zf') } })).statusCode).toBe(200);
      } finally {
        delete process.env.FAZHI_RATE_LIMIT_LOGIN;
        delete process.env.FAZHI_RATE_LIMIT_HEAVY;
        await a.close();
        await b.close();
      }
    });
  });

  describe('input', () => {
    it('lets a town’s 法治办 read only its own deadline settings', async () => {
      expect((await h.req(office, 'GET', `/api/deadline-settings?orgId=${townA}`)).statusCode).toBe(200);
      const other = await h.req(office, 'GET', `/api/deadline-settings?orgId=${townB}`);
      expect(other.statusCode).toBe(403);
      expect(other.json().error.message).toContain('期限设置');
      expect((await h.req(officeB, 'GET', `/api/deadline-settings?orgId=${townA}`)).statusCode).toBe(403);
      expect((await h.req(admin, 'GET', `/api/deadline-settings?orgId=${townB}`)).statusCode).toBe(200);
    });

    it('refuses dates outside 1949-10-01…2100-12-31 and amounts of 10^12 or more, naming the field', async () => {
      const n = await records();
      const early = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, heldOn: '1899-12-31' } });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.message).toBe('日期：日期应在1949-10-01至2100-12-31之间');
      expect((await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, heldOn: '2101-01-01' } })).statusCode).toBe(400);
      const many = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, attendees: 1e20 } });
      expect(many.statusCode).toBe(400);
      expect(many.json().error.message).toContain('参训人次');
      const zfDept = await h.deptId('town_a', '综合行政执法队');
      const fine = await h.req(office, 'POST', '/api/records/enforcement_case', { deptId: zfDept, data: { amount: 1e12 } });
      expect(fine.statusCode).toBe(400);
      expect(fine.json().error.fields.map((f: { message: string }) => f.message)).toContain('罚没金额：金额应小于10¹²元（一万亿元）');
      expect(await records()).toBe(n);
      expect((await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, heldOn: '1949-10-01' } })).statusCode).toBe(201);
    });

    it('refuses lone surrogates with a message naming the field, the same on both databases', async () => {
      const n = await records();
      const r = await h.req(sfs, 'POST', '/api/records/training', `{"deptId":${sfsDept},"data":{"title":"学习\\ud800","heldOn":"2023-03-14","trainingType":"执法人员培训","attendees":3}}`, { 'content-type': 'application/json' });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toBe('主题：含有无效的字符（不成对的代理字符），请删除后重新输入');
      const org = await h.req(admin, 'POST', '/api/orgs/' + townA + '/depts', '{"name":"部门\\udc00"}', { 'content-type': 'application/json' });
      expect(org.statusCode).toBe(400);
      expect(org.json().error.message).toContain('name：含有无效的字符');
      const line = '{"kind":"training","dept":"司法所","title":"\\ud83d","heldOn":"2023-03-14","trainingType":"执法人员培训","attendees":3}';
      const imp = await h.req(office, 'POST', `/api/import?orgId=${townA}`, line, { 'content-type': 'application/x-ndjson' });
      expect(imp.statusCode).toBe(400);
      expect(imp.json().error.message).toContain('主题：含有无效的字符');
      expect(await records()).toBe(n);
      // A proper pair (an emoji) is a character like any other.
      expect((await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, title: '学习😀' } })).statusCode).toBe(201);
    });

    it('strips bidirectional controls and path parts from attachment names', async () => {
      const rec = (await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training })).json();
      const up = await h.req(sfs, 'POST', `/api/records/training/${rec.id}/attachments?filename=${encodeURIComponent('../发票\u202Efdp.exe')}`, 'x', { 'content-type': 'application/octet-stream' });
      expect(up.statusCode).toBe(201);
      expect(up.json().filename).toBe('.._发票fdp.exe');
    });

    it('treats SQL metacharacters and __proto__ in every filter and sort of every kind as data', { timeout: 180_000 }, async () => {
      const n = await records();
      const nasty = ["' OR 1=1 --", '__proto__'].map(encodeURIComponent);
      const urls: string[] = [];
      for (const def of await h.ctx.registry.all()) {
        for (const f of def.fields) {
          for (const e of nasty) urls.push(`/api/records/${def.kind}?f.${f.key}=${e}`, `/api/records/${def.kind}?f.${f.key}.contains=${e}`);
          urls.push(`/api/records/${def.kind}?sort=${f.key}&order=asc&f.${f.key}.from=${nasty[0]}`);
        }
        for (const q of ['sort=__proto__', 'f.__proto__=1', 'f.__proto__.contains=x', 'f.constructor.prototype=1', `sort=${encodeURIComponent('title; drop table records')}`]) {
          const r = await h.req(admin, 'GET', `/api/records/${def.kind}?${q}`);
          expect(r.statusCode, `${def.kind} ${q}`).toBe(400);
        }
      }
      // Some at a time: the answers, not the speed, are under test.
      for (let i = 0; i < urls.length; i += 16) {
        const batch = urls.slice(i, i + 16);
        const rs = await Promise.all(batch.map((u) => h.req(admin, 'GET', u)));
        rs.forEach((r, j) => {
          expect([200, 400], `${batch[j]}: ${r.body.slice(0, 200)}`).toContain(r.statusCode);
          if (r.statusCode === 400) expect(r.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
        });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await records()).toBe(n);
    });

    it('renders HTML and script in text fields escaped in the report documents', async () => {
      const rep = await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 });
      expect(rep.statusCode).toBe(201);
      const id = rep.json().id;
      const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      expect((await h.req(office, 'PUT', `/api/reports/${id}/paragraphs/shortcomings`, { source: `问题：${evil}` })).statusCode).toBe(200);
      const html = await h.req(office, 'GET', `/api/reports/${id}/export?format=html`);
      expect(html.statusCode).toBe(200);
      expect(html.body).not.toContain('<script>alert(1)');
      expect(html.body).not.toContain('<img src=x');
      expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
});
