import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

/** A sheet's rows as objects keyed by the header row. */
async function sheetRows(buf: Buffer, sheet: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`no sheet ${sheet}: ${wb.worksheets.map((w) => w.name).join(',')}`);
  const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) out.push(Object.fromEntries(head.map((h, i) => [h, (row.values as unknown[])[i + 1]])));
  });
  return out;
}

interface JobView {
  id: number;
  state: string;
  phase: string;
  done: number;
  total: number;
  ready: boolean;
  fileName: string;
  error: { message: string } | null;
}

describe.each(testDialects())('export jobs on %s', (dialect) => {
  let h: ApiHarness;
  let sfs = '';
  let office = '';
  let admin = '';
  let townA = 0;
  const N = 1200;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-12-01T02:00:00Z'));
    [sfs, office, admin] = await h.logins('clerk_sfs', 'office', 'admin');
    townA = await h.orgId('town_a');
    // Enough records for several pages of the list's query (500 a page) through the import path.
    const lines = Array.from({ length: N }, (_, i) =>
      JSON.stringify({ kind: 'petition', dept: '司法所', registeredOn: `2026-${String((i % 11) + 1).padStart(2, '0')}-05`, channel: i % 3 ? '来信' : '网上', petitioner: `群众${i}`, subject: i % 4 ? `噪声扰民${i}` : `道路破损${i}` }),
    );
    const r = await h.req(sfs, 'POST', `/api/import?orgId=${townA}`, lines.join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(r.statusCode, r.body).toBe(200);
  });
  afterAll(async () => h?.close());

  /** Polls a job until it ends; every state seen keeps done within total. */
  async function follow(cookie: string, id: number): Promise<JobView[]> {
    const seen: JobView[] = [];
    for (let i = 0; i < 400; i++) {
      const r = await h.req(cookie, 'GET', `/api/export-jobs/${id}`);
      expect(r.statusCode, r.body).toBe(200);
      const job = r.json() as JobView;
      seen.push(job);
      if (job.state !== 'running') return seen;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error('export job did not end');
  }

  it("holds exactly what the list's query selects, the same file as the direct download, with progress up to the total", async () => {
    for (const qs of ['year=2026&q=噪声', 'f.channel=网上', 'year=2026&f.registeredOn.from=2026-03-01&f.registeredOn.to=2026-06-30&sort=registeredOn&order=desc']) {
      const list = (await h.req(sfs, 'GET', `/api/records/petition?pageSize=1&${qs}`)).json() as { total: number };
      const start = await h.req(sfs, 'POST', `/api/records/petition/export-jobs?${qs}`);
      expect(start.statusCode, start.body).toBe(202);
      const { id, total } = start.json() as { id: number; total: number };
      // The total is known when the job starts: the list's own count.
      expect(total, qs).toBe(list.total);
      expect(total).toBeGreaterThan(100);
      const seen = await follow(sfs, id);
      for (const s of seen) {
        expect(s.done).toBeLessThanOrEqual(s.total);
        expect(s.total).toBe(total);
      }
      const end = seen[seen.length - 1]!;
      expect(end).toMatchObject({ state: 'done', done: total, total, ready: true, error: null });
      const file = await h.req(sfs, 'GET', `/api/export-jobs/${id}/file`);
      expect(file.statusCode, file.body).toBe(200);
      expect(String(file.headers['content-disposition'])).toContain(encodeURIComponent('甲镇_信访事项_'));
      const direct = await h.req(sfs, 'GET', `/api/records/petition/export.xlsx?${qs}`);
      const viaJob = await sheetRows(file.rawPayload, '信访事项');
      expect(viaJob).toHaveLength(total);
      expect(viaJob).toEqual(await sheetRows(direct.rawPayload, '信访事项'));
    }
  });

  it('exports an org unit as .jsonl through a job, line for line what the direct export gives', async () => {
    const start = await h.req(office, 'POST', `/api/export-jobs?orgId=${townA}&kind=petition&year=2026&format=jsonl`);
    expect(start.statusCode, start.body).toBe(202);
    const { id, total } = start.json() as { id: number; total: number };
    expect(total).toBe(N);
    const end = (await follow(office, id)).pop()!;
    expect(end).toMatchObject({ state: 'done', done: N, ready: true });
    const file = await h.req(office, 'GET', `/api/export-jobs/${id}/file`);
    const direct = await h.req(office, 'GET', `/api/export?orgId=${townA}&kind=petition&year=2026`);
    expect(file.body.split('\n').filter(Boolean)).toHaveLength(N);
    expect(file.body).toBe(direct.body);
  });

  it('gives the job and its file only to the user who started it, and only while their scope is the same', async () => {
    const start = await h.req(office, 'POST', `/api/records/petition/export-jobs?year=2026`);
    const { id } = start.json() as { id: number };
    await follow(office, id);
    // Not another user, not even the administrator: the file holds what the starter's scope selected.
    for (const other of [sfs, admin]) {
      expect((await h.req(other, 'GET', `/api/export-jobs/${id}`)).statusCode).toBe(404);
      expect((await h.req(other, 'GET', `/api/export-jobs/${id}/file`)).statusCode).toBe(404);
    }
    expect((await h.req(office, 'GET', `/api/export-jobs/${id}/file`)).statusCode).toBe(200);
    // The starter becomes a clerk of one department: the file (every department's rows) is refused.
    const user = await h.storage.db.selectFrom('users').select(['id', 'role', 'dept_id']).where('username', '=', 'office').executeTakeFirstOrThrow();
    await h.storage.db.updateTable('users').set({ role: 'clerk', dept_id: await h.deptId('town_a', '司法所') }).where('id', '=', user.id).execute();
    try {
      const refused = await h.req(office, 'GET', `/api/export-jobs/${id}/file`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toContain('数据权限已变化');
    } finally {
      await h.storage.db.updateTable('users').set({ role: user.role, dept_id: user.dept_id }).where('id', '=', user.id).execute();
    }
    expect((await h.req(office, 'GET', `/api/export-jobs/${id}/file`)).statusCode).toBe(200);
  });

  it('refuses at the start what the direct export refuses, and creates no job', async () => {
    const jobs = async () => Number((await h.storage.db.selectFrom('exchange_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await jobs();
    const officeB = await h.login('office_b');
    const other = await h.req(officeB, 'POST', `/api/export-jobs?orgId=${townA}&kind=petition`);
    expect(other.statusCode).toBe(403);
    const badFilter = await h.req(sfs, 'POST', `/api/records/petition/export-jobs?f.nosuchfield=1`);
    expect(badFilter.statusCode).toBe(400);
    expect(await jobs()).toBe(before);
  });
});
