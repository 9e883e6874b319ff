import { AlignmentType, DocumentGridType, Footer, PageNumber, Paragraph, TextRun, type ISectionOptions } from 'docx';
import { A4, FOOTER_DISTANCE, gbt9704Grid, MARGINS, PAGE_NUMBER_INSET } from './docx-layout';
import { STYLE_IDS, type DocxTarget } from './docx-styles';

/** `— 1 —`: page number between 一字线 (em dashes), GB/T 9704 §7.5. */
function pageNumberFooter(odd: boolean): Footer {
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

/** Section properties of a GB/T 9704 page: A4, margins, 22x28 grid, odd/even page-number footers. */
export function gbt9704Section(children: ISectionOptions['children'], target: DocxTarget = 'word'): ISectionOptions {
  const grid = gbt9704Grid();
  return {
    properties: {
      page: {
        size: { width: A4.width, height: A4.height },
        margin: { ...MARGINS, header: FOOTER_DISTANCE, footer: FOOTER_DISTANCE },
      },
      grid:
        target === 'word'
          ? { type: DocumentGridType.LINES_AND_CHARS, linePitch: grid.linePitch, charSpace: grid.charSpace }
          : { type: DocumentGridType.LINES, linePitch: grid.linePitch },
    },
    // Word uses `default` for odd pages once the document sets evenAndOddHeaderAndFooters.
    footers: { default: pageNumberFooter(true), even: pageNumberFooter(false) },
    children,
  };
}
