/** Markdown of a report, for machines and diffing: headings as #, run-in headings in bold. */
import { runsText, type DocParagraph, type ReportDocument } from '../core/report';

/** Escapes what Markdown would otherwise read as markup at the start of a line or inline. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function paragraphMd(p: DocParagraph): string {
  const heading = p.heading ? `**${escapeMd(p.heading.number + p.heading.text)}**` : '';
  return heading + escapeMd(runsText(p.runs));
}

export function renderReportMarkdown(doc: ReportDocument): string {
  const blocks = [`# ${escapeMd(doc.title)}`, ...doc.opening.map(paragraphMd)];
  for (const s of doc.sections) {
    blocks.push(`## ${escapeMd(s.number + s.title)}`, ...s.paragraphs.map(paragraphMd));
  }
  return `${blocks.join('\n\n')}\n`;
}
