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
    expect(html).toContain('<span class="figure no-data" data-metric="legal_consultation.persons">—</span>');
  });
  it('shows warnings beside their paragraph, escaped', () => {
    const grassroots = html.slice(html.indexOf('data-paragraph="grassroots"'));
    const block = grassroots.slice(0, grassroots.indexOf('</div>'));
    expect(block).toContain('<li data-metric="legal_consultation.persons">指标“legal_consultation.persons”无数据</li>');
    expect(block).toContain('&lt;合计&gt;与分项不符');
  });
});

describe('renderReportMarkdown', () => {
  it('writes headings and paragraphs with each figure in its sentence', () => {
    const full = renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values: MIAOHANG_2023_VALUES });
    const md = renderReportMarkdown(full);
    expect(md.startsWith('# 庙行镇2023年法治政府建设情况报告\n\n2023年，')).toBe(true);
    expect(md).toContain('\n\n## 四、2024年推进法治政府建设的主要安排\n\n');
    expect(md).toContain('**（四）严格规范公正文明执法，提升执法质效。**全面落实');
    for (const phrase of MIAOHANG_2023_PHRASES) expect(md).toContain(phrase);
  });
  it('escapes markdown syntax in the words', () => {
    const d: ReportDocument = { ...doc, title: 'a*b_c', opening: [], sections: [] };
    expect(renderReportMarkdown(d)).toBe('# a\\*b\\_c\n');
  });
});

describe('renderReportJson and writeReport', () => {
  it('round-trips the document model', () => {
    expect(JSON.parse(renderReportJson(doc))).toEqual(JSON.parse(JSON.stringify(doc)));
  });
  it('dispatches by format and names the file', async () => {
    expect((await writeReport(doc, 'md')).toString('utf8')).toBe(renderReportMarkdown(doc));
    expect((await writeReport(doc, 'docx')).subarray(0, 2).toString()).toBe('PK');
    expect(isReportFormat('pdf')).toBe(true);
    expect(isReportFormat('doc')).toBe(false);
    expect(reportFileName(doc, 'docx')).toBe('庙行镇2023年法治政府建设情况报告.docx');
  });
});
