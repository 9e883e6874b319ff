/**
 * The template registry: one default template per report type, on the one machinery (template
 * model, renderer, states, snapshot, writers). A report row names its type; its template is a copy
 * of the type's default that the town edits.
 */
import { DISCLOSURE_TEMPLATE_SOURCE } from '../disclosure/template';
import { DEFAULT_TEMPLATE_SOURCE } from './default-template';
import type { TemplateSource } from './template';
import { REPORT_TYPES, type ReportType } from './types';

export const DEFAULT_TEMPLATES: Record<ReportType, TemplateSource> = {
  rule_of_law: DEFAULT_TEMPLATE_SOURCE,
  disclosure: DISCLOSURE_TEMPLATE_SOURCE,
};

export function isReportType(s: unknown): s is ReportType {
  return typeof s === 'string' && (REPORT_TYPES as readonly string[]).includes(s);
}

export function reportTypeOf(src: { type?: ReportType | undefined }): ReportType {
  return src.type ?? 'rule_of_law';
}

/**
 * The last day a year's report may be finalised: the disclosure report by 31 January of the next
 * year (《中华人民共和国政府信息公开条例》第四十九条), the 法治政府建设情况报告 by 1 April of the next
 * year (《法治政府建设与责任落实督察工作规定》: 每年4月1日之前).
 */
export function reportDueOn(type: ReportType, year: number): string {
  return type === 'disclosure' ? `${year + 1}-01-31` : `${year + 1}-04-01`;
}
