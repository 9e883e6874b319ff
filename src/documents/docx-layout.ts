/**
 * GB/T 9704-2012 (党政机关公文格式) page layout in WordprocessingML units: twips (1/20 pt),
 * half-points for font sizes, 1/4096 pt for the character grid.
 */

export function mmToTwips(mm: number): number {
  return Math.round((mm * 1440) / 25.4);
}

/** Font sizes of Chinese typesetting (号) in points. */
export const FONT_SIZE_PT = { 二号: 22, 三号: 16, 四号: 14, 小四: 12, 五号: 10.5 } as const;

/** Font names as a Word user in a government office has them installed. */
export const FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

export const A4 = { width: 11906, height: 16838 } as const;

export const MARGINS = {
  top: mmToTwips(37),
  bottom: mmToTwips(35),
  left: mmToTwips(28),
  right: mmToTwips(26),
} as const;

/** Width of the type area (156 mm). */
export const TEXT_WIDTH_TWIPS = A4.width - MARGINS.left - MARGINS.right;

export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;

export interface DocGrid {
  /** Twips per line: the text height divided into 22 lines. */
  linePitch: number;
  /** Added to the body font size to get the character pitch, in 1/4096 pt (Word's docGrid charSpace). */
  charSpace: number;
}

/**
 * The type-area grid: 22 lines of 28 characters of 三号 (16 pt). Both are rounded down so that 22
 * lines and 28 characters always fit (the usual Word template values, 579 and -842).
 */
export function gbt9704Grid(bodySizePt: number = FONT_SIZE_PT.三号): DocGrid {
  const textWidth = A4.width - MARGINS.left - MARGINS.right;
  const textHeight = A4.height - MARGINS.top - MARGINS.bottom;
  const linePitch = Math.floor(textHeight / LINES_PER_PAGE);
  const charPitchPt = textWidth / CHARS_PER_LINE / 20;
  const charSpace = Math.floor((charPitchPt - bodySizePt) * 4096);
  return { linePitch, charSpace };
}

/**
 * Footer distance from the page's bottom edge: the page number's line top sits 7 mm below the type
 * area (GB/T 9704 §7.5), so the footer's bottom is at (bottom margin - 7 mm - one 四号 line).
 */
export const FOOTER_LINE = FONT_SIZE_PT.四号 * 20;
export const FOOTER_DISTANCE = mmToTwips(35 - 7) - FOOTER_LINE;

/** One character of the page-number font: odd numbers sit this far from the right, even from the left. */
export const PAGE_NUMBER_INSET = FONT_SIZE_PT.四号 * 20;
