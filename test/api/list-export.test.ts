import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

async function sheetRows(buf: Buffer, sheet: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`no sheet ${sheet}: ${wb.worksheets.map((w) => w.name).join(',')}`);
  const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = (row.values as unknown[]).slice(1);
    out.push(Object.fromEntries(head.map((h, i) => [h, v[i]])));
  });
  return out;
}

const PETITIONS = [
  { registeredOn: '2026-01-05', channel: '来信', petitioner: '张三', subject: '噪声扰民' },
  { registeredOn: '2026-02-10', channel: '网上', petitioner: '李四', subject: '道路破损' },
  { registeredOn: '2026-03-02', channel: '来访', petitioner: '王五', subject: '噪声扰民（夜间施工）' },
  { registeredOn: '2026-11-20', channel: '电话', petitioner: '赵六', subject: '路灯不亮' },
  { registeredOn: '2025-06-01', channel: '来信', petitioner: '钱七', subject: '噪声扰民（去年）' },
];

describe.each(testDialects())("a list's export holds exactly the listed rows on %s", (dialect) => {
  let h: ApiHarness;
  let sfs = '';
  let leader = '';
  let adviser = '';
  const ids: number[] = [];

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-12-01T02:00:00Z'));
    [sfs, leader, adviser] = await h.logins('clerk_sfs', 'leader', 'adviser');
    const dept = await h.deptId('town_a', '司法所');
    for (const p of PETITIONS) {
      const r = await h.req(sfs, 'POST', '/api/records/petition', { deptId: dept, data: p });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
  });
  afterAll(async () => h?.close());

  const list = async (cookie: string, qs: string) => {
    const r = await h.req(cookie, 'GET', `/api/records/petition?pageSize=100&${qs}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: { id: number; data: Record<string, unknown> }[]; total: number };
  };
  const exported = async (cookie: string, qs: string) => {
    const r = await h.req(cookie, 'GET', `/api/records/petition/export.xlsx?${qs}`);
    expect(r.statusCode, r.body).toBe(200);
    return { rows: await sheetRows(r.rawPayload, '信访事项'), disposition: String(r.headers['content-disposition']) };
  };

  it('takes the list query: year, keyword, deadline state, field filters — the same rows, every page', async () => {
    for (const qs of ['year=2026', 'year=2026&q=噪声', 'q=噪声', 'year=2026&deadlineState=逾期', 'f.channel=来信,来访', 'f.registeredOn.from=2026-02-01&f.registeredOn.to=2026-03-31', 'year=2026&pageSize=1&page=2']) {
      const shown = await list(sfs, qs.replace(/&?pageSize=1&page=2/, ''));
      const file = await exported(sfs, qs);
      expect(file.rows.map((r) => r['事项']).sort(), qs).toEqual(shown.items.map((i) => i.data.subject).sort());
      expect(file.rows.length, qs).toBe(shown.total);
    }
    // The filters matter: the keyword and the year cut the five records down.
    expect((await exported(sfs, 'year=2026&q=噪声')).rows.map((r) => r['事项']).sort()).toEqual(['噪声扰民', '噪声扰民（夜间施工）']);
    expect((await exported(sfs, 'q=噪声')).rows).toHaveLength(3);
  });

  it('exports the selected rows only, and names the file in Chinese', async () => {
    const picked = [ids[1]!, ids[3]!];
    const file = await exported(sfs, `ids=${picked.join(',')}&year=2026`);
    expect(file.rows.map((r) => r['事项']).sort()).toEqual(['路灯不亮', '道路破损']);
    expect(file.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('甲镇_信访事项_2026_所选2条.xlsx')}`);
    expect((await exported(sfs, 'year=2026')).disposition).toContain(encodeURIComponent('甲镇_信访事项_2026.xlsx'));
    expect((await exported(sfs, '')).disposition).toContain(encodeURIComponent('甲镇_信访事项_全部年度.xlsx'));
  });

  it('masks personal data for roles that do not handle it, and refuses a keyword on it', async () => {
    const file = await exported(leader, 'year=2026');
    expect(file.rows).toHaveLength(4);
    expect(file.rows.map((r) => r['信访人'])).not.toContain('张三');
    // A leader's keyword does not search the masked 信访人: 张三 finds nothing.
    expect((await list(leader, 'q=张三')).total).toBe(0);
    expect((await list(sfs, 'q=张三')).total).toBe(1);
  });

  it('checks the scope like the list does', async () => {
    expect((await h.req(adviser, 'GET', '/api/records/petition/export.xlsx')).statusCode).toBe(403);
    expect((await h.req(null, 'GET', '/api/records/petition/export.xlsx')).statusCode).toBe(401);
    expect((await h.req(sfs, 'GET', '/api/records/petition/export.xlsx?ids=1;2')).statusCode).toBe(400);
    const audit = await h.storage.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({ kind: 'petition', format: 'xlsx' });
  });

  it('filters on several flow states at once', async () => {
    const office = await h.login('office');
    const r = await h.req(office, 'POST', `/api/records/petition/${ids[0]}/transitions/accept`, { on: '2026-01-06' });
    expect(r.statusCode, r.body).toBe(200);
    expect((await list(sfs, 'status=受理')).total).toBe(1);
    expect((await list(sfs, 'status=登记,受理')).total).toBe(5);
    expect((await exported(sfs, 'status=登记,受理')).rows).toHaveLength(5);
  });
});
