import { maskName } from '../../src/core/access/policy';
/**
 * Personal data at rest (GB/T 39786, GB/T 22239 数据保密性): personal fields, their audit values
 * and attachments are never in the database in clear; every read path still sees plaintext;
 * equality filters work through the blind index; rotation re-encrypts everything; a missing or
 * wrong key refuses the start before anything is written.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { PASSWORD, startApi, TEST_ORGS, TEST_USERS, type ApiHarness, BROWSER_HEADERS } from '../support/api';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { systemActor } from '../../src/app/context';
import { exportLines, importLines } from '../../src/app/exchange';
import { activeCipher, useDataCipher } from '../../src/app/crypto/active-key';
import { createDataCipher, DataKeyError, type DataCipher } from '../../src/app/crypto/data-cipher';
import { resealAll } from '../../src/app/crypto/reseal';
import { openText, totpAad } from '../../src/app/crypto/sealed-text';
import { openData } from '../../src/app/crypto/pii-codec';
import { ensureDataKey, resolveDataKey, storedKeyCheck, KEY_FILE } from '../../src/app/crypto/data-key';
import { buildServer } from '../../src/server/app';
import { startServer } from '../../src/server/start';
import { openStorage } from '../../src/db/connect';
import { migrate } from '../../src/db/migrations';
import type { DB } from '../../src/db/schema';

const NAME = '欧阳秘名甲';
const NAME2 = '司马秘名乙';
const APPLICANT = '诸葛秘名丙';
const SUBJECT = '反映楼道照明公开字样';
const FILE_TEXT = `身份证复印件：${NAME}`;
/** Attachment names can name a person: sealed too. */
const FILE_NAME = `${NAME}身份证.txt`;

const TABLES: (keyof DB)[] = ['records', 'audit_log', 'attachments', 'notifications', 'settings', 'reports', 'sessions', 'users'];

/** Every byte the database holds, as one buffer to search (the file image on SQLite, every row's text on PostgreSQL). */
async function rawBytes(h: ApiHarness): Promise<Buffer> {
  if (h.storage.sqlite) {
    h.storage.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return h.storage.sqlite.serialize();
  }
  const parts: Buffer[] = [];
  for (const t of TABLES) {
    const rows = await sql<{ t: string }>`select ${sql.ref(t)}::text as t from ${sql.table(t)}`.execute(h.storage.db);
    for (const r of rows.rows) parts.push(Buffer.from(r.t, 'utf8'));
  }
  // bytea shows as hex in a row's text: search the attachment bytes in that form too.
  const att = await h.storage.db.selectFrom('attachments').select('content').execute();
  for (const a of att) parts.push(Buffer.from(a.content));
  return Buffer.concat(parts);
}

describe.each(testDialects())('personal data encrypted at rest (%s)', (dialect) => {
  let h: ApiHarness;
  let office = '';
  let leader = '';
  let id = 0;
  let attachmentId = 0;
  let totpSecret = '';
  let reportId = 0;
  const original = activeCipher();
  beforeAll(async () => {
    h = await startApi(dialect);
    [office, leader] = await h.logins('office', 'leader');
    const deptId = await h.deptId('town_a', '司法所');
    const r = await h.req(office, 'POST', '/api/records/petition', { deptId, data: { registeredOn: '2024-03-01', channel: '来访', petitioner: NAME, subject: SUBJECT } });
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    const u = await h.req(office, 'PUT', `/api/records/petition/${id}`, { version: 1, data: { petitioner: NAME2 } });
    expect(u.statusCode, u.body).toBe(200);
    const t = await h.req(office, 'POST', `/api/records/petition/${id}/transitions/accept`, { data: { acceptedOn: '2024-03-05' } });
    expect(t.statusCode, t.body).toBe(200);
    await importLines(h.ctx, systemActor(), 'town_a', [
      { line: 1, value: { kind: 'disclosure_request', dept: '党政办公室', applicant: APPLICANT, applicantType: '自然人', receivedOn: '2024-04-01', content: '申请公开道路规划' } },
    ]);
    const a = await h.req(office, 'POST', `/api/records/petition/${id}/attachments?filename=${encodeURIComponent(FILE_NAME)}`, FILE_TEXT, { 'content-type': 'text/plain' });
    expect(a.statusCode, a.body).toBe(201);
    attachmentId = a.json().id;
    // A 定稿 report freezes the records behind its figures (the petition among them), by a second person.
    const rep = await h.req(office, 'POST', '/api/reports', { orgId: await h.orgId('town_a'), year: 2024 });
    expect(rep.statusCode, rep.body).toBe(201);
    reportId = rep.json().id;
    expect((await h.req(office, 'POST', `/api/reports/${reportId}/state`, { to: '审核' })).statusCode).toBe(200);
    const fin = await h.req(await h.login('admin'), 'POST', `/api/reports/${reportId}/state`, { to: '定稿' });
    expect(fin.statusCode, fin.body).toBe(200);
    // The 安全管理员 binds a second factor at its first login (the harness goes through the API).
    await h.login('security');
    const sec = await h.storage.db.selectFrom('users').select(['id', 'totp_secret']).where('username', '=', 'security').executeTakeFirstOrThrow();
    totpSecret = openText(sec.totp_secret!, totpAad(sec.id));
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
  });
  afterAll(async () => {
    useDataCipher(original);
    await h?.close();
  });

  it('holds no personal value and no attachment text in clear anywhere in the database', async () => {
    const raw = await rawBytes(h);
    expect(raw.includes(Buffer.from(SUBJECT))).toBe(true); // the scan sees plain fields
    for (const secret of [NAME, NAME2, APPLICANT, FILE_TEXT, FILE_NAME, totpSecret]) {
      expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(secret).toString('hex'))), `${secret} (hex)`).toBe(false);
    }
    const row = await h.storage.db.selectFrom('attachments').select(['sealed', 'size']).where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(row).toEqual({ sealed: 1, size: Buffer.byteLength(FILE_TEXT) });
    // The 定稿's frozen petition is in its snapshot, sealed (the scan above covers the reports table).
    const snap = (await h.storage.db.selectFrom('reports').select('snapshot').where('id', '=', reportId).executeTakeFirstOrThrow()).snapshot!;
    expect(snap).toContain(`"${id}":`);
    expect(snap).toContain('"$pii"');
    // A sealed name is bound to its record: copied onto another record's attachment it does not open.
    const stored = (await h.storage.db.selectFrom('attachments').select('filename').where('id', '=', attachmentId).executeTakeFirstOrThrow()).filename;
    expect(stored.startsWith('enc1:')).toBe(true);
    expect(() => openText(stored, `attachment-name:${id + 1}`)).toThrow(DataKeyError);
  });

  it('shows the attachment name to those allowed, masked to the others and in the audit log', async () => {
    const list = async (c: string) => (await h.req(c, 'GET', `/api/records/petition/${id}/attachments`)).json().items.map((x: { filename: string }) => x.filename);
    expect(await list(office)).toEqual([FILE_NAME]);
    expect(await list(leader)).toEqual(['欧******.txt']);
    const d = await h.req(office, 'GET', `/api/attachments/${attachmentId}`);
    expect(d.headers['content-disposition']).toContain(encodeURIComponent(FILE_NAME));
    const entries = await h.storage.db.selectFrom('audit_log').select(['after', 'detail']).where('action', 'in', ['attach', 'download']).execute();
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(entries)).not.toContain(NAME);
    expect(JSON.stringify(entries)).toContain('欧******.txt');
  });

  it('shows plaintext to roles that may see it and masks it for the others', async () => {
    expect((await h.req(office, 'GET', `/api/records/petition/${id}`)).json().data.petitioner).toBe(NAME2);
    const masked = (await h.req(leader, 'GET', `/api/records/petition/${id}`)).json().data.petitioner as string;
    expect(masked).not.toBe(NAME2);
    expect(masked.startsWith('司')).toBe(true);
    const hist = (await h.req(office, 'GET', `/api/records/petition/${id}/history`)).json().items as { action: string; before: { data: Record<string, unknown> } | null; after: { data: Record<string, unknown> } | null }[];
    const upd = hist.find((e) => e.action === 'update')!;
    // Audit entries keep personal values masked for everyone (app/audit.ts): the append-only hash chain
    // cannot hold values a key rotation would have to rewrite.
    expect([upd.before!.data.petitioner, upd.after!.data.petitioner]).toEqual([maskName(NAME), maskName(NAME2)]);
    expect(hist.find((e) => e.action === 'transition')!.after!.data.petitioner).toBe(maskName(NAME2));
    const lines: Record<string, unknown>[] = [];
    for await (const l of exportLines(h.ctx, systemActor(), { orgCode: 'town_a' })) lines.push(l);
    expect(lines.map((l) => l.petitioner ?? l.applicant).filter(Boolean).sort()).toEqual([APPLICANT, NAME2].sort());
  });

  it('filters personal fields by exact value through the blind index, and refuses partial matches and sorting', async () => {
    const list = async (q: string) => h.req(office, 'GET', `/api/records/petition?${q}`);
    expect((await list(`f.petitioner=${encodeURIComponent(NAME2)}`)).json().items.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await list(`f.petitioner=${encodeURIComponent(NAME)}`)).json().items).toEqual([]); // the old name is gone from the index
    expect((await list(`f.petitioner=${encodeURIComponent(`${NAME},${NAME2}`)}`)).json().total).toBe(1);
    const dr = await h.req(office, 'GET', `/api/records/disclosure_request?f.applicant=${encodeURIComponent(APPLICANT)}`);
    expect(dr.json().total).toBe(1); // imported records are indexed too
    const part = await list(`f.petitioner.contains=${encodeURIComponent('司马')}`);
    expect(part.statusCode).toBe(400);
    expect(part.json().error.message).toContain('只能按完整值精确筛选');
    expect((await list('sort=petitioner')).statusCode).toBe(400);
  });

  it('gives the attachment back to a role that sees personal data, and refuses its bytes to a masked role', async () => {
    const r = await h.req(office, 'GET', `/api/attachments/${attachmentId}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(FILE_TEXT);
    const l = await h.req(leader, 'GET', `/api/attachments/${attachmentId}`);
    expect(l.statusCode).toBe(403);
    expect(l.body).not.toContain(NAME);
  });

  it('sets the session cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const app = await buildServer(h.ctx, { webDir: '/nonexistent', trustProxy: true });
    try {
      const login = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'office', password: 'test1234!' }, headers: { ...BROWSER_HEADERS, ...headers } });
      expect(String((await login({ 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(/;\s*Secure/i);
      expect(String((await login({})).headers['set-cookie'])).not.toMatch(/Secure/i);
    } finally {
      await app.close();
    }
  });

  it('writes no personal filter value and no password into the request log', async () => {
    const lines: string[] = [];
    const app = await buildServer(h.ctx, { webDir: '/nonexistent', logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, payload: { username: 'office', password: 'test1234!' } });
      const cookie = `fazhi_sid=${login.cookies.find((c) => c.name === 'fazhi_sid')!.value}`;
      const r = await app.inject({ method: 'GET', url: `/api/records/petition?page=1&f.petitioner=${encodeURIComponent(NAME2)}`, headers: { cookie } });
      expect(r.json().total).toBe(1);
      await app.inject({ method: 'POST', url: '/api/auth/login', headers: BROWSER_HEADERS, payload: { username: 'office', password: 'wrong-Passw0rd' } });
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(log).toContain('f.petitioner=***');
    for (const secret of [NAME2, encodeURIComponent(NAME2), 'test1234!', 'wrong-Passw0rd']) expect(log).not.toContain(secret);
  });

  it('rotates the key: everything re-encrypted, the old key opens nothing, reads and filters still work', async () => {
    const old = activeCipher();
    const next: DataCipher = createDataCipher(crypto.randomBytes(32));
    const n = await resealAll(h.storage, old, next);
    expect(n).toMatchObject({ records: 2, attachments: 1, secrets: 2, reports: 1 }); // secrets: the 系统管理员 and the 安全管理员
    expect(n.auditEntries).toBe(0); // audit entries hold personal values masked, never sealed: nothing to rewrite
    useDataCipher(next);
    expect((await h.req(office, 'GET', `/api/records/petition/${id}`)).json().data.petitioner).toBe(NAME2);
    expect((await h.req(office, 'GET', `/api/records/petition?f.petitioner=${encodeURIComponent(NAME2)}`)).json().total).toBe(1);
    expect((await h.req(office, 'GET', `/api/attachments/${attachmentId}`)).body).toBe(FILE_TEXT);
    expect((await h.req(office, 'GET', `/api/records/petition/${id}/attachments`)).json().items[0].filename).toBe(FILE_NAME);
    const frozen = await h.req(office, 'GET', `/api/reports/${reportId}/figures/petition.count/records`);
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json().items.map((r: { data: { petitioner: string } }) => r.data.petitioner)).toContain(NAME2);
    // The second factor still works under the new key (the harness reads the secret through it).
    expect((await h.req(await h.login('security'), 'GET', '/api/auth/me')).json().user.username).toBe('security');
    const u = await h.storage.db.selectFrom('users').select(['id', 'totp_secret']).where('username', '=', 'security').executeTakeFirstOrThrow();
    expect(openText(u.totp_secret!, totpAad(u.id), next)).toBe(totpSecret);
    expect(() => openText(u.totp_secret!, totpAad(u.id), old)).toThrow(DataKeyError);
    const hist = (await h.req(office, 'GET', `/api/records/petition/${id}/history`)).json().items as { action: string; after: { data: Record<string, unknown> } | null }[];
    expect(hist.find((e) => e.action === 'update')!.after!.data.petitioner).toBe(maskName(NAME2));
    useDataCipher(old);
    expect((await h.req(office, 'GET', `/api/records/petition/${id}`)).statusCode).toBe(500); // the old key cannot open it
    useDataCipher(next);
    expect((await storedKeyCheck(h.storage))!.check).toBe(next.checkValue);
  });

  it('refuses to start with a wrong or a missing key, and writes nothing', async () => {
    const before = await h.storage.db.selectFrom('settings').selectAll().execute();
    const env = process.env.FAZHI_DATA_KEY;
    try {
      process.env.FAZHI_DATA_KEY = crypto.randomBytes(32).toString('hex');
      await expect(resolveDataKey(h.storage)).rejects.toThrow(/数据密钥不正确/);
      delete process.env.FAZHI_DATA_KEY;
      await expect(ensureDataKey(h.storage)).rejects.toThrow(/未提供数据密钥/);
      process.env.FAZHI_DATA_KEY = 'not-a-key';
      await expect(resolveDataKey(h.storage)).rejects.toThrow(DataKeyError);
    } finally {
      if (env === undefined) delete process.env.FAZHI_DATA_KEY;
      else process.env.FAZHI_DATA_KEY = env;
    }
    expect(await h.storage.db.selectFrom('settings').selectAll().execute()).toEqual(before);
  });
});

describe('the embedded default (SQLite data folder)', () => {
  const original = activeCipher();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-key-'));
  afterAll(() => {
    useDataCipher(original);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates a 0600 key file on first start, says so, and refuses a wrong, missing or readable key', async () => {
    const s = await startServer({ port: 0, dataDir: dir });
    expect(s.notices.join('\n')).toContain(KEY_FILE);
    await s.close();
    const file = path.join(dir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const env = process.env.FAZHI_DATA_KEY;
    try {
      process.env.FAZHI_DATA_KEY = crypto.randomBytes(32).toString('hex');
      await expect(startServer({ port: 0, dataDir: dir })).rejects.toThrow(/数据密钥不正确.*拒绝启动/);
    } finally {
      if (env === undefined) delete process.env.FAZHI_DATA_KEY;
      else process.env.FAZHI_DATA_KEY = env;
    }
    fs.chmodSync(file, 0o644);
    await expect(startServer({ port: 0, dataDir: dir })).rejects.toThrow(/权限过宽/);
    fs.chmodSync(file, 0o600);
    const saved = fs.readFileSync(file);
    fs.rmSync(file);
    await expect(startServer({ port: 0, dataDir: dir })).rejects.toThrow(/未提供数据密钥/);
    expect(fs.existsSync(file)).toBe(false); // no new key over encrypted data
    fs.writeFileSync(file, saved, { mode: 0o600 });
    const again = await startServer({ port: 0, dataDir: dir });
    expect(again.notices).toEqual([]);
    await again.close();
  });

  it('serves HTTPS from FAZHI_TLS_CERT / FAZHI_TLS_KEY, with the Secure cookie', async () => {
    const tls = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-tls-'));
    const cert = path.join(tls, 'cert.pem');
    const key = path.join(tls, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    process.env.FAZHI_TLS_CERT = cert;
    process.env.FAZHI_TLS_KEY = key;
    try {
      const s = await startServer({ port: 0, dataDir: dir, seedDemo: false });
      try {
        await seedOrgsAndUsers(s.ctx, TEST_ORGS, TEST_USERS);
        expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const res = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
          const rq = https.request(`${s.url}/api/auth/login`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', origin: s.url, 'x-fazhi-request': '1' } }, (r) => {
            r.resume();
            r.on('end', () => resolve({ status: r.statusCode ?? 0, cookie: String(r.headers['set-cookie'] ?? '') }));
          });
          rq.on('error', reject);
          rq.end(JSON.stringify({ username: 'office', password: PASSWORD }));
        });
        expect(res.status).toBe(200);
        expect(res.cookie).toMatch(/fazhi_sid=.*;\s*Secure/i);
      } finally {
        await s.close();
      }
    } finally {
      delete process.env.FAZHI_TLS_CERT;
      delete process.env.FAZHI_TLS_KEY;
      fs.rmSync(tls, { recursive: true, force: true });
    }
  });

  it('seals the TOTP secrets, attachment names and 定稿 records frozen in clear before migration 0120 at the next start', async () => {
    const older = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-0120-'));
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const fileName = `${NAME2}的信访信.txt`;
    try {
      const st = openStorage({ dataDir: older, databaseUrl: '' });
      // The migration just before 0120: the release these secrets were written by.
      await migrate(st.db, st.dialect, { upTo: '0110_api_tokens' });
      await ensureDataKey(st); // an encrypted database of the previous release
      const org = await st.db.insertInto('org_units').values({ code: 'x', name: '某镇', level: '镇', parent_id: null, path: '/1/' }).returning('id').executeTakeFirstOrThrow();
      const dept = await st.db.insertInto('departments').values({ org_id: org.id, name: '信访办' }).returning('id').executeTakeFirstOrThrow();
      const at = new Date().toISOString();
      const user = await st.db
        .insertInto('users')
        .values({ username: 'sec', display_name: '安全员', password_hash: 'x', role: 'security', org_id: org.id, dept_id: null, created_at: at, totp_secret: secret, totp_enabled: 1 } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      const rec = await st.db
        .insertInto('records')
        .values({ kind: 'work_event', org_id: org.id, dept_id: dept.id, occurred_on: '2024-01-02', status: null, due_on: null, closed_on: null, deadline_state: null, deadline_rule: null, data: JSON.stringify({ title: SUBJECT }), pii_index: null, clock: null, version: 1, deleted_at: null, created_by: null, created_at: at, updated_by: null, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await st.db.insertInto('attachments').values({ record_id: rec.id, filename: fileName, mime: 'text/plain', size: 3, sha256: 'x', content: activeCipher().seal(Buffer.from('abc'), `attachment:${rec.id}`), sealed: 1, created_at: at, created_by: null }).execute();
      // A 定稿 of the previous release froze its records with personal values in clear.
      const frozenName = `${NAME}（定稿）`;
      const snapshot = JSON.stringify({ frozenAt: at, records: { 'petition.count': [9] }, rows: { '9': { id: 9, kind: 'petition', data: { registeredOn: '2024-01-02', petitioner: frozenName, subject: SUBJECT } } } });
      await st.db.insertInto('reports').values({ org_id: org.id, year: 2024, version: 1, state: '定稿', title: '报告', template: '{}', snapshot, settings: null, submitted_by: null, created_at: at, created_by: null, updated_at: at, updated_by: null } as never).execute();
      expect(await migrate(st.db, st.dialect)).toContain('0120_sealed_secrets');
      const notices: string[] = [];
      await ensureDataKey(st, (m) => notices.push(m));
      expect(notices.join()).toContain('动态验证码密钥1个、附件文件名1个、定稿报告中的记录1份');
      st.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const raw = st.sqlite!.serialize();
      expect(raw.includes(Buffer.from(secret))).toBe(false);
      expect(raw.includes(Buffer.from(fileName))).toBe(false);
      expect(raw.includes(Buffer.from(frozenName))).toBe(false);
      const rep = JSON.parse((await st.db.selectFrom('reports').select('snapshot').executeTakeFirstOrThrow()).snapshot!) as { rows: Record<string, { data: Record<string, unknown> }> };
      expect(openData(rep.rows['9']!.data).petitioner).toBe(frozenName);
      const u = await st.db.selectFrom('users').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(openText(u.totp_secret!, totpAad(user.id))).toBe(secret);
      const a = await st.db.selectFrom('attachments').select('filename').executeTakeFirstOrThrow();
      expect(openText(a.filename, `attachment-name:${rec.id}`)).toBe(fileName);
      expect(await st.db.selectFrom('settings').select('key').where('key', '=', 'seal_texts_pending').executeTakeFirst()).toBeUndefined();
      // Once done, a later start has nothing left to seal.
      const again: string[] = [];
      await ensureDataKey(st, (m) => again.push(m));
      expect(again).toEqual([]);
      await st.close();
    } finally {
      useDataCipher(original);
      fs.rmSync(older, { recursive: true, force: true });
    }
  });

  it('seals the plaintext personal data of a database from before encryption on its first start with a key', async () => {
    const legacy = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-legacy-'));
    try {
      const st = openStorage({ dataDir: legacy, databaseUrl: '' });
      await migrate(st.db, st.dialect);
      const org = await st.db.insertInto('org_units').values({ code: 'x', name: '某镇', level: '镇', parent_id: null, path: '/1/' }).returning('id').executeTakeFirstOrThrow();
      const dept = await st.db.insertInto('departments').values({ org_id: org.id, name: '信访办' }).returning('id').executeTakeFirstOrThrow();
      const at = new Date().toISOString();
      const rec = await st.db
        .insertInto('records')
        .values({ kind: 'petition', org_id: org.id, dept_id: dept.id, occurred_on: '2024-01-02', status: '登记', due_on: null, closed_on: null, deadline_state: null, deadline_rule: null, data: JSON.stringify({ registeredOn: '2024-01-02', channel: '来信', petitioner: NAME, subject: SUBJECT }), pii_index: null, clock: null, version: 1, deleted_at: null, created_by: null, created_at: at, updated_by: null, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await st.db.insertInto('attachments').values({ record_id: rec.id, filename: 'a.txt', mime: 'text/plain', size: 3, sha256: 'x', content: Buffer.from(FILE_TEXT), created_at: at, created_by: null }).execute();
      const k = await ensureDataKey(st);
      expect(k.firstUse).toBe(true);
      st.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const raw = st.sqlite!.serialize();
      expect(raw.includes(Buffer.from(NAME))).toBe(false);
      expect(raw.includes(Buffer.from(FILE_TEXT))).toBe(false);
      expect(raw.includes(Buffer.from(SUBJECT))).toBe(true);
      await st.close();
    } finally {
      fs.rmSync(legacy, { recursive: true, force: true });
    }
  });
});
