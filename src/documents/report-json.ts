import type { ReportDocument } from '../core/report';

/**
 * The document model as JSON (figures with their metric keys and values); a report type with its own
 * JSON for programs (the disclosure report's spec shape) writes that instead.
 */
export function renderReportJson(doc: ReportDocument): string {
  return `${JSON.stringify(doc.data !== undefined ? doc.data : doc, null, 2)}\n`;
}
