import { AlignmentType, DocumentGridType, Footer, PageNumber, Paragraph, TextRun, type ISectionOptions } from 'docx';
import { A4, FOOTER_DISTANCE, gbt9704Grid, MARGINS, PAGE_NUMBER_INSET } from './docx-layout';
import { STYLE_IDS } from './docx-styles';

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

/**
 * Section properties of a GB/T 9704 page: A4, margins, 22x28 grid, odd/even page-number footers.
 * The grid is one of lines only (579 twips); the 28 characters a line come from the condensed
 * character spacing of the styles (docx-styles.ts), so Word, WPS and LibreOffice lay out the same
 * lines: LibreOffice gives each 三号 glyph two cells of Word's 15.79 pt character grid (17–20
 * characters a line), which is why the file has no character grid.
 */
export function gbt9704Section(children: ISectionOptions['children']): ISectionOptions {
  const grid = gbt9704Grid();
  return {
    properties: {
      page: {
        size: { width: A4.width, height: A4.height },
        margin: { ...MARGINS, header: FOOTER_DISTANCE, footer: FOOTER_DISTANCE },
      },
      grid: { type: DocumentGridType.LINES, linePitch: grid.linePitch },
    },
    // Word uses `default` for odd pages once the document sets evenAndOddHeaderAndFooters.
    footers: { default: pageNumberFooter(true), even: pageNumberFooter(false) },
    children,
  };
}
