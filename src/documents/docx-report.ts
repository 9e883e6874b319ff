/** The annual report as .docx in the GB/T 9704 layout. */
import { Document, Packer, Paragraph, TextRun, type Table } from 'docx';
import { docxTables } from './docx-table';
import type { DocParagraph, ReportDocument } from '../core/report';
import { gbt9704Section } from './docx-page';
import { gbt9704Styles, STYLE_IDS, type DocxTarget } from './docx-styles';

function bodyParagraph(p: DocParagraph): Paragraph {
  const children: TextRun[] = [];
  // Second-level headings run in at the start of the paragraph (楷体), as in the reference report.
  if (p.heading) children.push(new TextRun({ text: p.heading.number + p.heading.text, style: STYLE_IDS.heading2 }));
  for (const r of p.runs) children.push(new TextRun({ text: r.text }));
  return new Paragraph({ style: STYLE_IDS.body, children });
}

export interface DocxOptions {
  /** Document properties. */
  creator?: string;
  /** `libreoffice`: the layout for PDF conversion (see LIBREOFFICE_CONDENSE). Default `word`. */
  target?: DocxTarget;
}

export function buildReportDocx(doc: ReportDocument, opts: DocxOptions = {}): Document {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ style: STYLE_IDS.title, children: [new TextRun(doc.title)] }),
    // GB/T 9704: one empty line between the title and the body.
    new Paragraph({ style: STYLE_IDS.body, children: [] }),
    ...doc.opening.map(bodyParagraph),
  ];
  for (const s of doc.sections) {
    children.push(new Paragraph({ style: STYLE_IDS.heading1, children: [new TextRun(s.number + s.title)] }));
    children.push(...s.paragraphs.map(bodyParagraph));
    children.push(...docxTables(s.tables));
  }
  return new Document({
    title: doc.title,
    creator: opts.creator ?? `${doc.orgName}`,
    description: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: gbt9704Styles(opts.target),
    sections: [gbt9704Section(children, opts.target)],
  });
}

export async function writeReportDocx(doc: ReportDocument, opts: DocxOptions = {}): Promise<Buffer> {
  return Packer.toBuffer(buildReportDocx(doc, opts));
}
