import type { IStylesOptions } from 'docx';
import { AlignmentType, LineRuleType } from 'docx';
import { FONT_SIZE_PT, FONTS, gbt9704Grid } from './docx-layout';

/** All four font slots, with the East Asian hint so “” and — take the Chinese font's full width. */
export function cjkFont(name: string) {
  return { ascii: name, eastAsia: name, hAnsi: name, cs: name, hint: 'eastAsia' };
}

export const halfPoints = (pt: number) => Math.round(pt * 2);

export const STYLE_IDS = {
  title: 'GwTitle',
  heading1: 'GwHeading1',
  body: 'GwBody',
  heading2: 'GwHeading2',
  pageNumber: 'GwPageNumber',
} as const;

/** Line height on the 22-line grid; exact so Word and LibreOffice lay out the same number of lines. */
export function gridSpacing() {
  return { line: gbt9704Grid().linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
}

/** Two characters of 三号: first-line indent of body paragraphs and first-level headings. */
export const FIRST_LINE_INDENT = { firstLineChars: 200, firstLine: 2 * FONT_SIZE_PT.三号 * 20 };

/**
 * LibreOffice cannot squeeze 三号 glyphs into Word's 15.79 pt character grid (it gives each one
 * two cells), so the document has no character grid and condenses the runs by this many twips
 * instead: 28 characters of 15.75 pt fit the 156 mm line in Word, WPS and LibreOffice alike.
 */
export const CONDENSE = -5;

/** One character of body text on the line, in twips (三号 condensed): for indents in characters. */
export const CHAR_PITCH_TWIPS = FONT_SIZE_PT.三号 * 20 + CONDENSE;

/**
 * Punctuation may not hang into the right margin (GB/T 9704: 标点不得出版心).
 *
 * ECMA-376 §17.3.1.21 `w:overflowPunct`: true lets a punctuation mark extend one character past the
 * text extents, and an omitted element means true — so "keep punctuation inside" is `w:val="0"`,
 * which is what Word (and any reader following the standard) does with it; this file carries that.
 * LibreOffice reads the element inverted: its OOXML import sets ParaIsHangingPunctuation to
 * `value == 0` (writerfilter DomainMapper, `LN_CT_PPrBase_overflowPunct`), while its own DOCX
 * export writes the standard meaning — so no single value keeps both inside. The one LibreOffice
 * conversion the platform makes (the PDF, documents/pdf.ts `forLibreOffice`) therefore hands it
 * the copy with `w:val="1"`. A .docx opened in LibreOffice by hand still hangs punctuation there
 * (LibreOffice's import, listed in README). The docx library passes a truthy value through as
 * w:val and drops `false` altogether; its typed option is boolean only, hence the cast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the typed option is boolean only.
const NO_HANGING_PUNCTUATION = { overflowPunctuation: '0' as any as boolean };

export function gbt9704Styles(): IStylesOptions {
  return {
    default: {
      document: {
        // The grid's charSpace is relative to the default font size, so it must be 三号.
        run: { font: cjkFont(FONTS.body), size: halfPoints(FONT_SIZE_PT.三号),
          // Latin text (digits, %) is tagged en-US as Chinese Word does: tagged zh-CN, LibreOffice
          // breaks lines inside numbers (满意率1 / 00%).
          language: { value: 'en-US', eastAsia: 'zh-CN' },
          characterSpacing: CONDENSE,
        },
        paragraph: { spacing: gridSpacing(), ...NO_HANGING_PUNCTUATION },
      },
    },
    paragraphStyles: [
      {
        id: STYLE_IDS.title,
        name: '公文标题',
        basedOn: 'Normal',
        next: STYLE_IDS.body,
        quickFormat: true,
        run: { font: cjkFont(FONTS.title), size: halfPoints(FONT_SIZE_PT.二号) },
        paragraph: { alignment: AlignmentType.CENTER, spacing: gridSpacing(), ...NO_HANGING_PUNCTUATION },
      },
      {
        id: STYLE_IDS.heading1,
        name: '公文一级标题',
        basedOn: 'Normal',
        next: STYLE_IDS.body,
        quickFormat: true,
        run: { font: cjkFont(FONTS.heading1), size: halfPoints(FONT_SIZE_PT.三号) },
        paragraph: { indent: FIRST_LINE_INDENT, spacing: gridSpacing(), outlineLevel: 0, keepNext: true, ...NO_HANGING_PUNCTUATION },
      },
      {
        id: STYLE_IDS.body,
        name: '公文正文',
        basedOn: 'Normal',
        quickFormat: true,
        run: { font: cjkFont(FONTS.body), size: halfPoints(FONT_SIZE_PT.三号) },
        paragraph: { alignment: AlignmentType.JUSTIFIED, indent: FIRST_LINE_INDENT, spacing: gridSpacing(), ...NO_HANGING_PUNCTUATION },
      },
      {
        id: STYLE_IDS.pageNumber,
        name: '公文页码',
        basedOn: 'Normal',
        run: { font: cjkFont(FONTS.pageNumber), size: halfPoints(FONT_SIZE_PT.四号) },
        paragraph: { spacing: { line: FONT_SIZE_PT.四号 * 20, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
      },
    ],
    characterStyles: [
      {
        id: STYLE_IDS.heading2,
        name: '公文二级标题',
        basedOn: 'DefaultParagraphFont',
        quickFormat: true,
        run: { font: cjkFont(FONTS.heading2), size: halfPoints(FONT_SIZE_PT.三号) },
      },
    ],
  };
}
