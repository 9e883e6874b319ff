/**
 * The district comparison table as a .docx annex (附件): landscape A4 with the GB/T 9704 margins
 * turned with the page, 附件 label in 黑体, title in 方正小标宋简体, tables in 仿宋_GB2312 五号 with
 * the header row repeated on each page. The towns are rows; the metrics are split over several
 * tables of METRICS_PER_TABLE columns each, with fixed widths, so every header stays legible (one
 * table of all metrics and their ranks gave columns two characters wide).
 */
import {
  AlignmentType,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { A4, FONT_SIZE_PT, FONTS, MARGINS, PAGE_NUMBER_INSET, FOOTER_DISTANCE } from './docx-layout';
import { cjkFont, gbt9704Styles, halfPoints, STYLE_IDS } from './docx-styles';
import { annexTitle, cellText, metricHeader, rankedKeys, rankNote, rankText, type AnnexMetric, type DistrictComparison } from './district-annex-model';

const TABLE_SIZE = halfPoints(FONT_SIZE_PT.五号);

/** Metrics per table: five figures and their ranks fit the landscape line at five 五号 characters each (下降12.3% on one line). */
export const METRICS_PER_TABLE = 5;

/** Width of the landscape type area in twips (the portrait margins turned with the page). */
const TYPE_WIDTH = A4.height - MARGINS.top - MARGINS.bottom;
/** Column widths in twips: 序号, 镇（街道）, and a rank (two 五号 characters plus the cell margins). */
const NO_WIDTH = 640;
const NAME_WIDTH = 1480;
const RANK_WIDTH = 700;

function cell(text: string, width: number, opts: { header?: boolean; left?: boolean; keepNext?: boolean } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    children: [
      new Paragraph({
        alignment: opts.left ? AlignmentType.LEFT : AlignmentType.CENTER,
        // Table text is not on the body grid: single line height, no indent.
        spacing: { line: 240, before: 40, after: 40 },
        // Every row keeps with the next, so the 合计 row never stands alone on a page.
        keepNext: opts.keepNext ?? false,
        children: [new TextRun({ text, size: TABLE_SIZE, font: cjkFont(opts.header ? FONTS.heading1 : FONTS.body) })],
      }),
    ],
  });
}

function footer(odd: boolean): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE_IDS.pageNumber,
        alignment: odd ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: odd ? { right: PAGE_NUMBER_INSET } : { left: PAGE_NUMBER_INSET },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

function comparisonTable(c: DistrictComparison, metrics: readonly AnnexMetric[], ranked: ReadonlySet<string>): Table {
  const rankCols = metrics.filter((m) => ranked.has(m.key)).length;
  const valueWidth = Math.floor((TYPE_WIDTH - NO_WIDTH - NAME_WIDTH - rankCols * RANK_WIDTH) / Math.max(1, metrics.length));
  const widths = [NO_WIDTH, NAME_WIDTH, ...metrics.flatMap((m) => (ranked.has(m.key) ? [valueWidth, RANK_WIDTH] : [valueWidth]))];
  const header: TableCell[] = [cell('序号', NO_WIDTH, { header: true, keepNext: true }), cell('镇（街道）', NAME_WIDTH, { header: true, keepNext: true })];
  for (const m of metrics) {
    header.push(cell(metricHeader(m), valueWidth, { header: true, keepNext: true }));
    if (ranked.has(m.key)) header.push(cell('排名', RANK_WIDTH, { header: true, keepNext: true }));
  }
  const dataRow = (no: string, name: string, values: DistrictComparison['totals'], ranks?: Readonly<Record<string, number | null>>, bold = false) => {
    // The 合计 row (bold) ends the table; every other row keeps with the next.
    const keepNext = !bold;
    const cells = [cell(no, NO_WIDTH, { header: bold, keepNext }), cell(name, NAME_WIDTH, { header: bold, left: true, keepNext })];
    for (const m of metrics) {
      cells.push(cell(cellText(m, values[m.key]), valueWidth, { header: bold, keepNext }));
      if (ranked.has(m.key)) cells.push(cell(ranks ? rankText(ranks[m.key]) : '', RANK_WIDTH, { header: bold, keepNext }));
    }
    return new TableRow({ children: cells, cantSplit: true });
  };
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: header }),
      ...c.rows.map((r, i) => dataRow(String(i + 1), r.orgName, r.values, r.ranks)),
      dataRow('', '合计', c.totals, undefined, true),
    ],
  });
}

export function buildDistrictAnnexDocx(c: DistrictComparison, opts: { annexLabel?: string } = {}): Document {
  const ranked = rankedKeys(c);
  const body: (Paragraph | Table)[] = [];
  for (let i = 0; i < c.metrics.length; i += METRICS_PER_TABLE) {
    if (i > 0) body.push(new Paragraph({ children: [] }));
    body.push(comparisonTable(c, c.metrics.slice(i, i + METRICS_PER_TABLE), ranked));
  }
  body.push(
    new Paragraph({
      spacing: { line: 240, before: 120, after: 0 },
      children: [new TextRun({ text: rankNote(c), size: TABLE_SIZE, font: cjkFont(FONTS.body) })],
    }),
  );
  return new Document({
    title: annexTitle(c),
    creator: c.districtName,
    evenAndOddHeaderAndFooters: true,
    styles: gbt9704Styles(),
    sections: [
      {
        properties: {
          page: {
            // docx swaps width and height itself for landscape.
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGINS.left, bottom: MARGINS.right, left: MARGINS.top, right: MARGINS.bottom, footer: FOOTER_DISTANCE },
          },
        },
        footers: { default: footer(true), even: footer(false) },
        children: [
          new Paragraph({ children: [new TextRun({ text: opts.annexLabel ?? '附件', font: cjkFont(FONTS.heading1) })] }),
          new Paragraph({ style: STYLE_IDS.title, children: [new TextRun(annexTitle(c))] }),
          new Paragraph({ children: [] }),
          ...body,
        ],
      },
    ],
  });
}

export async function writeDistrictAnnexDocx(c: DistrictComparison, opts: { annexLabel?: string } = {}): Promise<Buffer> {
  return Packer.toBuffer(buildDistrictAnnexDocx(c, opts));
}
