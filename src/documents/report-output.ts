/** One entry point for the CLI and the API: a rendered report in any output format. */
import type { ReportDocument } from '../core/report';
import { writeReportDocx } from './docx-report';
import { writeReportPdf, type PdfOptions } from './pdf';
import { renderReportHtml } from './report-html';
import { renderReportJson } from './report-json';
import { renderReportMarkdown } from './report-markdown';
import { writeReportXlsx } from './report-xlsx';

export const REPORT_FORMATS = ['docx', 'html', 'md', 'json', 'pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

export async function writeReport(doc: ReportDocument, format: ReportFormat, pdf: PdfOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return writeReportDocx(doc);
    case 'pdf':
      return writeReportPdf(doc, pdf);
    case 'html':
      return Buffer.from(renderReportHtml(doc), 'utf8');
    case 'md':
      return Buffer.from(renderReportMarkdown(doc), 'utf8');
    case 'json':
      return Buffer.from(renderReportJson(doc), 'utf8');
    case 'xlsx':
      return writeReportXlsx(doc);
  }
}

/** File name for a download: `庙行镇2023年法治政府建设情况报告.docx`. */
export function reportFileName(doc: ReportDocument, format: ReportFormat): string {
  return `${doc.title.replace(/[\\/:*?"<>|]/g, '')}.${format}`;
}
