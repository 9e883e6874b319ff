import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { openTestStorage, testDialects, type TestStorage } from '../../src/db/testing';
import { createContext, systemActor, type AppContext } from '../../src/app/context';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { importFile } from '../../src/app/exchange-file';
import { parseData } from '../../src/app/record-view';
import { copyValue } from '../../src/db/copy-records';

describe("COPY's text format", () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue(12)).toBe('12');
    expect(copyValue('噪声\t扰民\\n\r\n')).toBe('噪声\\t扰民\\\\n\\r\\n');
    expect(copyValue('{"a":"b\\\\c"}')).toBe('{"a":"b\\\\\\\\c"}');
  });
});

const DEPTS = ['司法所', '综合行政执法队', '信访办公室'];
const N = 1300; // rows per kind: COPY sends 500 rows a chunk, so several chunks

/** One workbook with kinds with and without personal fields, deadlines and a flow, and awkward characters. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const day = (i: number) => `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
  const t = wb.addWorksheet('培训与学法');
  t.addRow(['责任部门', '培训主题', '培训日期', '类型', '参训人数']);
  for (let i = 0; i < N; i++) t.addRow([DEPTS[i % 3], `专题培训${i}\t第二列？\\反斜杠`, day(i), '警示教育', i % 60]);
  const e = wb.addWorksheet('行政执法案件');
  e.addRow(['责任部门', '案号', '案由', '执法类别', '当事人', '决定日期', '重大执法决定', '罚没金额']);
  for (let i = 0; i < N; i++) e.addRow(['综合行政执法队', `沪执罚〔2025〕${i + 1}号`, `违法搭建\n第${i}处`, '行政处罚', `当事人${i}`, day(i), i % 20 === 0 ? '是' : '否', (i % 70) * 100]);
  const p = wb.addWorksheet('信访事项');
  p.addRow(['责任部门', '登记日期', '方式', '信访人', '事项']);
  for (let i = 0; i < N; i++) p.addRow(['信访办公室', day(i), i % 2 ? '来信' : '网上', `群众${i}`, `噪声扰民\r\n${i}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testDialects().filter((d) => d === 'postgres'))('bulk import through COPY on %s', (dialect) => {
  let viaCopy: TestStorage;
  let viaInsert: TestStorage;
  const copyConnections: boolean[] = [];
  const contexts: AppContext[] = [];

  beforeAll(async () => {
    viaCopy = await openTestStorage(dialect);
    viaInsert = await openTestStorage(dialect);
    const find = viaCopy.pgClientOf!;
    const copyStorage = { ...viaCopy, pgClientOf: (pid: number) => {
      const c = find(pid);
      copyConnections.push(c !== undefined);
      return c;
    } };
    // The same database code without the connection lookup: the batched INSERT path.
    const insertStorage = { ...viaInsert, pgClientOf: undefined };
    for (const s of [copyStorage, insertStorage]) {
      const ctx = createContext(s, () => new Date('2025-12-20T02:00:00Z'));
      await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: DEPTS }], []);
      contexts.push(ctx);
    }
  });
  afterAll(async () => {
    await viaCopy?.dispose();
    await viaInsert?.dispose();
  });

  const rowsOf = async (s: TestStorage) =>
    (await sql<Record<string, unknown>>`select * from records order by id`.execute(s.db)).rows.map(
      (r): Record<string, unknown> & { data: Record<string, unknown> } => ({ ...r, data: parseData(r.data), sealed: typeof (r.data as Record<string, unknown>).$pii }),
    );

  it('gives the rows, personal data, blind index, derived columns, audit entry and summary marks the INSERT path gives', async () => {
    const buf = await workbook();
    const [a, b] = (await Promise.all(contexts.map((ctx) => importFile(ctx, systemActor(), 'town', buf, { fileName: '台账.xlsx' })))) as [Awaited<ReturnType<typeof importFile>>, Awaited<ReturnType<typeof importFile>>];
    expect(a).toEqual(b);
    expect(a.created).toBe(3 * N);
    // The COPY path found its transaction's connection (one lookup per batch of rows).
    expect(copyConnections.length).toBeGreaterThan(0);
    expect(copyConnections.every(Boolean)).toBe(true);

    const [ra, rb] = [await rowsOf(viaCopy), await rowsOf(viaInsert)];
    expect(ra).toHaveLength(3 * N);
    expect(ra).toEqual(rb);
    // Personal fields are sealed at rest on both paths, and the awkward characters came through.
    const petition = ra.find((r) => r.kind === 'petition')!;
    expect(petition.sealed).toBe('string');
    expect(petition.pii_index).toBeTruthy();
    expect(petition.due_on).toBeTruthy();
    expect(petition.status).toBe('登记');
    expect(ra.find((r) => r.kind === 'training')!.data.title).toBe('专题培训0\t第二列？\\反斜杠');
    // The reader gives a cell's CRLF as LF (table-lines.ts); the newline itself went through COPY.
    expect(ra.find((r) => r.kind === 'petition')!.data.subject).toBe('噪声扰民\n0');
    expect(ra.find((r) => r.kind === 'enforcement_case')!.data.cause).toBe('违法搭建\n第0处');

    const audits = async (s: TestStorage) => (await sql<{ action: string; after: unknown }>`select action, after from audit_log where action = 'import' order by id`.execute(s.db)).rows.map((r) => [r.action, typeof r.after === 'string' ? JSON.parse(r.after) : r.after]);
    expect(await audits(viaCopy)).toEqual(await audits(viaInsert));
    expect(await audits(viaCopy)).toHaveLength(1);
    const marks = async (s: TestStorage) => (await sql<{ org_id: number; kind: string }>`select distinct org_id, kind from metric_dirty order by kind`.execute(s.db)).rows;
    expect((await marks(viaCopy)).map((m) => m.kind)).toEqual(expect.arrayContaining(['enforcement_case', 'petition', 'training']));
    expect(await marks(viaCopy)).toEqual(await marks(viaInsert));

    // Imported again, nothing changes on either path.
    for (const ctx of contexts) expect(await importFile(ctx, systemActor(), 'town', buf, { fileName: '台账.xlsx' })).toMatchObject({ created: 0, updated: 0, unchanged: 3 * N });
  }, 120_000); // thousands of rows written twice: minutes on a loaded machine, not the default 30 s
});
