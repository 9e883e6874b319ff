/**
 * Generated tables (DocTable) in .docx as in the national formats: merged header cells, 仿宋 小四 in
 * every cell, heading rows repeated on each page, and no row broken across pages.
 */
import { AlignmentType, HeightRule, LineRuleType, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType } from 'docx';
import type { DocTable } from '../core/report';
import { A4, FONT_SIZE_PT, FONTS, MARGINS } from './docx-layout';
import { cjkFont, halfPoints, STYLE_IDS } from './docx-styles';

/** Width of the type area in twips (156 mm). */
const TEXT_WIDTH = A4.width - MARGINS.left - MARGINS.right;
/** 小四 on an exact 18 pt line: the cells keep their own leading rather than the 三号 body grid. */
const CELL_SPACING = { line: 360, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const CELL_RUN = { font: cjkFont(FONTS.body), size: halfPoints(FONT_SIZE_PT.小四) };

function cellParagraph(text: string, align: 'center' | 'left'): Paragraph {
  return new Paragraph({
    alignment: align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
    indent: { firstLine: 0, firstLineChars: 0 },
    spacing: CELL_SPACING,
    children: [new TextRun({ text, ...CELL_RUN })],
  });
}

/** The note printed under a part's heading, before its table (e.g. table 三's cross-check rule). */
export function tableNoteParagraph(note: string): Paragraph {
  return new Paragraph({ style: STYLE_IDS.body, alignment: AlignmentType.CENTER, indent: { firstLine: 0, firstLineChars: 0 }, children: [new TextRun({ text: note, ...CELL_RUN })] });
}

export function docxTable(t: DocTable): Table {
  const total = t.columnWidths.reduce((a, b) => a + b, 0);
  const widths = t.columnWidths.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const rows = t.rows.map(
    (row, i) =>
      new TableRow({
        cantSplit: true,
        tableHeader: i < t.headerRows,
        height: { value: 400, rule: HeightRule.ATLEAST },
        children: row.map(
          (c) =>
            new TableCell({
              verticalAlign: VerticalAlignTable.CENTER,
              ...(c.colSpan && c.colSpan > 1 ? { columnSpan: c.colSpan } : {}),
              ...(c.rowSpan && c.rowSpan > 1 ? { rowSpan: c.rowSpan } : {}),
              margins: { left: 60, right: 60, top: 20, bottom: 20 },
              // Long row labels (the sub-items of table 三) read left-aligned; headings and numbers centred.
              children: [cellParagraph(c.text, c.header && c.text.length > 12 ? 'left' : 'center')],
            }),
        ),
      }),
  );
  return new Table({ rows, columnWidths: widths, layout: TableLayoutType.FIXED, width: { size: TEXT_WIDTH, type: WidthType.DXA } });
}

/** A section's tables, each preceded by its note, ready to follow the section's paragraphs. */
export function docxTables(tables: readonly DocTable[] | undefined): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const t of tables ?? []) {
    if (t.note) out.push(tableNoteParagraph(t.note));
    out.push(docxTable(t));
  }
  return out;
}
