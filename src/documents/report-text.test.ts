import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, renderReport, type ReportDocument } from '../core/report';
import { MIAOHANG_2023_PHRASES, MIAOHANG_2023_VALUES } from '../core/report/reference-values';
import { renderReportHtml } from './report-html';
import { renderReportJson } from './report-json';
import { renderReportMarkdown } from './report-markdown';
import { isReportFormat, reportFileName, writeReport } from './report-output';

const doc = renderReport(DEFAULT_TEMPLATE, {
  orgName: '庙行镇',
  year: 2023,
  values: { ...MIAOHANG_2023_VALUES, 'legal_consultation.persons': null },
  warnings: [{ metricKey: 'publicity_activity.count', message: '<合计>与分项不符' }],
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(doc);
  it('is a self-contained page with the title and headings', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<(link|script)\b|src=/);
    expect(html).toContain('<h1>庙行镇2023年法治政府建设情况报告</h1>');
    expect(html).toContain('<h2 data-part="measures">一、2023年度推进法治政府建设的主要举措和成效</h2>');
    expect(html).toContain('<span class="h2">（一）强化组织保障，压实法治建设责任。</span>');
  });
  it('marks figures with data-metric and no-data figures with a class', () => {
    expect(html).toContain('法制审核<span class="figure" data-metric="enforcement_case.major_reviewed">19</span>件');
    expect(html).toContain('<span class="figure" data-metric="legality_review.by_reviewType" data-entry="政府合同">247</span>');
    // Issue 10: a figure without data is not printed at all (its sentence is left out), never a dash.
    expect(html).not.toContain('<span class="figure no-data"');
    expect(html).not.toMatch(/—<\/span>|【无数据】/);
    expect(html).not.toContain('接待法律咨询');
    expect(html).toContain('发放宣传资料和宣传品<span class="figure" data-metric="publicity_activity.materials">11150</span>份。坚持');
  });
  it('carries each figure’s definition and records, and the signature block', () => {
    const traced = structuredClone(doc);
    const fig = traced.sections[0]!.paragraphs.find((p) => p.id === 'enforcement')!.runs.find((r) => r.type === 'figure')!;
    if (fig.type === 'figure') Object.assign(fig, { definition: '法制审核日期在本年度的重大执法决定的数量', recordIds: [11, 12] });
    traced.signature = { issuer: '上海市宝山区庙行镇人民政府', date: '2024年3月15日', addressee: '宝山区人民政府' };
    const h = renderReportHtml(traced);
    expect(h).toContain('title="法制审核日期在本年度的重大执法决定的数量" data-definition="法制审核日期在本年度的重大执法决定的数量" data-records="11,12">19</span>');
    expect(h).toContain('<p class="addressee">宝山区人民政府：</p>');
    expect(h).toMatch(/<p class="issuer">上海市宝山区庙行镇人民政府<\/p><p class="date"[^>]*>2024年3月15日<\/p>/);
    const md = renderReportMarkdown(traced);
    expect(md).toContain('# 庙行镇2023年法治政府建设情况报告\n\n宝山区人民政府：\n\n2023年');
    expect(md.endsWith('\n\n上海市宝山区庙行镇人民政府  \n2024年3月15日\n')).toBe(true);
    const json = JSON.parse(renderReportJson(traced));
    const jf = json.sections[0].paragraphs.find((p: { id: string }) => p.id === 'enforcement').runs.find((r: { type: string }) => r.type === 'figure');
    expect(jf).toMatchObject({ metricKey: 'enforcement_case.major_reviewed', definition: '法制审核日期在本年度的重大执法决定的数量', recordIds: [11, 12] });
    expect(json.signature).toEqual(traced.signature);
  });
  it('shows warnings beside their paragraph, escaped', () => {
    const grassroots = html.slice(html.indexOf('data-paragraph="grassroots"'));
    const block = grassroots.slice(0, grassroots.indexOf('</div>'));
    expect(block).toContain('<li data-metric="legal_consultation.persons">指标“legal_consultation.persons”无数据，所在句子未写入报告</li>');
    expect(block).toContain('&lt;合计&gt;与分项不符');
  });
});

describe('renderReportMarkdown', () => {
  it('writes headings and paragraphs with each figure in its sentence', () => {
    const full = renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values: MIAOHANG_2023_VALUES });
    const md = renderReportMarkdown(full);
    expect(md.startsWith('# 庙行镇2023年法治政府建设情况报告\n\n2023年，')).toBe(true);
    expect(md).toContain('\n\n## 四、庙行镇2024年推进法治政府建设的主要安排\n\n');
    expect(md).toContain('**（四）严格规范公正文明执法，提升执法质效。**全面落实');
    for (const phrase of MIAOHANG_2023_PHRASES) expect(md).toContain(phrase);
  });
  it('escapes markdown syntax in the words', () => {
    const d: ReportDocument = { ...doc, title: 'a*b_c', opening: [], sections: [] };
    expect(renderReportMarkdown(d)).toBe('# a\\*b\\_c\n');
  });
});

describe('renderReportJson and writeReport', () => {
  it('writes the document model as published: the printed text, without the sentences left out', () => {
    const json = JSON.parse(renderReportJson(doc));
    const grassroots = (d: { sections: { paragraphs: { id: string }[] }[] }) => d.sections[0]!.paragraphs.find((p) => p.id === 'grassroots') as Record<string, unknown>;
    expect(grassroots(doc).withheld).toBeDefined();
    expect(grassroots(json).withheld).toBeUndefined();
    expect({ ...grassroots(json) }).toEqual(JSON.parse(JSON.stringify({ ...grassroots(doc), withheld: undefined })));
    expect(json.title).toBe(doc.title);
  });
  it('dispatches by format and names the file', async () => {
    expect((await writeReport(doc, 'md')).toString('utf8')).toBe(renderReportMarkdown(doc));
    expect((await writeReport(doc, 'docx')).subarray(0, 2).toString()).toBe('PK');
    expect(isReportFormat('pdf')).toBe(true);
    expect(isReportFormat('doc')).toBe(false);
    expect(reportFileName(doc, 'docx')).toBe('庙行镇2023年法治政府建设情况报告.docx');
  });
});
