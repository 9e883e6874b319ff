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
    expect((await post(office, 'disclosure_request', { deptId: sfsDept, data: { applicant: '李四', receivedOn: '2026-11-03', content: '申请公开' } })).deadlineState).toBe('临期');
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
