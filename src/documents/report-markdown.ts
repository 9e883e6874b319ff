/** Markdown of a report, for machines and diffing: headings as #, run-in headings in bold. */
import { addresseeLine, isPrinted, runsText, type DocParagraph, type ReportDocument } from '../core/report';

/** Escapes what Markdown would otherwise read as markup at the start of a line or inline. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function paragraphMd(p: DocParagraph): string {
  const heading = p.heading ? `**${escapeMd(p.heading.number + p.heading.text)}**` : '';
  return heading + escapeMd(runsText(p.runs));
}

export function renderReportMarkdown(doc: ReportDocument): string {
  const sig = doc.signature;
  const blocks = [`# ${escapeMd(doc.title)}`, ...(sig?.addressee ? [escapeMd(addresseeLine(sig.addressee))] : []), ...doc.opening.filter(isPrinted).map(paragraphMd)];
  for (const s of doc.sections) {
    blocks.push(`## ${escapeMd(s.number + s.title)}`, ...s.paragraphs.filter(isPrinted).map(paragraphMd));
  }
  // 发文机关署名 and 成文日期 close the text, each on its own line.
  if (sig) blocks.push([escapeMd(sig.issuer), ...(sig.date ? [escapeMd(sig.date)] : [])].join('  \n'));
  return `${blocks.join('\n\n')}\n`;
}
