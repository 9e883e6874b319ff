import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

const PETITIONER = '司马相如';
const APPLICANT = '上官婉儿';

interface AuditItem {
  action: string;
  kind: string | null;
  detail: string | null;
  username: string | null;
}

/**
 * Every list, export and drill-down that shows personal values in clear writes one `read_pii`
 * entry per request naming the records (GB/T 22239-2019 8.1.4.3 a; 个人信息保护法 art. 51); the
 * to-do and overdue lists, loaded on every visit of the home and 督办 pages, mask them instead.
 */
describe.each(testDialects())('reads of personal data (%s)', (dialect) => {
  let h: ApiHarness;
  let auditor: string, office: string, leader: string, zf: string;
  let petitionId: number, requestId: number, townA: number;

  const piiReads = async (): Promise<AuditItem[]> => (await h.req(auditor, 'GET', '/api/audit?action=read_pii&pageSize=200')).json().items;
  /** The read_pii entries written by one request. */
  const newEntries = async (run: () => Promise<unknown>): Promise<AuditItem[]> => {
    const before = (await piiReads()).length;
    await run();
    const after = await piiReads();
    return after.slice(0, after.length - before);
  };

  beforeAll(async () => {
    h = await startApi(dialect);
    [auditor, office, leader, zf] = await h.logins('auditor', 'office', 'leader', 'clerk_zf');
    townA = await h.orgId('town_a');
    const zfDept = await h.deptId('town_a', '综合行政执法队');
    // Registered in May and never answered: overdue by now, so on the to-do list.
    const p = await h.req(zf, 'POST', '/api/records/petition', { deptId: zfDept, data: { registeredOn: '2026-05-20', channel: '来访', petitioner: PETITIONER, subject: '夜间施工噪声' } });
    expect(p.statusCode).toBe(201);
    petitionId = p.json().id;
    const officeDept = await h.deptId('town_a', '党政办公室');
    const d = await h.req(office, 'POST', '/api/records/disclosure_request', {
      deptId: officeDept,
      data: { applicant: APPLICANT, applicantType: '自然人', receivedOn: '2025-06-01', content: '道路改造批复', repliedOn: '2025-06-10', replyType: '予以公开' },
    });
    expect(d.statusCode).toBe(201);
    requestId = d.json().id;
  });
  afterAll(async () => h?.close());

  it('masks names on the to-do and overdue lists for every role, and writes no entry for them', async () => {
    const entries = await newEntries(async () => {
      const todo = (await h.req(office, 'GET', '/api/todo')).json().items as { id: number; data: { petitioner?: string; subject?: string } }[];
      const item = todo.find((t) => t.id === petitionId);
      expect(item?.data.subject).toBe('夜间施工噪声');
      expect(item?.data.petitioner).toBe('司***');
      const overdue = await h.req(office, 'GET', `/api/overdue?orgId=${townA}`);
      expect(overdue.statusCode).toBe(200);
      expect(overdue.body).not.toContain(PETITIONER);
      expect(overdue.json().items.some((t: { id: number }) => t.id === petitionId)).toBe(true);
    });
    expect(entries).toEqual([]);
    // The record itself, opened from the list, is the audited read.
    const opened = await newEntries(() => h.req(office, 'GET', `/api/records/petition/${petitionId}`));
    expect(opened.map((e) => e.detail)).toEqual([`查看记录（个人信息字段：信访人）：记录 ${petitionId}`]);
  });

  it('audits the newer record a stale edit gets back with its 409', async () => {
    const cur = (await h.req(zf, 'GET', `/api/records/petition/${petitionId}`)).json();
    const entries = await newEntries(async () => {
      const r = await h.req(zf, 'PUT', `/api/records/petition/${petitionId}`, { version: cur.version + 5, data: { subject: '夜间施工噪声' } });
      expect(r.statusCode).toBe(409);
      expect(r.body).toContain(PETITIONER);
    });
    expect(entries.map((e) => [e.username, e.detail])).toEqual([['clerk_zf', `查看记录（个人信息字段：信访人）：记录 ${petitionId}`]]);
  });

  it('audits a list export and a whole export with the ids of the records they hold, one entry per request', async () => {
    const listed = await newEntries(async () => {
      const x = await h.req(office, 'GET', `/api/records/petition/export.xlsx?orgId=${townA}`);
      expect(x.statusCode).toBe(200);
      const zip = await JSZip.loadAsync(x.rawPayload);
      const sheets = await Promise.all(Object.values(zip.files).filter((f) => f.name.endsWith('.xml')).map((f) => f.async('string')));
      expect(sheets.join('')).toContain(PETITIONER);
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ action: 'read_pii', kind: 'petition', username: 'office' });
    expect(listed[0]!.detail).toBe(`导出（个人信息字段：信访人）：1条，记录 ${petitionId}`);

    const whole = await newEntries(async () => {
      const j = await h.req(office, 'GET', `/api/export?orgId=${townA}`);
      expect(j.statusCode).toBe(200);
      expect(j.body).toContain(APPLICANT);
    });
    // One per kind holding personal fields, each naming its records; kinds without any write none.
    expect(whole.map((e) => e.kind).sort()).toEqual(['disclosure_request', 'petition']);
    expect(whole.find((e) => e.kind === 'disclosure_request')!.detail).toBe(`导出（个人信息字段：申请人）：1条，记录 ${requestId}`);

    const xlsx = await newEntries(() => h.req(office, 'GET', `/api/export.xlsx?orgId=${townA}&kind=petition`));
    expect(xlsx.map((e) => e.detail)).toEqual([`导出（个人信息字段：信访人）：1条，记录 ${petitionId}`]);

    // A leader's export is masked: nothing personal left, no read entry.
    const masked = await newEntries(async () => {
      const j = await h.req(leader, 'GET', `/api/export?orgId=${townA}&kind=petition`);
      expect(j.statusCode).toBe(200);
      expect(j.body).not.toContain(PETITIONER);
    });
    expect(masked).toEqual([]);
  });

  it('audits the records behind a cell of the disclosure report', async () => {
    const c = await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2025, type: 'disclosure' });
    expect(c.statusCode).toBe(201);
    const reportId = c.json().id as number;
    const entries = await newEntries(async () => {
      const r = await h.req(office, 'GET', `/api/reports/${reportId}/cells/${encodeURIComponent('disclosure.requests.new.total')}/records`);
      expect(r.statusCode).toBe(200);
      expect(r.json().items.map((x: { data: { applicant: string } }) => x.data.applicant)).toEqual([APPLICANT]);
    });
    expect(entries.map((e) => e.detail)).toEqual([`列表（个人信息字段：申请人）：记录 ${requestId}`]);
    // The leader reads the same cell masked, unaudited.
    const leaderEntries = await newEntries(async () => {
      const r = await h.req(leader, 'GET', `/api/reports/${reportId}/cells/${encodeURIComponent('disclosure.requests.new.total')}/records`);
      expect(r.body).not.toContain(APPLICANT);
    });
    expect(leaderEntries).toEqual([]);

    // Once 定稿 (by a second person), the same records come from the snapshot: audited the same way.
    const admin = await h.login('admin');
    expect((await h.req(office, 'POST', `/api/reports/${reportId}/state`, { to: '审核' })).statusCode).toBe(200);
    const final = await h.req(admin, 'POST', `/api/reports/${reportId}/state`, { to: '定稿' });
    expect(final.statusCode, final.body).toBe(200);
    const frozen = await newEntries(async () => {
      const r = await h.req(office, 'GET', `/api/reports/${reportId}/figures/${encodeURIComponent('disclosure.requests.new.total')}/records`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().items.map((x: { data: { applicant: string } }) => x.data.applicant)).toEqual([APPLICANT]);
    });
    expect(frozen.map((e) => e.detail)).toEqual([`列表（个人信息字段：申请人）：记录 ${requestId}`]);
  });
});
