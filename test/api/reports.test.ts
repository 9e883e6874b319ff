import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { inspectDocx } from '../../src/documents/docx-inspect';
import { startApi, type ApiHarness } from '../support/api';
import { TOWN_A_LINES } from '../acceptance/small-towns';

interface Run {
  text: string;
  metricKey?: string;
}
interface Para {
  id: string;
  heading?: string;
  runs: Run[];
  source: string;
}
interface Detail {
  id: number;
  state: string;
  title: string;
  document: { title: string; sections: { heading: string; paragraphs: Para[] }[] };
  warnings: { paragraphId?: string; metricKey: string; message: string }[];
}

const paragraphs = (d: Detail): Para[] => d.document.sections.flatMap((s) => s.paragraphs);
const textOf = (p: Para): string => p.runs.map((r) => r.text).join('');

describe.each(testDialects())('reports API on %s', (dialect) => {
  let h: ApiHarness;
  let office: string, leader: string, officeB: string, clerk: string, sup: string;
  /** A second person with the right to approve: the 系统管理员. */
  let office2: string;
  let townA: number;
  let id: number;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', TOWN_A_LINES);
    [office, leader, officeB, clerk, sup] = (await Promise.all(['office', 'leader', 'office_b', 'clerk_sfs', 'super'].map((u) => h.login(u)))) as [string, string, string, string, string];
    townA = await h.orgId('town_a');
    office2 = await h.login('admin');
  });
  afterAll(async () => h?.close());

  it('creates a report from the default template, once per year, by the 法治办 only', async () => {
    expect((await h.req(leader, 'POST', '/api/reports', { orgId: townA, year: 2023 })).statusCode).toBe(403);
    expect((await h.req(officeB, 'POST', '/api/reports', { orgId: townA, year: 2023 })).statusCode).toBe(403);
    const c = await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ orgId: townA, year: 2023, version: 1, state: '草稿', title: '甲镇2023年法治政府建设情况报告' });
    id = c.json().id;
    const again = await h.req(office, 'POST', '/api/reports', { orgId: townA, year: 2023 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已存在');
    const list = await h.req(leader, 'GET', '/api/reports?year=2023');
    expect(list.json().items).toEqual([expect.objectContaining({ id, state: '草稿', version: 1 })]);
    expect((await h.req(officeB, 'GET', '/api/reports')).json().items).toEqual([]);
  });

  it('renders the document with live figures, the paragraph sources and warnings beside paragraphs', async () => {
    const r = await h.req(leader, 'GET', `/api/reports/${id}`);
    expect(r.statusCode).toBe(200);
    const d = r.json() as Detail;
    expect(d.document.title).toBe('甲镇2023年法治政府建设情况报告');
    expect(d.document.sections.map((s) => s.heading.slice(0, 2))).toEqual(['', '一、', '二、', '三、', '四、']);
    const enforcement = paragraphs(d).find((p) => p.id === 'enforcement')!;
    expect(enforcement.heading).toBe('（四）严格规范公正文明执法，提升执法质效。');
    expect(textOf(enforcement)).toContain('全年组织专题培训2期，培训行政执法人员55人次');
    expect(enforcement.runs.find((x) => x.metricKey === 'training.enforcement_sessions')?.text).toBe('2');
    expect(enforcement.source).toContain('{{training.enforcement_sessions|int}}期');
    // No deputy suggestions: the satisfaction rate has no data, and the warning sits beside its paragraph.
    const w = d.warnings.find((x) => x.metricKey === 'deputy_suggestion.satisfaction_rate');
    expect(w).toMatchObject({ paragraphId: 'oversight' });
    expect(w!.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await h.req(officeB, 'GET', `/api/reports/${id}`)).statusCode).toBe(403);
    expect((await h.req(clerk, 'GET', `/api/reports/${id}`)).statusCode).toBe(403);
    expect((await h.req(sup, 'GET', `/api/reports/${id}`)).statusCode).toBe(200);
    expect((await h.req(office, 'GET', '/api/reports/99999')).statusCode).toBe(404);
  });

  it('edits a paragraph with the template syntax, rejecting bad sources in Chinese', async () => {
    const url = `/api/reports/${id}/paragraphs/shortcomings`;
    const source = '全年共组织各类培训{{training.count|int}}期，其中领导干部学法{{training.by_trainingType[领导干部学法]|int}}次，仍显不足。';
    expect((await h.req(leader, 'PUT', url, { source })).statusCode).toBe(403);
    const ok = await h.req(office, 'PUT', url, { source });
    expect(ok.statusCode).toBe(200);
    const p = paragraphs(ok.json() as Detail).find((x) => x.id === 'shortcomings')!;
    expect(textOf(p)).toBe('全年共组织各类培训3期，其中领导干部学法1次，仍显不足。');
    expect(p.source).toBe(source);
    const unknown = await h.req(office, 'PUT', url, { source: '共{{nope.count|int}}件' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('未知的指标');
    expect(unknown.json().error.fields[0]).toMatchObject({ field: 'source' });
    const unclosed = await h.req(office, 'PUT', url, { source: '共{{training.count|int件' });
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await h.req(office, 'PUT', url, { source: '  ' })).statusCode).toBe(400);
    expect((await h.req(office, 'PUT', `/api/reports/${id}/paragraphs/nope`, { source: 'x' })).statusCode).toBe(404);
    // The stored text is unchanged by the rejected edits.
    const again = (await h.req(office, 'GET', `/api/reports/${id}`)).json() as Detail;
    expect(paragraphs(again).find((x) => x.id === 'shortcomings')!.source).toBe(source);
  });

  it('moves 草稿 → 审核 → 草稿 → 审核 → 定稿, audited, and freezes figures and record lists', async () => {
    const state = (to: string, who = office) => h.req(who, 'POST', `/api/reports/${id}/state`, { to });
    expect((await state('审核', leader)).statusCode).toBe(403);
    const skip = await state('定稿');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.message).toBe('报告当前为“草稿”，不能改为“定稿”');
    expect((await state('作废')).statusCode).toBe(400);
    for (const to of ['审核', '草稿', '审核']) expect((await state(to)).json().state).toBe(to);
    // Issue 10: the one who submitted the report cannot approve it.
    const own = await state('定稿');
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toContain('提交审核的人不能自己定稿');
    const final = await state('定稿', office2);
    expect(final.statusCode).toBe(200);
    expect(final.json()).toMatchObject({ state: '定稿', frozenAt: expect.any(String), can: { edit: false, moves: [], newVersion: true } });
    expect((await state('草稿')).statusCode).toBe(409);
    const edit = await h.req(office, 'PUT', `/api/reports/${id}/paragraphs/shortcomings`, { source: '改' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toContain('已定稿');
    const audit = await h.storage.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity', '=', 'report')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'state', 'state', 'state', 'state']);
    expect(JSON.parse(audit.at(-1)!.after!)).toMatchObject({ state: '定稿' });

    // Later edits to records change neither the frozen figure nor its record list.
    const sfs = await h.deptId('town_a', '司法所');
    const add = await h.req(office, 'POST', '/api/records/training', {
      deptId: sfs,
      data: { title: '补录培训', heldOn: '2023-11-11', trainingType: '执法人员培训', attendees: 10 },
    });
    expect(add.statusCode).toBe(201);
    const frozen = (await h.req(leader, 'GET', `/api/reports/${id}`)).json() as Detail;
    expect(textOf(paragraphs(frozen).find((x) => x.id === 'enforcement')!)).toContain('专题培训2期，培训行政执法人员55人次');
    const recs = await h.req(leader, 'GET', `/api/reports/${id}/figures/training.enforcement_sessions/records`);
    expect(recs.json().total).toBe(2);
    // Editing or deleting a counted record after 定稿 leaves the frozen list as it was.
    const counted = recs.json().items[0] as { id: number; version: number; data: { attendees: number } };
    const edited = await h.req(office, 'PUT', `/api/records/training/${counted.id}`, { version: counted.version, data: { attendees: counted.data.attendees + 100 } });
    expect(edited.statusCode).toBe(200);
    expect((await h.req(office, 'DELETE', `/api/records/training/${counted.id}`)).statusCode).toBe(200);
    const still = (await h.req(leader, 'GET', `/api/reports/${id}/figures/training.enforcement_sessions/records`)).json().items as { id: number; deletedAt: string | null; data: { attendees: number } }[];
    expect(still.find((r) => r.id === counted.id)).toMatchObject({ deletedAt: null, data: { attendees: counted.data.attendees } });
    const restored = (await h.req(office, 'POST', `/api/records/training/${counted.id}/restore`)).json() as { version: number };
    await h.req(office, 'PUT', `/api/records/training/${counted.id}`, { version: restored.version, data: { attendees: counted.data.attendees } });
    const viaMetrics = await h.req(leader, 'GET', `/api/metrics/training.enforcement_sessions/records?reportId=${id}`);
    expect(viaMetrics.json().total).toBe(2);
    const entry = await h.req(leader, 'GET', `/api/reports/${id}/figures/${encodeURIComponent('training.by_trainingType[领导干部学法]')}/records`);
    expect(entry.json().items.map((r: { data: { title: string } }) => r.data.title)).toEqual(['党委中心组学法']);
    expect((await h.req(leader, 'GET', `/api/reports/${id}/figures/nope/records`)).statusCode).toBe(404);
  });

  it('drafts a new version from a 定稿 one, with live figures again', async () => {
    const v2 = await h.req(office, 'POST', `/api/reports/${id}/new-version`);
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, state: '草稿', year: 2023 });
    const d = (await h.req(office, 'GET', `/api/reports/${v2.json().id}`)).json() as Detail;
    expect(textOf(paragraphs(d).find((x) => x.id === 'enforcement')!)).toContain('专题培训3期，培训行政执法人员65人次');
    // The edited paragraph carries over.
    expect(paragraphs(d).find((x) => x.id === 'shortcomings')!.source).toContain('{{training.count|int}}');
    expect((await h.req(office, 'POST', `/api/reports/${id}/new-version`)).statusCode).toBe(409);
    expect((await h.req(office, 'POST', `/api/reports/${v2.json().id}/new-version`)).statusCode).toBe(409);
    const list = (await h.req(office, 'GET', `/api/reports?orgId=${townA}&year=2023`)).json().items;
    expect(list.map((r: { version: number }) => r.version)).toEqual([2, 1]);
  });

  it('exports docx, html, md and json, audited; pdf says what to install when LibreOffice is missing', async () => {
    const docx = await h.req(leader, 'GET', `/api/reports/${id}/export?format=docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toContain(encodeURIComponent('甲镇2023年法治政府建设情况报告.docx'));
    const inspected = await inspectDocx(docx.rawPayload);
    expect(inspected.paragraphs[0]!.text).toBe('甲镇2023年法治政府建设情况报告');
    const html = await h.req(leader, 'GET', `/api/reports/${id}/export?format=html`);
    expect(html.headers['content-type']).toContain('text/html');
    // Issue 10: each figure names its metric's definition and the (frozen) records it counts.
    const frozenIds = ((await h.req(leader, 'GET', `/api/reports/${id}/figures/training.enforcement_sessions/records`)).json().items as { id: number }[]).map((r) => r.id);
    expect(frozenIds).toHaveLength(2);
    const span = /专题培训<span class="figure" data-metric="training.enforcement_sessions" title="([^"]+)" data-definition="[^"]+" data-records="([\d,]+)">2<\/span>期/.exec(html.body);
    expect(span?.[1]).toContain('培训');
    expect(span?.[2]!.split(',').map(Number).sort()).toEqual([...frozenIds].sort());
    const md = await h.req(leader, 'GET', `/api/reports/${id}/export?format=md`);
    expect(md.body).toContain('# 甲镇2023年法治政府建设情况报告');
    const json = await h.req(leader, 'GET', `/api/reports/${id}/export?format=json`);
    const jdoc = JSON.parse(json.body);
    expect(jdoc).toMatchObject({ title: '甲镇2023年法治政府建设情况报告', signature: { issuer: '测试区甲镇人民政府', date: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日$/) } });
    const jfig = jdoc.sections.flatMap((s: { paragraphs: { runs: { metricKey?: string }[] }[] }) => s.paragraphs).flatMap((p: { runs: unknown[] }) => p.runs).find((r: { metricKey?: string }) => r.metricKey === 'training.enforcement_sessions');
    expect(jfig).toMatchObject({ definition: expect.stringContaining('培训'), recordIds: expect.arrayContaining(frozenIds) });
    expect(jfig.recordIds).toHaveLength(2);
    expect((await h.req(leader, 'GET', `/api/reports/${id}/export?format=exe`)).statusCode).toBe(400);

    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const pdf = await h.req(leader, 'GET', `/api/reports/${id}/export?format=pdf`);
      expect(pdf.statusCode).toBe(503);
      expect(pdf.json().error.message).toContain('libreoffice-writer-nogui');
    } finally {
      process.env.PATH = path;
    }
    const exports = await h.storage.db.selectFrom('audit_log').select(['detail', 'username']).where('entity', '=', 'report').where('action', '=', 'export').execute();
    expect(exports.map((e) => e.detail!.split('（')[0])).toEqual(['docx', 'html', 'md', 'json']);
    expect(exports[0]!.username).toBe('leader');
  });
});
