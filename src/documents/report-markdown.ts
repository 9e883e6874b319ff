/** Markdown of a report, for machines and diffing: headings as #, run-in headings in bold. */
import { addresseeLine, isPrinted, runsText, tableTextGrid, type DocParagraph, type DocTable, type ReportDocument } from '../core/report';

/** Escapes what Markdown would otherwise read as markup at the start of a line or inline. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function paragraphMd(p: DocParagraph): string {
  const heading = p.heading ? `**${escapeMd(p.heading.number + p.heading.text)}**` : '';
  return heading + escapeMd(runsText(p.runs));
}

/**
 * A generated table as a pipe table: Markdown has no merged cells, so each row repeats the labels
 * of the headings it lies under, joined by ` / `, and the heading rows become one header row.
 */
function tableMd(t: DocTable): string {
  const grid = tableTextGrid(t);
  const cols = grid[0]?.length ?? 0;
  const head = t.headerRows > 0 ? grid.slice(0, t.headerRows) : [];
  const body = grid.slice(t.headerRows);
  const join = (texts: string[]) => [...new Set(texts.filter((x) => x !== ''))].join(' / ');
  const header = head.length ? Array.from({ length: cols }, (_, c) => join(head.map((r) => r[c]!))) : Array.from({ length: cols }, () => '');
  const line = (cells: string[]) => `| ${cells.map((c) => escapeMd(c)).join(' | ')} |`;
  const out = [line(header), `|${' --- |'.repeat(cols)}`, ...body.map(line)];
  return (t.note ? `${escapeMd(t.note)}\n\n` : '') + out.join('\n');
}

export function renderReportMarkdown(doc: ReportDocument): string {
  const sig = doc.signature;
  const blocks = [`# ${escapeMd(doc.title)}`, ...(sig?.addressee ? [escapeMd(addresseeLine(sig.addressee))] : []), ...doc.opening.filter(isPrinted).map(paragraphMd)];
  for (const s of doc.sections) {
    blocks.push(`## ${escapeMd(s.number + s.title)}`, ...s.paragraphs.filter(isPrinted).map(paragraphMd), ...(s.tables ?? []).map(tableMd));
  }
  // 发文机关署名 and 成文日期 close the text, each on its own line.
  if (sig) blocks.push([escapeMd(sig.issuer), ...(sig.date ? [escapeMd(sig.date)] : [])].join('  \n'));
  return `${blocks.join('\n\n')}\n`;
}
