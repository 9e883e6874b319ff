/**
 * The 政府信息公开工作年度报告 end to end: a year of requests (with the bad inputs of the issue), the
 * report through the API, every output format, the cross-checks, cell records live and frozen, and
 * the same numbers in .docx, .xlsx and JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { findAll, parseXml, wText } from '../../src/documents/docx-xml';
import { disclosureRequestYear } from '../../src/demo/gen/disclosure';
import { createRng } from '../../src/demo/prng';
import { COLUMN_KEYS, REPLY_REASONS, type DisclosureReportJson } from '../../src/core/disclosure';
import { startApi, type ApiHarness } from '../support/api';
import { sweepReportDuties } from '../../src/app/report-duties';
import { EXTRA_COMMANDS } from '../../src/cli/commands';
import { parseArgs } from '../../src/cli/args';
import { findSoffice } from '../../src/documents/pdf';

const DEPT = '党政办公室';
const asLines = (values: readonly object[]) => values.map((value, i) => ({ line: i + 1, value })) as never;

/** Table 三's numbers in the order of the national format, from the JSON. */
function requestNumbers(j: DisclosureReportJson): number[] {
  const r = j.requests;
  const rows = [r.new, r.carriedIn, r.granted, r.partial, ...Object.values(r.refused), ...Object.values(r.unavailable), ...Object.values(r.notProcessed), ...Object.values(r.otherHandling), r.handledTotal, r.carriedOut];
  return rows.flatMap((c) => COLUMN_KEYS.map((k) => c[k]));
}
function proactiveNumbers(j: DisclosureReportJson): number[] {
  const p = j.proactive;
  return [p.regulations.issued, p.regulations.repealed, p.regulations.inForce, p.normativeDocuments.issued, p.normativeDocuments.repealed, p.normativeDocuments.inForce, p.licensing, p.penalties, p.coercion, p.feesWan];
}
function reviewNumbers(j: DisclosureReportJson): number[] {
  return [j.review.reconsideration, j.review.litigationDirect, j.review.litigationAfterReconsideration].flatMap((r) => [r.upheld, r.corrected, r.other, r.pending, r.total]);
}
const numeric = (s: string) => /^\d+(\.\d+)?$/.test(s);

describe.each(testDialects())('政府信息公开工作年度报告 on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, sup: string, leader: string;
  let townA: number;
  let id: number;
  let json: DisclosureReportJson;
  const special: Record<string, number> = {};

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    const lines = [
      ...disclosureRequestYear(createRng(7), 2023, 80, '2024-01-20', DEPT),
      // Received on 31 December, replied on 2 January: 结转 in 2023.
      { kind: 'disclosure_request', dept: DEPT, applicant: '跨年', applicantType: '商业企业', receivedOn: '2023-12-31', content: '跨年申请', status: '已答复', repliedOn: '2024-01-02', replyType: '予以公开' },
      // Replied without an outcome: left out, with a warning.
      { kind: 'disclosure_request', dept: DEPT, applicant: '无结果', applicantType: '自然人', receivedOn: '2023-05-04', content: '已答复但无答复类型', repliedOn: '2023-05-20' },
      // The spec's wordings on import.
      { kind: 'disclosure_request', dept: DEPT, applicant: '撤回', applicantType: '自然人', receivedOn: '2023-06-01', content: '申请人主动撤销的申请', repliedOn: '2023-06-05', replyType: '其他', replyReason: '申请人主动撤销' },
      { kind: 'normative_document', dept: DEPT, docNumber: '甲府规〔2021〕1号', title: '已废止但无日期的文件', issuedOn: '2021-03-01', state: '已废止' },
      { kind: 'normative_document', dept: DEPT, docNumber: '甲府规〔2023〕1号', title: '本年制发', issuedOn: '2023-03-01', filedOn: '2023-03-10', state: '有效' },
      { kind: 'normative_document', dept: DEPT, docNumber: '甲府规〔2020〕2号', title: '本年废止', issuedOn: '2020-03-01', repealedOn: '2023-09-01', state: '已废止' },
      { kind: 'enforcement_case', dept: '综合行政执法队', caseNumber: '甲执〔2023〕1号', cause: '占道经营', actionType: '行政处罚', decidedOn: '2023-04-01', disclosedOn: '2023-04-03' },
      { kind: 'indicator', dept: DEPT, code: 'admin_fees_wan', period: '2023-03', value: 1.2345 },
      { kind: 'indicator', dept: DEPT, code: 'disclosure_fees_yuan', period: '2023-12', value: 30 },
      { kind: 'litigation', dept: DEPT, caseNumber: '甲复〔2023〕1号', caseType: '行政复议', cause: '政府信息公开答复', receivedOn: '2023-03-01', defendedOn: '2023-03-10', outcome: '撤销', closedOn: '2023-05-01', disclosureRelated: true },
      { kind: 'litigation', dept: DEPT, caseNumber: '（2023）行初1号', caseType: '行政诉讼一审', cause: '政府信息公开答复', receivedOn: '2023-04-01', defendedOn: '2023-04-10', outcome: '驳回', closedOn: '2023-08-01', disclosureRelated: true, afterReconsideration: true },
      { kind: 'litigation', dept: DEPT, caseNumber: '（2023）行终1号', caseType: '行政诉讼二审', cause: '政府信息公开答复', receivedOn: '2023-09-01', defendedOn: '2023-09-10', disclosureRelated: true },
    ];
    await importLines(h.ctx, systemActor(), 'town_a', asLines(lines));
    [office, sup, leader] = (await Promise.all(['office', 'super', 'leader'].map((u) => h.login(u)))) as [string, string, string];
    townA = await h.orgId('town_a');
    // Records written before the new ledger version: no applicant type; the old 其他 without a sub-item.
    const ids = (await h.storage.db.selectFrom('records').select('id').where('kind', '=', 'disclosure_request').orderBy('id').limit(2).execute()).map((r) => Number(r.id));
    special.noType = ids[0]!;
    special.oldOther = ids[1]!;
    const set = async (rid: number, patch: string) =>
      dialect === 'sqlite'
        ? sql`update records set data = jsonb(json_patch(json(data), ${patch})), closed_on = '2023-02-01' where id = ${rid}`.execute(h.storage.db)
        : sql`update records set data = data || ${patch}::jsonb, closed_on = '2023-02-01' where id = ${rid}`.execute(h.storage.db);
    await set(special.noType, JSON.stringify({ receivedOn: '2023-01-20', repliedOn: '2023-02-01', replyType: '予以公开', applicantType: null }));
    await set(special.oldOther, JSON.stringify({ receivedOn: '2023-01-20', repliedOn: '2023-02-01', replyType: '其他', replyReason: null, applicantType: '自然人' }));
    if (dialect === 'postgres') await sql`update records set data = data - 'applicantType' where id = ${special.noType}`.execute(h.storage.db);
    await sql`update records set occurred_on = '2023-01-20' where id in (${special.noType}, ${special.oldOther})`.execute(h.storage.db);
  });
  afterAll(async () => h?.close());

  it('refuses bad input on import, naming the field', async () => {
    const bad = [
      { kind: 'disclosure_request', dept: DEPT, applicant: 'x', applicantType: '自然人', receivedOn: '2023-06-01', content: 'x', repliedOn: '2023-06-05', replyType: '不予公开', replyReason: '重复申请' },
      { kind: 'disclosure_request', dept: DEPT, applicant: 'y', receivedOn: '2023-06-01', content: 'y' },
    ];
    await expect(importLines(h.ctx, systemActor(), 'town_a', asLines(bad))).rejects.toThrow(/第1行：具体情形：“重复申请”不属于“不予公开”的情形[\s\S]*第2行：申请人类型：必填/);
  });

  it('creates the second report type beside the first, once per year and type', async () => {
    const c = await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023, type: 'disclosure' });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ type: 'disclosure', state: '草稿', title: '甲镇2023年政府信息公开工作年度报告' });
    id = c.json().id;
    expect((await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023, type: 'disclosure' })).statusCode).toBe(409);
    expect((await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 })).json()).toMatchObject({ type: 'rule_of_law', version: 1 });
    expect((await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023, type: 'nope' })).statusCode).toBe(400);
    const list = (await h.req(leader, 'GET', '/api/reports?year=2023&type=disclosure')).json().items;
    expect(list).toEqual([expect.objectContaining({ id, type: 'disclosure' })]);
  });

  it('writes the JSON exactly in the spec shape, with every cross-check holding and the bad records in the warnings', async () => {
    const r = await h.req(office, 'GET', `/api/reports/${id}/export?format=json`);
    expect(r.statusCode).toBe(200);
    json = r.json();
    expect(Object.keys(json)).toEqual(['type', 'org', 'year', 'proactive', 'requests', 'review', 'checks', 'warnings']);
    expect(json).toMatchObject({ type: 'disclosure', org: '甲镇', year: 2023 });
    expect(Object.keys(json.requests)).toEqual(['new', 'carriedIn', 'granted', 'partial', 'refused', 'unavailable', 'notProcessed', 'otherHandling', 'handledTotal', 'carriedOut']);
    expect(Object.keys(json.requests.refused)).toEqual([...REPLY_REASONS.不予公开]);
    expect(Object.keys(json.requests.new)).toEqual([...COLUMN_KEYS]);
    expect(json.checks.length).toBe(7 + 7 + 25);
    expect(json.checks.every((c) => c.ok)).toBe(true);
    const r3 = json.requests;
    for (const c of COLUMN_KEYS) expect(r3.new[c] + r3.carriedIn[c]).toBe(r3.handledTotal[c] + r3.carriedOut[c]);
    expect(r3.carriedIn.total).toBeGreaterThan(0);
    expect(r3.carriedOut.business).toBeGreaterThanOrEqual(1);
    expect(r3.otherHandling.其他!.natural).toBeGreaterThanOrEqual(1);
    expect(json.proactive).toMatchObject({ normativeDocuments: { issued: 1, repealed: 1, inForce: 2 }, penalties: 1, feesWan: 1.2345, regulations: { issued: 0, repealed: 0, inForce: 0 } });
    // 二审 not counted; 复议 撤销 → 纠正; 一审 after reconsideration 驳回 → 维持.
    expect(json.review).toEqual({
      reconsideration: { upheld: 0, corrected: 1, other: 0, pending: 0, total: 1 },
      litigationDirect: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
      litigationAfterReconsideration: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
    });
    const warned = json.warnings.map((w) => `${w.kind}#${w.recordId}:${w.message}`);
    expect(warned).toEqual(
      expect.arrayContaining([
        `disclosure_request#${special.noType}:未填写申请人类型，未计入表三`,
        `disclosure_request#${special.oldOther}:答复类型为“其他处理”（旧值“其他”按“其他处理”计）但未填写具体情形，未计入表三`,
        expect.stringMatching(/^disclosure_request#\d+:已答复但未填写答复类型，未计入表三$/),
        expect.stringMatching(/^normative_document#\d+:状态为“已废止”但未填写废止日期/),
      ]),
    );
    expect(json.warnings).toHaveLength(4);
  });

  it('writes every format from the CLI (`report --type disclosure`), with the same numbers as the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fazhi-disclosure-cli-'));
    const run = async (format: string) => {
      const out = join(dir, `r.${format}`);
      const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        const p = parseArgs(['report', '--org', 'town_a', '--year', '2023', '--type', 'disclosure', '--format', format, '--out', out]);
        await EXTRA_COMMANDS.find((c) => c.matches(p))!.run(h.ctx, p);
      } finally {
        spy.mockRestore();
      }
      return readFileSync(out);
    };
    try {
      expect(JSON.parse((await run('json')).toString('utf8'))).toEqual(json);
      const md = (await run('md')).toString('utf8');
      expect(md).toContain(`本年共受理政府信息公开申请${json.requests.new.total}件`);
      expect((await run('html')).toString('utf8')).toContain('data-figure="disclosure.requests.handledTotal.total"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await run('xlsx')) as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['表二 主动公开', '表三 申请情况', '表四 复议诉讼']));
      const docx = parseXml(await (await JSZip.loadAsync(await run('docx'))).file('word/document.xml')!.async('string'));
      expect(findAll(findAll(docx, 'w:tbl')[1]!, 'w:tc').map(wText).filter(numeric).map(Number)).toEqual(requestNumbers(json));
      // Where LibreOffice is installed (CI installs it): the PDF says what the report says.
      if (findSoffice()) {
        const pdf = await run('pdf');
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        expect(text).toContain(`本年共受理政府信息公开申请${json.requests.new.total}件`);
        expect(text).toContain('本列数据的勾稽关系为');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('shows the tables in the report view, and every cell lists its records (上年结转: the previous year\'s)', async () => {
    const v = (await h.req(leader, 'GET', `/api/reports/${id}`)).json();
    expect(v.document.sections.map((s: { heading: string }) => s.heading)).toEqual([
      '',
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
    const text = v.document.sections[1].paragraphs.map((p: { runs: { text: string }[] }) => p.runs.map((r) => r.text).join('')).join('');
    expect(text).toContain(`本年共受理政府信息公开申请${json.requests.new.total}件`);
    expect(v.document.sections[3].tables[0].note).toContain('勾稽关系');
    expect(v.warnings.some((w: { record?: { id: number } }) => w.record?.id === special.noType)).toBe(true);
    const cell = async (key: string) => (await h.req(leader, 'GET', `/api/reports/${id}/cells/${encodeURIComponent(key)}/records?pageSize=500`)).json();
    const carried = await cell('disclosure.requests.carriedIn.total');
    expect(carried.total).toBe(json.requests.carriedIn.total);
    expect(carried.items.every((r: { data: { receivedOn: string } }) => r.data.receivedOn < '2023-01-01')).toBe(true);
    const partial = await cell('disclosure.requests.partial.natural');
    expect(partial.total).toBe(json.requests.partial.natural);
    expect(partial.items.every((r: { data: { replyType: string; applicantType: string } }) => r.data.replyType === '部分公开' && r.data.applicantType === '自然人')).toBe(true);
    expect((await h.req(leader, 'GET', `/api/reports/${id}/cells/nope/records`)).statusCode).toBe(404);
  });

  it('carries the same numbers in .docx (merged headers, 小四 cells, rows kept whole) and .xlsx as in the JSON', async () => {
    const docx = await h.req(office, 'GET', `/api/reports/${id}/export?format=docx`);
    expect(docx.statusCode).toBe(200);
    const xml = parseXml(await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string'));
    const tables = findAll(xml, 'w:tbl');
    expect(tables).toHaveLength(3);
    const nums = (t: (typeof tables)[number]) => findAll(t, 'w:tc').map(wText).filter(numeric).map(Number);
    expect(nums(tables[0]!)).toEqual(proactiveNumbers(json));
    expect(nums(tables[1]!)).toEqual(requestNumbers(json));
    expect(nums(tables[2]!)).toEqual(reviewNumbers(json));
    expect(findAll(tables[1]!, 'w:gridSpan').length).toBeGreaterThan(0);
    expect(findAll(tables[1]!, 'w:vMerge').length).toBeGreaterThan(0);
    expect(findAll(tables[1]!, 'w:tr').every((tr) => findAll(tr, 'w:cantSplit').length === 1)).toBe(true);
    expect(findAll(tables[1]!, 'w:sz').every((s) => s.attrs['w:val'] === '24')).toBe(true);
    expect(wText(xml)).toContain('本列数据的勾稽关系为');

    const xlsx = await h.req(office, 'GET', `/api/reports/${id}/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const sheetNums = (name: string) => {
      const out: number[] = [];
      wb.getWorksheet(name)!.eachRow((row) => row.eachCell((c) => {
        if (c.isMerged && c.master.address !== c.address) return;
        if (typeof c.value === 'number') out.push(c.value);
      }));
      return out;
    };
    expect(sheetNums('表二 主动公开')).toEqual(proactiveNumbers(json));
    expect(sheetNums('表三 申请情况')).toEqual(requestNumbers(json));
    expect(sheetNums('表四 复议诉讼')).toEqual(reviewNumbers(json));

    const html = (await h.req(office, 'GET', `/api/reports/${id}/export?format=html`)).body;
    expect(html).toContain('data-figure="disclosure.requests.new.total"');
    expect(html).toContain('rowspan="22"');
    const md = (await h.req(office, 'GET', `/api/reports/${id}/export?format=md`)).body;
    expect(md).toContain(`| 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | ${COLUMN_KEYS.map((c) => json.requests.new[c]).join(' | ')} |`);
  });

  it('goes 草稿 → 审核 → 定稿 with the snapshot; frozen cells keep their records', async () => {
    expect((await h.req(office, 'POST', `/api/reports/${id}/state`, { to: '审核' })).statusCode).toBe(200);
    // 定稿 by a second person (issue 10's generic rule: the one who submitted cannot approve).
    expect((await h.req(office, 'POST', `/api/reports/${id}/state`, { to: '定稿' })).statusCode).toBe(409);
    const fin = await h.req(await h.login('admin'), 'POST', `/api/reports/${id}/state`, { to: '定稿' });
    expect(fin.statusCode).toBe(200);
    expect(fin.json().state).toBe('定稿');
    const frozen = (await h.req(leader, 'GET', `/api/reports/${id}/cells/${encodeURIComponent('disclosure.requests.carriedIn.total')}/records?pageSize=500`)).json();
    expect(frozen.total).toBe(json.requests.carriedIn.total);
    // A later edit changes nothing in the frozen JSON.
    await importLines(h.ctx, systemActor(), 'town_a', asLines([{ kind: 'disclosure_request', dept: DEPT, applicant: '后补', applicantType: '自然人', receivedOn: '2023-07-01', content: '后补录' }]));
    const again = (await h.req(sup, 'GET', `/api/reports/${id}/export?format=json`)).json();
    expect(again.requests.new.total).toBe(json.requests.new.total);
  });

  it('shows the 区级督察 every town side by side, the district total re-checked, and who has not reached 定稿', async () => {
    await importLines(h.ctx, systemActor(), 'town_b', asLines(disclosureRequestYear(createRng(11), 2023, 15, '2024-01-20', '司法所')));
    const qu = await h.orgId('qu');
    expect((await h.req(office, 'GET', `/api/district/disclosure?orgId=${qu}&year=2023`)).statusCode).toBe(403);
    const r = await h.req(sup, 'GET', `/api/district/disclosure?orgId=${qu}&year=2023`);
    expect(r.statusCode).toBe(200);
    const v = r.json();
    expect(v.dueOn).toBe('2024-01-31');
    expect(v.towns.map((t: { name: string; source: string; final: string }) => [t.name, t.source, t.final])).toEqual([
      ['甲镇', 'frozen', '已定稿'],
      ['乙镇', 'live', '未定稿'],
    ]);
    expect(v.notFinal).toEqual([expect.objectContaining({ name: '乙镇', final: '未定稿' })]);
    const [a, b] = v.towns as { tables: DisclosureReportJson }[];
    for (const c of COLUMN_KEYS) expect(v.total.requests.new[c]).toBe(a!.tables.requests.new[c] + b!.tables.requests.new[c]);
    expect(v.total.requests.refused['属于国家秘密'].total).toBe(a!.tables.requests.refused['属于国家秘密']!.total + b!.tables.requests.refused['属于国家秘密']!.total);
    expect(v.total.review.reconsideration.total).toBe(1);
    expect(v.total.checks).toHaveLength(39);
    expect(v.total.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    const x = await h.req(sup, 'GET', `/api/district/disclosure/export?orgId=${qu}&year=2023`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['各镇对比', '测试区合计', '甲镇', '乙镇', '定稿情况']);
    const side = wb.getWorksheet('各镇对比')!;
    const newRow = side.getRow(3).values as unknown[];
    expect(newRow.slice(1)).toEqual(['表三 一、本年新收', a!.tables.requests.new.total, b!.tables.requests.new.total, v.total.requests.new.total]);
  });

  it('treats the reports as dated duties: reminders to the 法治办 from 1 January, gone once 定稿', async () => {
    const d = (await h.req(office, 'GET', '/api/todo/reports')).json().items;
    // 甲镇's disclosure report is 定稿; its 法治政府建设情况报告 is still a draft, due by 1 April.
    expect(d.map((x: { type: string; orgName: string; state: string; dueOn: string; reportState: string | null }) => [x.orgName, x.type, x.state, x.dueOn, x.reportState])).toEqual([
      ['甲镇', 'rule_of_law', '临期', '2024-04-01', '草稿'],
    ]);
    const all = (await h.req(sup, 'GET', '/api/todo/reports')).json().items;
    expect(all.filter((x: { orgName: string }) => x.orgName === '乙镇').map((x: { type: string }) => x.type)).toEqual(['rule_of_law', 'disclosure']);
    const first = await sweepReportDuties(h.ctx);
    expect(first.notified).toBe(3);
    expect((await sweepReportDuties(h.ctx)).notified).toBe(0);
    const mine = (await h.req(office, 'GET', '/api/notifications')).json().items.map((n: { title: string }) => n.title);
    expect(mine).toContain('待完成：甲镇2023年法治政府建设情况报告');
  });
});
