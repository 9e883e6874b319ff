/**
 * Acceptance test of issue 4: the 庙行镇 2022–2023 fixture is imported, the 2023 report is generated
 * through the API, its metrics equal the spec's table, and the .docx (opened with a real parser) and
 * the Markdown carry each figure in its sentence in the GB/T 9704 layout. A record added to 2023
 * changes a draft's figure and not a 定稿 one.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines, parseJsonl } from '../../src/app/exchange';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { MIAOHANG } from '../../src/demo/town';
import { inspectDocx } from '../../src/documents/docx-inspect';
import { setOrgIssuingName } from '../../src/app/report-signature';
import { findSoffice } from '../../src/documents/pdf';
import { markdownPlainText, pdfPlainText, sentencesOf } from '../../src/documents/pdf-fidelity';
import { PASSWORD, startApi, type ApiHarness } from '../support/api';

const FIXTURE = new URL('../fixtures/miaohang-2022-2023.jsonl', import.meta.url);

/** The spec's table ("Metrics", ../shared/domain/ledgers.md): 庙行镇 2023. */
const SPEC_TABLE: Record<string, number> = {
  'indicator.fraud_110_calls_yoy': -0.123,
  'indicator.fraud_criminal_cases_yoy': -0.11,
  'work_event.honours': 1,
  'enforcement_case.major_reviewed': 19,
  'enforcement_case.major_corrected': 0,
  'training.enforcement_sessions': 35,
  'training.enforcement_attendees': 751,
  'deputy_suggestion.handled': 6,
  'deputy_suggestion.satisfaction_rate': 1,
  'procuratorial_recommendation.replied': 6,
  'publicity_activity.count': 658,
  'publicity_activity.materials': 11150,
  'legal_consultation.persons': 3405,
  beneficiaries: 7580,
};

/** Each figure of the reference report, in the sentence that carries it. */
const SENTENCES: [figure: string, sentence: RegExp][] = [
  ['下降12.3%、11.0%', /诈骗类“110”警情接警数和诈骗类刑事案件数同比分别下降12\.3%、11\.0%/],
  ['19件', /重大行政执法决定法制审核19件/],
  ['0件', /被行政复议、行政诉讼纠错0件/],
  ['35期', /专题培训35期/],
  ['751人次', /培训行政执法人员751人次/],
  ['6件', /政协委员提案6件/],
  ['100%', /满意率100%/],
  ['6份', /回复上海市宝山区人民检察院检察建议书6份/],
  ['658场次', /法治宣传教育活动658场次/],
  ['11150份', /发放宣传资料和宣传品11150份/],
  ['3405人次', /接待法律咨询3405人次/],
  ['7580人', /惠及群众7580人/],
  // The honour's name, once, in quotes: not the title of the record announcing it.
  ['上海市平安示范社区', /2023年，庙行镇获评“上海市平安示范社区”。/],
];

describe.each(testDialects())('acceptance: 庙行镇 2023 report on %s', (dialect) => {
  let h: ApiHarness;
  let office: string;
  let reviewer: string;
  let orgId: number;
  let draftId: number;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await seedOrgsAndUsers(
      h.ctx,
      [
        { code: 'baoshan', name: '宝山区', level: '区', depts: ['区司法局'] },
        { code: MIAOHANG.code, name: MIAOHANG.name, level: '镇', parent: 'baoshan', depts: [...MIAOHANG.depts] },
      ],
      [
        { username: 'mh_office', displayName: '庙行镇法治办', role: 'office', org: MIAOHANG.code, password: PASSWORD },
        // 审核 and 定稿 are two people (issue 10).
        { username: 'mh_reviewer', displayName: '庙行镇法治办审核人', role: 'office', org: MIAOHANG.code, password: PASSWORD },
      ],
    );
    const parsed = parseJsonl(readFileSync(FIXTURE, 'utf8'));
    expect(parsed.errors).toEqual([]);
    const r = await importLines(h.ctx, systemActor(), MIAOHANG.code, parsed.lines, { source: 'fixture' });
    expect(r.imported).toBe(parsed.lines.length);
    office = await h.login('mh_office');
    reviewer = await h.login('mh_reviewer');
    orgId = await h.orgId(MIAOHANG.code);
  }, 120_000);
  afterAll(async () => h?.close());

  it('computes the metrics of the spec table', async () => {
    const res = await h.req(office, 'GET', `/api/metrics?orgId=${orgId}&year=2023`);
    expect(res.statusCode).toBe(200);
    const { values, sources } = res.json() as { values: Record<string, unknown>; sources: Record<string, { explain: string }> };
    for (const [key, expected] of Object.entries(SPEC_TABLE)) {
      const v = values[key];
      expect(typeof v, key).toBe('number');
      if (key.endsWith('_yoy')) expect(v as number, key).toBeCloseTo(expected, 3);
      else expect(v, key).toBe(expected);
    }
    expect(sources['enforcement_case.major_reviewed']!.explain).toContain('法制审核日期');
  });

  it('generates the 2023 report whose .docx and Markdown carry every figure in its sentence', async () => {
    const c = await h.req(office, 'POST', '/api/reports', { orgId, year: 2023 });
    expect(c.statusCode).toBe(201);
    draftId = c.json().id;
    expect(c.json()).toMatchObject({ state: '草稿', version: 1, title: '庙行镇2023年法治政府建设情况报告' });

    const md = await h.req(office, 'GET', `/api/reports/${draftId}/export?format=md`);
    expect(md.statusCode).toBe(200);
    const docx = await h.req(office, 'GET', `/api/reports/${draftId}/export?format=docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const d = await inspectDocx(docx.rawPayload);
    const docxText = d.paragraphs.map((p) => p.text).join('\n');
    for (const [figure, sentence] of SENTENCES) {
      expect(md.body, `Markdown: ${figure}`).toMatch(sentence);
      expect(docxText, `.docx: ${figure}`).toMatch(sentence);
    }

    // GB/T 9704: A4, margins 37/35/28/26 mm, 22 lines of 28 characters, the official fonts.
    expect(d.pageSize).toEqual({ width: 11906, height: 16838 });
    expect(d.margins).toMatchObject({ top: 2098, bottom: 1984, left: 1587, right: 1474 });
    expect(d.grid).toMatchObject({ linePitch: 579 });
    expect(d.paragraphs[0]).toMatchObject({ style: 'GwTitle', text: '庙行镇2023年法治政府建设情况报告' });
    expect(d.styles.get('GwTitle')).toMatchObject({ size: 44, fonts: expect.objectContaining({ eastAsia: '方正小标宋简体' }) });
    expect(d.styles.get('GwBody')).toMatchObject({ size: 32, fonts: expect.objectContaining({ eastAsia: '仿宋_GB2312' }) });
    expect(d.styles.get('GwHeading1')?.fonts?.eastAsia).toBe('黑体');
    expect(d.styles.get('GwHeading2')?.fonts?.eastAsia).toBe('楷体_GB2312');
    expect(d.paragraphs.filter((p) => p.style === 'GwHeading1').map((p) => p.text.slice(0, 2))).toEqual(['一、', '二、', '三、', '四、']);
  }, 60_000);

  it('draws the town’s own words from its ledgers (issue 10), next year’s tasks once each', async () => {
    // A 2024 task entered twice (by two departments): part 四 names it once.
    const dup = await h.req(office, 'POST', '/api/records/task', {
      orgId,
      deptId: await h.deptId(MIAOHANG.code, '司法所'),
      data: { title: '组织行政执法人员专题培训', area: '规范执法', leadDept: '司法所', dueOn: '2024-12-25', progress: '推进中', progressNote: '已制定培训方案。' },
    });
    expect(dup.statusCode).toBe(201);
    // The same task with the same note a third time: its note is written once.
    const dup2 = await h.req(office, 'POST', '/api/records/task', {
      orgId,
      deptId: await h.deptId(MIAOHANG.code, '综合行政执法队'),
      data: { title: '组织行政执法人员专题培训', area: '规范执法', leadDept: '综合行政执法队', dueOn: '2024-12-25', progress: '推进中', progressNote: '已制定培训方案' },
    });
    expect(dup2.statusCode).toBe(201);
    const md = (await h.req(office, 'GET', `/api/reports/${draftId}/export?format=md`)).body;
    for (const specific of [
      '推动建立“片长、路长、专员”联勤联动机制',
      '持续开展轨交1号线站点周边环境专项治理、架空线入地和合杆整治。',
      '处置汛期暴雨积水和市政管网满管',
      '应对低温雨雪冰冻天气',
      '回复上海市宝山区人民检察院检察建议书6份',
    ])
      expect(md).toContain(specific);
    const plan = /2024年，我镇已将(.*)等列为年度法治政府建设重点任务/.exec(md)?.[1] ?? '';
    const titles = plan.split('、');
    expect(titles).toHaveLength(5);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toContain('“组织行政执法人员专题培训”');
    // …and what is already under way for them, from the tasks' progress notes, each task once.
    expect(md).toContain('目前，制定2024年度法治政府建设工作要点与责任分工：已制定方案，正在组织实施。组织行政执法人员专题培训：已制定培训方案。');
    expect(md.match(/组织行政执法人员专题培训：/g)).toHaveLength(1);
    // The statutory headings, with the year and the org unit (part 三 as in the reference report, in
    // the regulation's words).
    expect(md).toContain('## 三、庙行镇党政主要负责人2023年度履行推进法治建设第一责任人职责，加强法治政府建设的有关情况');
    // The editor lists where the generated words come from, and what is still template text.
    const v = (await h.req(office, 'GET', `/api/reports/${draftId}`)).json();
    const duties = v.document.sections.flatMap((x: { paragraphs: unknown[] }) => x.paragraphs).find((p: { id: string }) => p.id === 'duties');
    expect(duties.generated).toBe(true);
    expect(duties.sources.map((x: { label: string }) => x.label)).toEqual(expect.arrayContaining(['联勤联动事项', '专项治理事项', '应急处置事项']));
    expect(duties.sources.every((x: { recordIds: number[] }) => x.recordIds.length > 0)).toBe(true);
    // Part 四's generated paragraphs show the task records they drew on.
    const paragraphs = v.document.sections.flatMap((x: { paragraphs: unknown[] }) => x.paragraphs) as { id: string; generated: boolean; sources: { label: string; recordIds: number[] }[] }[];
    const progress = paragraphs.find((p) => p.id === 'plan-progress')!;
    expect(progress.generated).toBe(true);
    expect(progress.sources).toEqual([{ metricKey: 'task.next_year_progress', label: '下一年度重点任务进展情况', recordIds: expect.arrayContaining([dup.json().id, dup2.json().id]) }]);
    expect(progress.sources[0]!.recordIds).toHaveLength(3);
    expect(paragraphs.find((p) => p.id === 'plan-tasks')!.sources[0]!.recordIds.length).toBeGreaterThanOrEqual(7);
    expect(v.unedited.map((u: { id: string }) => u.id)).toContain('shortcomings');
    for (const r of [dup, dup2]) expect((await h.req(office, 'DELETE', `/api/records/task/${r.json().id}`)).statusCode).toBe(200);
  }, 60_000);

  it('changes the draft figure when a 2023 record is added, and not the 定稿 one', async () => {
    const figureOf = async (id: number): Promise<string> => {
      const r = await h.req(office, 'GET', `/api/reports/${id}`);
      expect(r.statusCode).toBe(200);
      const runs = (r.json().document.sections as { paragraphs: { runs: { text: string; metricKey?: string }[] }[] }[])
        .flatMap((s) => s.paragraphs)
        .flatMap((p) => p.runs);
      return runs.find((x) => x.metricKey === 'training.enforcement_sessions')!.text;
    };
    expect(await figureOf(draftId)).toBe('35');
    // Freeze version 1, then draft version 2 from it.
    await setOrgIssuingName(h.ctx, systemActor(), await h.orgId('baoshan'), '上海市宝山区人民政府');
    expect((await h.req(office, 'POST', `/api/reports/${draftId}/state`, { to: '审核' })).statusCode).toBe(200);
    expect((await h.req(office, 'POST', `/api/reports/${draftId}/state`, { to: '定稿' })).statusCode).toBe(409);
    expect((await h.req(reviewer, 'POST', `/api/reports/${draftId}/state`, { to: '定稿' })).statusCode).toBe(200);
    const v2 = await h.req(office, 'POST', `/api/reports/${draftId}/new-version`);
    expect(v2.statusCode).toBe(201);
    const draft2 = v2.json().id as number;

    const dept = await h.deptId(MIAOHANG.code, '综合行政执法队');
    const add = await h.req(office, 'POST', '/api/records/training', {
      orgId,
      deptId: dept,
      data: { title: '行政处罚法新增条款专题培训', heldOn: '2023-12-20', trainingType: '执法人员培训', attendees: 30 },
    });
    expect(add.statusCode).toBe(201);

    expect(await figureOf(draft2)).toBe('36');
    expect(await figureOf(draftId)).toBe('35');
    const frozenMd = (await h.req(office, 'GET', `/api/reports/${draftId}/export?format=md`)).body;
    expect(frozenMd).toMatch(/专题培训35期，培训行政执法人员751人次/);
    const liveMd = (await h.req(office, 'GET', `/api/reports/${draft2}/export?format=md`)).body;
    expect(liveMd).toMatch(/专题培训36期，培训行政执法人员781人次/);

    // The frozen record list behind the figure stays at 35; the live one has 36.
    const frozen = await h.req(office, 'GET', `/api/reports/${draftId}/figures/training.enforcement_sessions/records?pageSize=100`);
    expect(frozen.json().total).toBe(35);
    expect(frozen.json().items.map((r: { id: number }) => r.id)).not.toContain(add.json().id);
    const live = await h.req(office, 'GET', `/api/metrics/training.enforcement_sessions/records?orgId=${orgId}&year=2023&pageSize=100`);
    expect(live.json().total).toBe(36);
    expect(live.json().items.map((r: { id: number }) => r.id)).toContain(add.json().id);
  }, 60_000);
  it('comes out signed and dated, the same text in .docx, PDF, HTML and Markdown (issue 10)', async () => {
    const get = async (format: string) => h.req(office, 'GET', `/api/reports/${draftId}/export?format=${format}`);
    const md = (await get('md')).body;
    expect(md.endsWith('\n\n上海市宝山区庙行镇人民政府  \n2024年1月20日\n')).toBe(true);
    expect(md).not.toMatch(/【待完善】|【无数据】|\{\{/);
    const sentences = sentencesOf(markdownPlainText(md));
    const docx = await inspectDocx((await get('docx')).rawPayload);
    expect(sentencesOf(docx.paragraphs.map((p) => p.text).join('').replace(/\s+/g, ''))).toEqual(sentences);
    expect(docx.paragraphs.slice(-2).map((p) => [p.text, p.alignment])).toEqual([['上海市宝山区庙行镇人民政府', 'right'], ['2024年1月20日', 'left']]);
    const html = (await get('html')).body;
    const htmlText = html
      .slice(html.indexOf('<article'), html.indexOf('</article>'))
      .replace(/<ul class="warnings"[\s\S]*?<\/ul>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
      .replace(/\s+/g, '');
    expect(sentencesOf(htmlText)).toEqual(sentences);
    const json = JSON.parse((await get('json')).body);
    expect(json.signature).toEqual({ issuer: '上海市宝山区庙行镇人民政府', date: '2024年1月20日' });
    if (findSoffice()) {
      const pdf = await get('pdf');
      expect(pdf.statusCode).toBe(200);
      expect(sentencesOf(pdfPlainText(pdf.rawPayload))).toEqual(sentences);
    } else expect((await get('pdf')).statusCode).toBe(503);
  }, 240_000);
});
