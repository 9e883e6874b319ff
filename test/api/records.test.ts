import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { listRecords } from '../../src/app/records';
import { systemActor } from '../../src/app/context';
import { MIGRATIONS } from '../../src/db/migrations';
import { VERSION } from '../../src/version';

const training = { title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 };

describe.each(testDialects())('records API on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, sfs: string, zf: string, leader: string, admin: string, sup: string, officeB: string;
  let sfsDept: number, zfDept: number, townA: number, townB: number;
  const count = async () => Number((await h.storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await startApi(dialect);
    [office, sfs, zf, leader, admin, sup, officeB] = await h.logins('office', 'clerk_sfs', 'clerk_zf', 'leader', 'admin', 'super', 'office_b');
    sfsDept = await h.deptId('town_a', '司法所');
    zfDept = await h.deptId('town_a', '综合行政执法队');
    townA = await h.orgId('town_a');
    townB = await h.orgId('town_b');
  });
  afterAll(async () => h?.close());

  it('creates, reads, updates with versions, deletes and restores, and keeps the history', async () => {
    const c = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training });
    expect(c.statusCode).toBe(201);
    const rec = c.json();
    expect(rec).toMatchObject({ kind: 'training', orgId: townA, deptId: sfsDept, deptName: '司法所', occurredOn: '2023-03-14', version: 1, data: training });
    const u = await h.req(sfs, 'PUT', `/api/records/training/${rec.id}`, { version: 1, data: { attendees: 30 } });
    expect(u.statusCode).toBe(200);
    expect(u.json()).toMatchObject({ version: 2, data: { ...training, attendees: 30 } });
    const stale = await h.req(office, 'PUT', `/api/records/training/${rec.id}`, { version: 1, data: { attendees: 99 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ version: 2, data: { attendees: 30 } });
    const d = await h.req(sfs, 'DELETE', `/api/records/training/${rec.id}`);
    expect(d.json().deletedAt).not.toBeNull();
    const list = await h.req(sfs, 'GET', '/api/records/training');
    expect(list.json().items.map((r: { id: number }) => r.id)).not.toContain(rec.id);
    const onDeleted = await h.req(sfs, 'PUT', `/api/records/training/${rec.id}`, { version: 3, data: { attendees: 1 } });
    expect(onDeleted.statusCode).toBe(409);
    expect(onDeleted.json().error.message).toContain('已删除');
    expect((await h.req(sfs, 'POST', `/api/records/training/${rec.id}/restore`)).json().deletedAt).toBeNull();
    const hist = (await h.req(sfs, 'GET', `/api/records/training/${rec.id}/history`)).json().items;
    expect(hist.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'delete', 'restore']);
    expect(hist[1].before.data.attendees).toBe(24);
    expect(hist[1].after.data.attendees).toBe(30);
    expect(hist[1].username).toBe('clerk_sfs');
  });

  it('rejects bad input with a Chinese message naming the field and writes nothing', async () => {
    const before = await count();
    const neg = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, attendees: -1 } });
    expect(neg.statusCode).toBe(400);
    expect(neg.json().error.message).toBe('参训人次：必须是不小于0的整数');
    expect(neg.json().error.fields[0]).toMatchObject({ field: 'attendees', label: '参训人次' });
    const cases: [unknown, string][] = [
      [{ ...training, heldOn: '2023-02-30' }, '日期：不是有效日期（YYYY-MM-DD）'],
      [{ ...training, trainingType: '不存在' }, '类型：必须是以下之一'],
      [{ ...training, nope: 1 }, '未知字段：nope'],
      [{ ...training, attendees: '十' }, '参训人次：必须是不小于0的整数'],
    ];
    for (const [data, msg] of cases) {
      const r = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toContain(msg);
    }
    const unknownKind = await h.req(sfs, 'POST', '/api/records/nokind', { deptId: sfsDept, data: training });
    expect(unknownKind.statusCode).toBe(404);
    expect(unknownKind.json().error.message).toBe('台账类型“nokind”不存在');
    const notJson = await h.req(sfs, 'POST', '/api/records/training', '{"deptId":', { 'content-type': 'application/json' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toBe('请求内容不是有效的JSON');
    const xml = await h.req(sfs, 'POST', '/api/records/training', '<a/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    const huge = await h.req(sfs, 'POST', '/api/records/training', JSON.stringify({ deptId: sfsDept, data: { ...training, title: 'x'.repeat(10 * 1024 * 1024) } }), {
      'content-type': 'application/json',
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('请求内容过大');
    expect(await count()).toBe(before);
    // The server keeps serving after all that.
    expect((await h.req(null, 'GET', '/api/health')).statusCode).toBe(200);
  });

  it('stores SQL-looking text as harmless text', async () => {
    const evil = "x'); DROP TABLE records; --";
    const r = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, title: evil } });
    expect(r.statusCode).toBe(201);
    const list = await h.req(sfs, 'GET', `/api/records/training?f.title.contains=${encodeURIComponent("'); DROP")}`);
    expect(list.json().items.map((x: { data: { title: string } }) => x.data.title)).toEqual([evil]);
    expect(await count()).toBeGreaterThan(0);
  });

  it('enforces the data scope of a department clerk on read, write, list, create, export and grants', async () => {
    const zfRec = (await h.req(zf, 'POST', '/api/records/enforcement_case', {
      deptId: zfDept,
      data: { caseNumber: '庙城执罚〔2023〕1号', cause: '违法搭建', actionType: '行政处罚', decidedOn: '2023-05-06', party: '张三' },
    })).json();
    expect(zfRec.id).toBeGreaterThan(0);
    expect((await h.req(sfs, 'GET', `/api/records/enforcement_case/${zfRec.id}`)).statusCode).toBe(403);
    expect((await h.req(sfs, 'PUT', `/api/records/enforcement_case/${zfRec.id}`, { version: 1, data: { cause: 'x' } })).statusCode).toBe(403);
    expect((await h.req(sfs, 'DELETE', `/api/records/enforcement_case/${zfRec.id}`)).statusCode).toBe(403);
    expect((await h.req(sfs, 'GET', `/api/records/enforcement_case/${zfRec.id}/history`)).statusCode).toBe(403);
    const list = (await h.req(sfs, 'GET', `/api/records/enforcement_case?deptId=${zfDept}`)).json();
    expect(list.total).toBe(0);
    const createInOther = await h.req(sfs, 'POST', '/api/records/training', { deptId: zfDept, data: training });
    expect(createInOther.statusCode).toBe(403);
    const moveToOther = await h.req(sfs, 'PUT', `/api/records/training/${(await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: training })).json().id}`, { version: 1, deptId: zfDept });
    expect(moveToOther.statusCode).toBe(403);
    const exp = await h.req(sfs, 'GET', `/api/export?orgId=${townA}&kind=enforcement_case`);
    expect(exp.statusCode).toBe(200);
    expect(exp.body).not.toContain('违法搭建');
    const me = (await h.req(sfs, 'GET', '/api/auth/me')).json().user;
    const grant = await h.req(sfs, 'PUT', `/api/users/${me.id}`, { role: 'admin' });
    expect(grant.statusCode).toBe(403);
    const newAdmin = await h.req(sfs, 'POST', '/api/users', { username: 'sneaky', role: 'admin', orgId: townA, password: 'abcd1234x' });
    expect(newAdmin.statusCode).toBe(403);
    // Another town's office cannot see town A's records at all.
    expect((await h.req(officeB, 'GET', `/api/records/enforcement_case/${zfRec.id}`)).statusCode).toBe(403);
    expect((await h.req(officeB, 'GET', `/api/records/enforcement_case?orgId=${townA}`)).json().total).toBe(0);
    expect((await h.req(officeB, 'POST', '/api/records/training', { orgId: townA, deptId: sfsDept, data: training })).statusCode).toBe(403);
    // Leaders read their town with personal data masked, and cannot write.
    const seen = (await h.req(leader, 'GET', `/api/records/enforcement_case/${zfRec.id}`)).json();
    expect(seen.data.party).toBe('张*');
    expect((await h.req(leader, 'POST', '/api/records/training', { deptId: sfsDept, data: training })).statusCode).toBe(403);
    // The office sees it unmasked; the district supervisor reads towns below it.
    expect((await h.req(office, 'GET', `/api/records/enforcement_case/${zfRec.id}`)).json().data.party).toBe('张三');
    expect((await h.req(sup, 'GET', `/api/records/enforcement_case?orgId=${townA}`)).json().total).toBe(1);
    expect((await h.req(sup, 'GET', `/api/records/enforcement_case?orgId=${townB}`)).json().total).toBe(0);
    expect((await h.req(admin, 'GET', `/api/records/enforcement_case`)).json().total).toBe(1);
  });

  it('lists with field filters, ranges, enum sets, sorting and pagination', async () => {
    const mk = (d: Partial<typeof training>) => h.req(office, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, ...d } });
    await mk({ title: '筛选A', heldOn: '2022-12-31', attendees: 5, trainingType: '领导干部学法' });
    await mk({ title: '筛选B', heldOn: '2023-01-01', attendees: 50 });
    await mk({ title: '筛选C', heldOn: '2023-06-30', attendees: 500, trainingType: '警示教育' });
    const q = (s: string) => h.req(office, 'GET', `/api/records/training?f.title.contains=${encodeURIComponent('筛选')}&${s}`).then((r) => r.json());
    expect((await q('year=2023')).total).toBe(2);
    expect((await q('f.attendees.from=10&f.attendees.to=100')).items.map((r: { data: { title: string } }) => r.data.title)).toEqual(['筛选B']);
    expect((await q(`f.trainingType=${encodeURIComponent('领导干部学法,警示教育')}`)).total).toBe(2);
    expect((await q('f.heldOn.from=2023-01-01&f.heldOn.to=2023-12-31')).total).toBe(2);
    const sorted = await q('sort=attendees&order=asc&pageSize=2&page=1');
    expect(sorted.total).toBe(3);
    expect(sorted.items.map((r: { data: { attendees: number } }) => r.data.attendees)).toEqual([5, 50]);
    expect((await q('sort=attendees&order=asc&pageSize=2&page=2')).items.map((r: { data: { attendees: number } }) => r.data.attendees)).toEqual([500]);
    expect((await q('')).totalCapped).toBe(false);
    const capped = await listRecords(h.ctx, systemActor(), 'training', { page: 1, pageSize: 2, filters: { 'title.contains': '筛选' }, countCap: 2 });
    expect(capped).toMatchObject({ total: 2, totalCapped: true });
    expect(capped.items).toHaveLength(2);
    const bad = await h.req(office, 'GET', '/api/records/training?f.nofield=1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('没有字段“nofield”');
  });

  it('defines a custom kind at run time and keeps old records valid when a field is added', async () => {
    const def = {
      kind: 'mediation_visit',
      label: '调解回访',
      occurredOn: 'visitedOn',
      titleField: 'result',
      fields: [
        { key: 'visitedOn', label: '回访日期', type: 'date', required: true },
        { key: 'result', label: '回访结果', type: 'enum', options: ['满意', '不满意'], required: true },
      ],
    };
    expect((await h.req(office, 'POST', '/api/ledgers', def)).statusCode).toBe(403);
    const r = await h.req(admin, 'POST', '/api/ledgers', def);
    expect(r.statusCode).toBe(201);
    const rec = (await h.req(sfs, 'POST', '/api/records/mediation_visit', { deptId: sfsDept, data: { visitedOn: '2023-04-01', result: '满意' } })).json();
    expect(rec.occurredOn).toBe('2023-04-01');
    const v2 = await h.req(admin, 'POST', '/api/ledgers', { ...def, fields: [...def.fields, { key: 'note', label: '备注', type: 'text' }] });
    expect(v2.json().version).toBe(2);
    const same = await h.req(admin, 'POST', '/api/ledgers', { ...def, fields: [...def.fields, { key: 'note', label: '备注', type: 'text' }] });
    expect(same.json().version).toBe(2); // the same definition again is not a new version
    const upd = await h.req(sfs, 'PUT', `/api/records/mediation_visit/${rec.id}`, { version: 1, data: { note: '回访顺利' } });
    expect(upd.json().data).toEqual({ visitedOn: '2023-04-01', result: '满意', note: '回访顺利' });
    const kinds = (await h.req(sfs, 'GET', '/api/ledgers')).json().items.map((d: { kind: string }) => d.kind);
    expect(kinds).toContain('mediation_visit');
    expect(kinds.length).toBe(17);
  });

  it('imports all or nothing, listing every bad line, and round-trips with export', async () => {
    const good = [
      { kind: 'publicity_activity', dept: '司法所', title: '宪法宣传周进社区', heldOn: '2023-12-04', activityType: '宪法宣传周', participants: 120, materials: 300 },
      { kind: 'legal_consultation', dept: '司法所', consultedOn: '2023-02-01', channel: '热线', topic: '劳动争议', persons: 3 },
    ];
    const bad = [...good, { kind: 'training', dept: '没有的部门', title: 'x' }, { kind: 'publicity_activity', dept: '司法所', title: 'y', heldOn: '2023-02-30', activityType: '主题宣传' }];
    const before = await count();
    const r = await h.req(office, 'POST', `/api/import?orgId=${townA}`, bad.map((l) => JSON.stringify(l)).join('\n') + '\nnot json', { 'content-type': 'application/x-ndjson' });
    expect(r.statusCode).toBe(400);
    const lines = r.json().error.lines as { line: number; message: string }[];
    expect(lines.map((l) => l.line)).toEqual([3, 4, 5]);
    expect(lines[0]!.message).toBe('第3行：甲镇没有部门“没有的部门”');
    expect(lines[1]!.message).toBe('第4行：日期：不是有效日期（YYYY-MM-DD）');
    expect(lines[2]!.message).toBe('第5行：不是有效的JSON');
    expect(await count()).toBe(before);
    const ok = await h.req(office, 'POST', `/api/import?orgId=${townA}`, good.map((l) => JSON.stringify(l)).join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(ok.json()).toEqual({ imported: 2, byKind: { publicity_activity: 1, legal_consultation: 1 } });
    const exp = await h.req(office, 'GET', `/api/export?orgId=${townA}&kind=publicity_activity&year=2023`);
    const lines2 = exp.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines2).toContainEqual(good[0]);
  });

  it('locks an account after repeated wrong passwords and audits failed logins', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await h.req(null, 'POST', '/api/auth/login', { username: 'leader', password: 'wrong' });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.message).toBe("用户名或密码不正确（连续5次错误将锁定15分钟）");
    }
    const locked = await h.req(null, 'POST', '/api/auth/login', { username: 'leader', password: 'wrong' });
    expect(locked.statusCode).toBe(423);
    const stillLocked = await h.req(null, 'POST', '/api/auth/login', { username: 'leader', password: 'test1234!' });
    expect(stillLocked.statusCode).toBe(423);
    const fails = await h.storage.db.selectFrom('audit_log').select('id').where('action', '=', 'login_failed').where('username', '=', 'leader').execute();
    expect(fails.length).toBe(6);
  });

  it('refuses requests without a session or with an expired one', async () => {
    expect((await h.req(null, 'GET', '/api/records/training')).statusCode).toBe(401);
    const cookie = await h.login('clerk_sfs');
    const id = cookie.split('=')[1]!;
    const crypto = await import('node:crypto');
    await h.storage.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', crypto.createHash('sha256').update(id).digest('hex')).execute();
    const r = await h.req(cookie, 'GET', '/api/records/training');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.message).toBe('登录已过期，请重新登录');
  });

  it('serves OpenAPI generated from the route schemas and a health check', async () => {
    const spec = (await h.req(null, 'GET', '/api/docs/json')).json();
    expect(spec.paths['/api/records/{kind}'].get.parameters.some((p: { name: string }) => p.name === 'pageSize')).toBe(true);
    const health = (await h.req(null, 'GET', '/api/health')).json();
    expect(health).toMatchObject({ ok: true, version: VERSION, database: dialect, migrations: MIGRATIONS.map((m) => m.name).sort() });
  });
});

describe.each(testDialects())('attachments on %s', (dialect) => {
  let h: ApiHarness;
  afterAll(async () => h?.close());
  it('uploads, lists, downloads and deletes within the data scope', async () => {
    h = await startApi(dialect);
    const [sfs, zf] = await h.logins('clerk_sfs', 'clerk_zf');
    const dept = await h.deptId('town_a', '司法所');
    const rec = (await h.req(sfs, 'POST', '/api/records/training', { deptId: dept, data: training })).json();
    const up = await h.req(sfs, 'POST', `/api/records/training/${rec.id}/attachments?filename=${encodeURIComponent('签到表.pdf')}`, '%PDF-1.4 test', { 'content-type': 'application/pdf' });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ filename: '签到表.pdf', mime: 'application/pdf', size: 13 });
    const list = (await h.req(sfs, 'GET', `/api/records/training/${rec.id}/attachments`)).json().items;
    expect(list).toHaveLength(1);
    const dl = await h.req(sfs, 'GET', `/api/attachments/${list[0].id}`);
    expect(dl.body).toBe('%PDF-1.4 test');
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('签到表.pdf'));
    expect((await h.req(zf, 'GET', `/api/attachments/${list[0].id}`)).statusCode).toBe(403);
    expect((await h.req(zf, 'POST', `/api/records/training/${rec.id}/attachments?filename=x.txt`, 'x', { 'content-type': 'text/plain' })).statusCode).toBe(403);
    expect((await h.req(sfs, 'DELETE', `/api/attachments/${list[0].id}`)).statusCode).toBe(200);
    const hist = (await h.req(sfs, 'GET', `/api/records/training/${rec.id}/history`)).json().items.map((e: { action: string }) => e.action);
    expect(hist).toEqual(['create', 'attach', 'download', 'detach']);
  });
});

describe.each(testDialects())('attachment bytes on %s', (dialect) => {
  let h: ApiHarness;
  afterAll(async () => h?.close());
  it('stores JSON and non-UTF-8 text byte for byte and previews in a sandbox', async () => {
    h = await startApi(dialect);
    const [sfs] = await h.logins('clerk_sfs');
    const dept = await h.deptId('town_a', '司法所');
    const rec = (await h.req(sfs, 'POST', '/api/records/training', { deptId: dept, data: training })).json();
    for (const [name, type, body] of [
      ['data.json', 'application/json', '{"a": 1}'],
      ['gbk.txt', 'text/plain', Buffer.from([0xc4, 0xe3, 0xba, 0xc3])],
    ] as const) {
      const up = await h.app.inject({ method: 'POST', url: `/api/records/training/${rec.id}/attachments?filename=${name}`, headers: { cookie: sfs, 'content-type': type }, payload: body });
      expect(up.statusCode).toBe(201);
      const dl = await h.req(sfs, 'GET', `/api/attachments/${up.json().id}?inline=1`);
      expect(Buffer.compare(dl.rawPayload, Buffer.from(body))).toBe(0);
      expect(dl.headers['content-security-policy']).toBe('sandbox');
    }
  });
});
