/** The annual report as .docx in the GB/T 9704 layout. */
import { AlignmentType, Document, Packer, Paragraph, TextRun, type Table } from 'docx';
import { docxTables } from './docx-table';
import { addresseeLine, isPrinted, signatureIndents, type DocParagraph, type ReportDocument, type ReportSignature } from '../core/report';
import { gbt9704Section } from './docx-page';
import { CHAR_PITCH_TWIPS, gbt9704Styles, STYLE_IDS } from './docx-styles';
import { TEXT_WIDTH_TWIPS } from './docx-layout';

function bodyParagraph(p: DocParagraph): Paragraph {
  const children: TextRun[] = [];
  // Second-level headings run in at the start of the paragraph (楷体), as in the reference report.
  if (p.heading) children.push(new TextRun({ text: p.heading.number + p.heading.text, style: STYLE_IDS.heading2 }));
  for (const r of p.runs) children.push(new TextRun({ text: r.text }));
  return new Paragraph({ style: STYLE_IDS.body, children });
}

const blank = (keepNext = false) => new Paragraph({ style: STYLE_IDS.body, keepNext, children: [] });

/** 主送机关 (GB/T 9704 §7.3.3): below the title after one empty line, flush left, ending in a full-width colon. */
function addresseeParagraph(addressee: string): Paragraph {
  const text = addresseeLine(addressee);
  return new Paragraph({ style: STYLE_IDS.body, indent: { firstLine: 0, firstLineChars: 0 }, children: [new TextRun(text)] });
}

/**
 * 发文机关署名 and 成文日期 (GB/T 9704 §7.3.5.2): one empty line below the text, the 署名 right-indented
 * two characters, the date on the next line starting two characters right of the 署名's start.
 * Kept on the page of the last lines of text.
 */
function signatureParagraphs(sig: ReportSignature): Paragraph[] {
  const ind = signatureIndents(sig.issuer, sig.date ?? '');
  const common = { style: STYLE_IDS.body, indent: { firstLine: 0, firstLineChars: 0 } };
  const issuer = new Paragraph({
    ...common,
    alignment: AlignmentType.RIGHT,
    keepNext: sig.date !== undefined,
    indent: { ...common.indent, right: Math.round(ind.issuer * CHAR_PITCH_TWIPS) },
    children: [new TextRun(sig.issuer)],
  });
  const paras = [blank(true), issuer];
  if (sig.date !== undefined) {
    paras.push(
      new Paragraph({
        ...common,
        alignment: AlignmentType.LEFT,
        indent: { ...common.indent, left: Math.max(0, TEXT_WIDTH_TWIPS - Math.round(ind.dateStart * CHAR_PITCH_TWIPS)) },
        children: [new TextRun(sig.date)],
      }),
    );
  }
  return paras;
}

export interface DocxOptions {
  /** Document properties. */
  creator?: string;
}

export function buildReportDocx(doc: ReportDocument, opts: DocxOptions = {}): Document {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ style: STYLE_IDS.title, children: [new TextRun(doc.title)] }),
    // GB/T 9704: one empty line between the title and the body (or the 主送机关).
    blank(),
    ...(doc.signature?.addressee ? [addresseeParagraph(doc.signature.addressee)] : []),
    ...doc.opening.filter(isPrinted).map(bodyParagraph),
  ];
  for (const s of doc.sections) {
    children.push(new Paragraph({ style: STYLE_IDS.heading1, children: [new TextRun(s.number + s.title)] }));
    children.push(...s.paragraphs.filter(isPrinted).map(bodyParagraph));
    children.push(...docxTables(s.tables));
  }
  if (doc.signature) children.push(...signatureParagraphs(doc.signature));
  return new Document({
    title: doc.title,
    creator: opts.creator ?? `${doc.orgName}`,
    description: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: gbt9704Styles(),
    sections: [gbt9704Section(children)],
  });
}

export async function writeReportDocx(doc: ReportDocument, opts: DocxOptions = {}): Promise<Buffer> {
  return Packer.toBuffer(buildReportDocx(doc, opts));
}
