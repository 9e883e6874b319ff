/**
 * The district comparison table as a .docx annex (附件): landscape A4 with the GB/T 9704 margins
 * turned with the page, 附件 label in 黑体, title in 方正小标宋简体, table in 仿宋_GB2312 五号 so a
 * dozen columns fit, header row repeated on each page.
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
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { A4, FONT_SIZE_PT, FONTS, MARGINS, PAGE_NUMBER_INSET, FOOTER_DISTANCE } from './docx-layout';
import { cjkFont, gbt9704Styles, halfPoints, STYLE_IDS } from './docx-styles';
import { annexTitle, cellText, metricHeader, rankedKeys, rankText, type DistrictComparison } from './district-annex-model';

const TABLE_SIZE = halfPoints(FONT_SIZE_PT.五号);

function cell(text: string, opts: { header?: boolean; left?: boolean } = {}): TableCell {
  return new TableCell({
    verticalAlign: VerticalAlignTable.CENTER,
    children: [
      new Paragraph({
        alignment: opts.left ? AlignmentType.LEFT : AlignmentType.CENTER,
        // Table text is not on the body grid: single line height, no indent.
        spacing: { line: 240, before: 40, after: 40 },
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

export function buildDistrictAnnexDocx(c: DistrictComparison, opts: { annexLabel?: string } = {}): Document {
  const ranked = rankedKeys(c);
  const headers = ['序号', '镇（街道）'];
  for (const m of c.metrics) {
    headers.push(metricHeader(m));
    if (ranked.has(m.key)) headers.push('排名');
  }
  const dataRow = (no: string, name: string, values: DistrictComparison['totals'], ranks?: Readonly<Record<string, number | null>>, bold = false) => {
    const cells = [cell(no, { header: bold }), cell(name, { header: bold, left: true })];
    for (const m of c.metrics) {
      cells.push(cell(cellText(m, values[m.key]), { header: bold }));
      if (ranked.has(m.key)) cells.push(cell(ranks ? rankText(ranks[m.key]) : '', { header: bold }));
    }
    return new TableRow({ children: cells, cantSplit: true });
  };
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: headers.map((h) => cell(h, { header: true })) }),
      ...c.rows.map((r, i) => dataRow(String(i + 1), r.orgName, r.values, r.ranks)),
      dataRow('', '合计', c.totals, undefined, true),
    ],
  });
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
          table,
        ],
      },
    ],
  });
}

export async function writeDistrictAnnexDocx(c: DistrictComparison, opts: { annexLabel?: string } = {}): Promise<Buffer> {
  return Packer.toBuffer(buildDistrictAnnexDocx(c, opts));
}
