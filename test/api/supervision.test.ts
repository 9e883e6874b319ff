import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

describe.each(testDialects())('督办 board on %s', (dialect) => {
  let h: ApiHarness;
  let office = '', leader = '', sup = '', sfs = '', adviser = '', officeB = '';

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-12-01T02:00:00Z'));
    [office, leader, sup, sfs, adviser, officeB] = await h.logins('office', 'leader', 'super', 'clerk_sfs', 'adviser', 'office_b');
    const post = async (cookie: string, kind: string, body: Record<string, unknown>) => {
      const r = await h.req(cookie, 'POST', `/api/records/${kind}`, body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { deadlineState: string };
    };
    const sfsDept = await h.deptId('town_a', '司法所');
    const zfDept = await h.deptId('town_a', '综合行政执法队');
    // 甲镇司法所: two overdue petitions (registered long ago, never accepted), one near-due disclosure request.
    for (const d of ['2026-09-01', '2026-10-01']) {
      expect((await post(office, 'petition', { deptId: sfsDept, data: { registeredOn: d, channel: '来信', petitioner: '张三', subject: `逾期${d}` } })).deadlineState).toBe('逾期');
    }
    // 11-03 + 20 working days = 12-01: due today, 临期.
    expect((await post(office, 'disclosure_request', { deptId: sfsDept, data: { applicant: '李四', applicantType: '自然人', receivedOn: '2026-11-03', content: '申请公开' } })).deadlineState).toBe('临期');
    // 甲镇执法队: one overdue enforcement disclosure (7 working days after the decision).
    expect((await post(office, 'enforcement_case', { deptId: zfDept, data: { caseNumber: 'X1', cause: '违法搭建', actionType: '行政处罚', party: '某公司', decidedOn: '2026-10-09' } })).deadlineState).toBe('逾期');
    // 乙镇: one overdue petition.
    await post(officeB, 'petition', { deptId: await h.deptId('town_b', '司法所'), data: { registeredOn: '2026-09-01', channel: '来访', petitioner: '王五', subject: '乙镇逾期' } });
  });
  afterAll(async () => h?.close());

  const board = async (cookie: string, qs = '') => {
    const r = await h.req(cookie, 'GET', `/api/supervision${qs}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('counts a town by department and kind for the 法治办 and the leader, every department listed', async () => {
    for (const who of [office, leader]) {
      const b = await board(who);
      expect(b).toMatchObject({ orgName: '甲镇', by: 'dept', totals: { overdue: 3, near: 1 } });
      const row = (label: string) => b.rows.find((r: { label: string }) => r.label === label);
      expect(row('司法所')).toMatchObject({ overdue: 2, near: 1, cells: { petition: { overdue: 2, near: 0 }, disclosure_request: { overdue: 0, near: 1 } } });
      expect(row('综合行政执法队')).toMatchObject({ overdue: 1, near: 0, cells: { enforcement_case: { overdue: 1, near: 0 } } });
      expect(row('党政办公室')).toMatchObject({ overdue: 0, near: 0 });
      // Worst first.
      expect(b.rows[0].label).toBe('司法所');
      expect(b.kinds.map((k: { kind: string }) => k.kind)).toContain('petition');
      expect(b.kinds.map((k: { kind: string }) => k.kind)).not.toContain('training');
    }
  });

  it('counts the district by town for the supervisor, and the cells agree with the lists', async () => {
    const b = await board(sup);
    expect(b).toMatchObject({ orgName: '测试区', by: 'town', totals: { overdue: 4, near: 1 } });
    expect(b.rows.map((r: { label: string; overdue: number }) => [r.label, r.overdue])).toEqual([
      ['甲镇', 3],
      ['乙镇', 1],
    ]);
    const townA = b.rows[0];
    const list = await h.req(sup, 'GET', `/api/records/petition?orgId=${townA.orgId}&deadlineState=逾期`);
    expect(list.json().total).toBe(townA.cells.petition.overdue);
    // The supervisor may look at one town by department too.
    expect(await board(sup, `?orgId=${townA.orgId}`)).toMatchObject({ by: 'dept', totals: { overdue: 3 } });
  });

  it("keeps a clerk to their department and refuses what the actor may not see", async () => {
    const b = await board(sfs);
    expect(b.rows.map((r: { label: string }) => r.label)).toEqual(['司法所']);
    expect(b.totals).toMatchObject({ overdue: 2, near: 1 });
    expect((await board(adviser)).totals).toMatchObject({ overdue: 0, near: 0 });
    const qu = await h.orgId('qu');
    expect((await h.req(office, 'GET', `/api/supervision?orgId=${qu}`)).statusCode).toBe(403);
    expect((await h.req(officeB, 'GET', `/api/supervision?orgId=${await h.orgId('town_a')}`)).statusCode).toBe(403);
    expect((await h.req(null, 'GET', '/api/supervision')).statusCode).toBe(401);
  });

  it('exports the board as .xlsx with the same figures', async () => {
    const r = await h.req(office, 'GET', '/api/supervision.xlsx');
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('甲镇_督办表.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('督办')!;
    const rows = ws.getSheetValues().slice(3).map((v) => (v as unknown[]).slice(1, 4));
    expect(rows).toContainEqual(['司法所', 2, 1]);
    expect(rows).toContainEqual(['合计', 3, 1]);
  });
});

describe.each(testDialects())('the bell: 全部已读 on %s', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi(dialect);
  });
  afterAll(async () => h?.close());

  it('marks every notification of the user read, and nobody else’s', async () => {
    const [office, sfs] = await h.logins('office', 'clerk_sfs');
    const ids = Object.fromEntries(
      await Promise.all(['office', 'clerk_sfs'].map(async (u) => [u, (await h.storage.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id])),
    ) as Record<string, number>;
    const at = new Date().toISOString();
    let k = 0;
    for (const user of ['office', 'office', 'clerk_sfs']) {
      await h.storage.db.insertInto('notifications').values({ user_id: ids[user]!, created_at: at, title: '临期提醒', body: '某事项临期', kind: 'petition', record_id: null, read_at: null, dedupe_key: `t:${k++}` }).execute();
    }
    expect((await h.req(office, 'GET', '/api/notifications')).json().unread).toBe(2);
    const r = await h.req(office, 'POST', '/api/notifications/read-all');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ marked: 2 });
    expect((await h.req(office, 'GET', '/api/notifications')).json().unread).toBe(0);
    expect((await h.req(sfs, 'GET', '/api/notifications')).json().unread).toBe(1);
    expect((await h.req(null, 'POST', '/api/notifications/read-all')).statusCode).toBe(401);
  });
});

describe.each(testDialects())('the dashboard’s 同比 compares the same period on %s', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-12-01T02:00:00Z'));
  });
  afterAll(async () => h?.close());

  it('this year up to today against the same days of last year, with the direction that is good news', async () => {
    const office = await h.login('office');
    const dept = await h.deptId('town_a', '司法所');
    const training = (heldOn: string, attendees: number) =>
      h.req(office, 'POST', '/api/records/training', { deptId: dept, data: { title: `培训${heldOn}`, heldOn, trainingType: '执法人员培训', attendees } });
    // 2026 so far: 10; 2025 up to 12-01: 5 (the 12-15 session of 2025 lies after the cut-off).
    for (const [d, n] of [['2026-03-10', 10], ['2025-03-10', 5], ['2025-12-15', 100]] as const) expect((await training(d, n)).statusCode).toBe(201);
    const d = (await h.req(office, 'GET', '/api/dashboard?year=2026')).json();
    expect(d.yoyPeriod).toEqual({ label: '截至12月1日，与去年同期相比', from: '2026-01-01', to: '2026-12-01', previousFrom: '2025-01-01', previousTo: '2025-12-01' });
    const att = d.figures.find((f: { key: string }) => f.key === 'training.enforcement_attendees');
    expect(att).toMatchObject({ value: 10, better: 'up' });
    expect(att.yoy).toBeCloseTo((10 - 5) / 5, 6);
    expect(d.figures.find((f: { key: string }) => f.key === 'petition.count')).toMatchObject({ better: 'down' });
    // A past year compares whole years.
    expect((await h.req(office, 'GET', '/api/dashboard?year=2025')).json().yoyPeriod.label).toBe('2025年全年，与2024年全年相比');
  });
});
