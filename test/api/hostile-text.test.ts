/**
 * HTML, script, XML specials and a spreadsheet formula typed into every text field of every built-in
 * kind (issue 8: "HTML and script in every text field, rendered escaped in the documents"), on both
 * databases: stored and read back as typed, and in every document that carries record text — the
 * list's .xlsx, the town's whole .xlsx export, the 督办表, and the report as .docx, HTML and Markdown —
 * it is literal text: no element, no formula, no rich text. (The web app's side is in
 * test/browser/security.test.ts; the PDF's text in src/documents/document-escaping.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import fc from 'fast-check';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { BUILTIN_LEDGERS } from '../../src/core/ledgers/kinds';
import type { FieldDef, LedgerDef } from '../../src/core/ledgers/types';
import { validRecord } from '../support/ledger-arbitraries';

/** Starts with `=` (a formula if a spreadsheet took it as one), then markup and XML's specials. */
const HOSTILE = '=HYPERLINK("http://evil.example","点我")<script>alert("x")</script><img src=x onerror=alert(1)> & ]]> <w:p/> \'"';
const TEXT_TYPES = new Set<FieldDef['type']>(['text', 'longtext', 'person']);
const textFields = (def: LedgerDef) => def.fields.filter((f) => TEXT_TYPES.has(f.type));
/** The hostile text, numbered per field so that each cell can be told apart, within the field's length. */
const hostileFor = (def: LedgerDef, f: FieldDef) => `${def.kind}.${f.key}:${HOSTILE}`.slice(0, f.maxLength ?? 500);

/** One valid record of the kind, every text field hostile; a 联勤联动 event of 2023 reaches the report's text. */
function hostileRecord(def: LedgerDef, seed: number): Record<string, unknown> {
  const [data] = fc.sample(validRecord(def), { numRuns: 1, seed });
  const out: Record<string, unknown> = { ...data };
  for (const f of textFields(def)) out[f.key] = hostileFor(def, f);
  if (def.kind === 'work_event') Object.assign(out, { category: '联勤联动', happenedOn: '2023-06-01' });
  return out;
}

/** What every workbook must hold: no formula element, no rich text, the markup escaped in the sheet XML. */
async function checkWorkbook(buf: Buffer, what: string): Promise<ExcelJS.Workbook> {
  const zip = await JSZip.loadAsync(buf);
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    expect(xml, `${what}: ${name}`).not.toMatch(/<f[ >]/);
    expect(xml, `${what}: ${name}`).not.toContain('<script');
    expect(xml, `${what}: ${name}`).not.toContain('<img');
    expect(xml, `${what}: ${name}`).not.toContain(']]>');
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (String(cell.text).includes('<script')) expect(cell.type, `${what}: ${ws.name}!${cell.address}`).toBe(ExcelJS.ValueType.String);
      }),
    ),
  );
  return wb;
}

describe.each(testDialects())('HTML and script in every text field (%s)', (dialect) => {
  let h: ApiHarness;
  let office = '';
  let orgId = 0;
  let deptId = 0;
  const created = new Map<string, { id: number; data: Record<string, unknown> }>();

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2026-12-01T02:00:00Z'));
    office = await h.login('office');
    orgId = await h.orgId('town_a');
    deptId = await h.deptId('town_a', '司法所');
    for (const [i, def] of BUILTIN_LEDGERS.entries()) {
      if (!textFields(def).length) continue;
      const data = hostileRecord(def, 20261202 + i);
      const r = await h.req(office, 'POST', `/api/records/${def.kind}`, { deptId, data });
      expect(r.statusCode, `${def.kind}: ${r.body}`).toBe(201);
      created.set(def.kind, { id: r.json().id, data });
    }
  });
  afterAll(async () => h?.close());

  it('covers every built-in kind with a text field', () => {
    expect([...created.keys()].sort()).toEqual(BUILTIN_LEDGERS.filter((d) => textFields(d).length).map((d) => d.kind).sort());
    expect(created.size).toBeGreaterThan(10);
  });

  it('stores and reads back every text field exactly as typed', async () => {
    for (const def of BUILTIN_LEDGERS) {
      const c = created.get(def.kind);
      if (!c) continue;
      const r = await h.req(office, 'GET', `/api/records/${def.kind}/${c.id}`);
      expect(r.statusCode).toBe(200);
      for (const f of textFields(def)) expect(r.json().data[f.key], `${def.kind}.${f.key}`).toBe(hostileFor(def, f));
    }
  });

  it("puts it in each kind's list .xlsx as plain text in its own column", async () => {
    for (const def of BUILTIN_LEDGERS) {
      const c = created.get(def.kind);
      if (!c) continue;
      const r = await h.req(office, 'GET', `/api/records/${def.kind}/export.xlsx?ids=${c.id}`);
      expect(r.statusCode, `${def.kind}: ${r.body.slice(0, 200)}`).toBe(200);
      const wb = await checkWorkbook(r.rawPayload, `${def.kind} list`);
      const ws = wb.worksheets.find((w) => w.name === def.label) ?? wb.worksheets[0]!;
      const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      const row = ws.getRow(2);
      for (const f of textFields(def)) {
        const exact = head.indexOf(f.label);
        const col = exact >= 0 ? exact : head.findIndex((x) => x.startsWith(f.label));
        expect(col, `${def.kind}: column ${f.label} in ${head.join('|')}`).toBeGreaterThanOrEqual(0);
        const cell = row.getCell(col + 1);
        expect(cell.type, `${def.kind}.${f.key}`).toBe(ExcelJS.ValueType.String);
        expect(cell.value, `${def.kind}.${f.key}`).toBe(hostileFor(def, f));
      }
    }
  });

  it("keeps it plain text in the town's whole .xlsx export and in the 督办表", async () => {
    const all = await h.req(office, 'GET', `/api/export.xlsx?orgId=${orgId}`);
    expect(all.statusCode, all.body.slice(0, 200)).toBe(200);
    const wb = await checkWorkbook(all.rawPayload, 'whole export');
    const texts = new Set<string>();
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void texts.add(String(cell.value)))));
    for (const def of BUILTIN_LEDGERS) for (const f of created.has(def.kind) ? textFields(def) : []) expect(texts.has(hostileFor(def, f)), `${def.kind}.${f.key}`).toBe(true);

    const board = await h.req(office, 'GET', `/api/supervision.xlsx?orgId=${orgId}`);
    expect(board.statusCode, board.body.slice(0, 200)).toBe(200);
    await checkWorkbook(board.rawPayload, '督办表');
  });

  it("prints the record's words in the report as text: .docx, HTML and Markdown", async () => {
    const rep = await h.req(office, 'POST', '/api/reports', { orgId, year: 2023 });
    expect(rep.statusCode, rep.body).toBe(201);
    const id = rep.json().id;

    const html = await h.req(office, 'GET', `/api/reports/${id}/export?format=html`);
    expect(html.statusCode).toBe(200);
    expect(html.body).not.toContain('<script>alert');
    expect(html.body).not.toContain('<img src=x');
    expect(html.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');

    const docx = await h.req(office, 'GET', `/api/reports/${id}/export?format=docx`);
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('work_event.title:=HYPERLINK(&quot;http://evil.example&quot;,&quot;点我&quot;)&lt;script&gt;');

    const md = await h.req(office, 'GET', `/api/reports/${id}/export?format=md`);
    expect(md.statusCode).toBe(200);
    expect(md.body).not.toContain('<script>');
    expect(md.body).toContain('\\<script\\>alert("x")\\</script\\>');
  });
});
