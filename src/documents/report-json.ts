import { isPrinted, type DocParagraph, type ReportDocument } from '../core/report';

/** A paragraph as published: its printed runs only (the sentences left out are editor-only). */
function published(p: DocParagraph): DocParagraph {
  const { withheld: _withheld, ...rest } = p;
  return rest;
}

/**
 * The document model as JSON: the printed text, and for each figure its metric key, value, Chinese
 * definition and the ids of the records it counts (the frozen ones after 定稿); a report type with its
 * own JSON for programs (the disclosure report's spec shape) writes that instead.
 */
export function renderReportJson(doc: ReportDocument): string {
  if (doc.data !== undefined) return `${JSON.stringify(doc.data, null, 2)}\n`;
  const out: ReportDocument = {
    ...doc,
    opening: doc.opening.filter(isPrinted).map(published),
    sections: doc.sections.map((s) => ({ ...s, paragraphs: s.paragraphs.filter(isPrinted).map(published) })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
