import type { ReportDocument } from '../core/report';

/** The document model as JSON (figures with their metric keys and values). */
export function renderReportJson(doc: ReportDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
