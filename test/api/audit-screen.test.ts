import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import JSZip from 'jszip';
import { testDialects } from '../../src/db/testing';
import { PASSWORD, startApi, type ApiHarness } from '../support/api';
import { systemActor } from '../../src/app/context';
import { createUser } from '../../src/app/users';
import { EXTRA_COMMANDS } from '../../src/cli/commands';
import { parseArgs } from '../../src/cli/args';
import { auditVerifyJob } from '../../src/jobs/audit-jobs';
import { runIfDue } from '../../src/jobs';

const PETITIONER = '欧阳娜娜';

/** Runs a CLI command in-process; returns what it printed. */
async function cli(h: ApiHarness, argv: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
  try {
    const p = parseArgs(argv);
    await EXTRA_COMMANDS.find((c) => c.matches(p))!.run(h.ctx, p);
  } finally {
    spy.mockRestore();
  }
  return out.join('\n');
}

describe.each(testDialects())('the audit log for the 审计管理员 (%s)', (dialect) => {
  let h: ApiHarness;
  let auditor: string, office: string, leader: string, admin: string, zf: string;
  let petitionId: number;

  beforeAll(async () => {
    h = await startApi(dialect);
    await createUser(h.ctx, systemActor(), { username: 'shenji', displayName: '审计员', role: 'auditor', orgCode: 'qu', password: PASSWORD });
    [auditor, office, leader, admin, zf] = await h.logins('shenji', 'office', 'leader', 'admin', 'clerk_zf');
    const zfDept = await h.deptId('town_a', '综合行政执法队');
    const r = await h.req(zf, 'POST', '/api/records/petition', { deptId: zfDept, data: { registeredOn: '2026-05-20', channel: '来访', petitioner: PETITIONER, subject: '夜间噪声' } });
    expect(r.statusCode).toBe(201);
    petitionId = r.json().id;
  });
  afterAll(async () => h?.close());

  it('is open to the 审计管理员 only, and the refusals are audited', async () => {
    for (const c of [admin, office, leader, zf]) {
      expect((await h.req(c, 'GET', '/api/audit')).statusCode).toBe(403);
      expect((await h.req(c, 'GET', '/api/audit/export?format=csv')).statusCode).toBe(403);
      expect((await h.req(c, 'GET', '/api/audit/verify')).statusCode).toBe(403);
    }
    // The auditor has no other powers: no records, no users.
    expect((await h.req(auditor, 'GET', `/api/records/petition/${petitionId}`)).statusCode).toBe(403);
    expect((await h.req(auditor, 'PUT', '/api/deadline-settings/near-days', { nearDays: 3 })).statusCode).toBe(403);
    expect((await h.req(auditor, 'POST', '/api/orgs', { code: 'x', name: '某镇', level: '镇', parentId: await h.orgId('qu') })).statusCode).toBe(403);
    const me = (await h.req(auditor, 'GET', '/api/auth/me')).json().user;
    expect(me).toMatchObject({ role: 'auditor', roleLabel: '审计管理员', can: { audit: true, write: false, admin: false } });
    const denied = (await h.req(auditor, 'GET', '/api/audit?action=denied&username=admin')).json();
    expect(denied.total).toBe(3);
    expect(denied.items[0]).toMatchObject({ username: 'admin', action: 'denied', entity: 'request' });
  });

  it('filters by user, action, record and date', async () => {
    const byUser = (await h.req(auditor, 'GET', '/api/audit?username=clerk_zf&action=create')).json();
    expect(byUser.items.map((e: { entityId: string }) => e.entityId)).toEqual([String(petitionId)]);
    const byRecord = (await h.req(auditor, 'GET', `/api/audit?entity=record&entityId=${petitionId}`)).json();
    expect(byRecord.items.map((e: { action: string }) => e.action)).toContain('create');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await h.req(auditor, 'GET', `/api/audit?from=${today}&to=${today}&action=create&username=clerk_zf`)).json().total).toBe(1);
    expect((await h.req(auditor, 'GET', '/api/audit?from=2000-01-01&to=2000-12-31')).json().total).toBe(0);
    const bad = await h.req(auditor, 'GET', '/api/audit?from=2026-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('起始日期：不是有效日期（YYYY-MM-DD）');
  });

  it('audits reading personal data unmasked, not masked reads, and logouts', async () => {
    const count = async () => (await h.req(auditor, 'GET', '/api/audit?action=read_pii')).json().total as number;
    const n = await count();
    expect((await h.req(office, 'GET', `/api/records/petition/${petitionId}`)).json().data.petitioner).toBe(PETITIONER);
    expect(await count()).toBe(n + 1);
    await h.req(office, 'GET', '/api/records/petition');
    expect(await count()).toBe(n + 2);
    // The records behind a figure show names like a list.
    const behind = await h.req(office, 'GET', `/api/metrics/petition.count/records?orgId=${await h.orgId('town_a')}&year=2026`);
    expect(behind.body).toContain(PETITIONER);
    expect(await count()).toBe(n + 3);
    // A leader sees the name masked: nothing personal was read.
    expect((await h.req(leader, 'GET', `/api/records/petition/${petitionId}`)).json().data.petitioner).toBe('欧***');
    expect(await count()).toBe(n + 3);
    const last = (await h.req(auditor, 'GET', '/api/audit?action=read_pii&username=office')).json().items;
    expect(last.map((e: { detail: string }) => e.detail).join()).toContain(`记录 ${petitionId}`);
    const temp = await h.login('leader');
    expect((await h.req(temp, 'POST', '/api/auth/logout')).statusCode).toBe(200);
    expect((await h.req(auditor, 'GET', '/api/audit?action=logout&username=leader')).json().total).toBe(1);
  });

  it('exports for the assessor as .csv and .xlsx, personal data masked, the export itself audited', async () => {
    const csv = await h.req(auditor, 'GET', `/api/audit/export?format=csv&entity=record&entityId=${petitionId}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF序号,时间,用户名')).toBe(true);
    expect(csv.body).toContain('新建');
    expect(csv.body).toContain('欧***');
    expect(csv.body).not.toContain(PETITIONER);
    const x = await h.req(auditor, 'GET', '/api/audit/export?format=xlsx&action=create');
    expect(x.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(x.rawPayload);
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    expect(strings).toContain('操作');
    expect(strings).toContain('欧***');
    expect(strings).not.toContain(PETITIONER);
    const exports = (await h.req(auditor, 'GET', '/api/audit?action=export&entity=audit')).json();
    expect(exports.total).toBe(2);
  });

  it('reports the chain, and the CLI and the periodic job name a forged entry and alert the auditor', async () => {
    const ok = (await h.req(auditor, 'GET', '/api/audit/verify')).json();
    expect(ok).toMatchObject({ ok: true });
    expect(await cli(h, ['audit', 'verify'])).toMatch(/^审计链完整：共校验 \d+ 条/);
    if (dialect === 'sqlite') await sql`drop trigger audit_log_no_update`.execute(h.storage.db);
    else await sql`drop trigger audit_log_guard on audit_log`.execute(h.storage.db);
    const victim = await h.storage.db.selectFrom('audit_log').select(['id', 'seq']).where('action', '=', 'create').where('entity_id', '=', String(petitionId)).executeTakeFirstOrThrow();
    await h.storage.db.updateTable('audit_log').set({ username: 'someone_else' }).where('id', '=', victim.id).execute();
    const out = await cli(h, ['audit', 'verify']);
    expect(out).toContain(`审计链校验失败：审计记录第 ${victim.seq} 条（编号 ${victim.id}）的内容与其哈希不符`);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    const logs: string[] = [];
    const run = await runIfDue(h.ctx, auditVerifyJob((m) => logs.push(m)), 'test-instance');
    expect(run).toMatchObject({ ran: true, ok: true });
    expect(logs.join()).toContain('【安全告警】审计链校验失败');
    // Every active 审计管理员 and 安全管理员 is alerted.
    const alerted = (await h.storage.db.selectFrom('users').select('id').where('role', 'in', ['auditor', 'security']).where('active', '=', 1).orderBy('id').execute()).map((u) => u.id);
    expect(alerted.length).toBeGreaterThanOrEqual(2);
    const notes = await h.storage.db.selectFrom('notifications').selectAll().where('kind', '=', 'audit').orderBy('user_id').execute();
    expect(notes.map((n) => n.user_id)).toEqual(alerted);
    expect(notes[0]!.body).toContain(`第 ${victim.seq} 条`);
    const seen = (await h.req(auditor, 'GET', '/api/audit/verify')).json();
    expect(seen).toMatchObject({ ok: false, problem: { kind: 'edited', seq: victim.seq } });
  });
});
