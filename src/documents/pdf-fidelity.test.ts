/**
 * Issue 10: the PDF says what the report says (compared sentence by sentence with the Markdown),
 * keeps punctuation inside the text area, and the .docx a user downloads lays out in LibreOffice on
 * the same 22-line grid of 28 characters, with the same pages, as the PDF the platform writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, renderReport } from '../core/report';
import { MIAOHANG_2023_VALUES } from '../core/report/reference-values';
import { mmToTwips } from './docx-layout';
import { convertDocxToPdf, findSoffice, PdfUnavailableError, writeReportPdf } from './pdf';
import { hasPoppler, markdownPlainText, pdfLines, pdfPageCount, pdfPlainText, pdfWords, sentencesOf } from './pdf-fidelity';
import { writeReport } from './report-output';
import { renderReportMarkdown } from './report-markdown';

const doc = {
  ...renderReport(DEFAULT_TEMPLATE, {
    orgName: '庙行镇',
    year: 2023,
    // No 2021 indicators for the year-on-year figures: the sentence is left out of every format.
    values: { ...MIAOHANG_2023_VALUES, 'indicator.fraud_110_calls_yoy': null, 'task.next_year_titles': ['推进法治讲座进园区', '开展执法人员轮训'] },
  }),
  signature: { issuer: '上海市宝山区庙行镇人民政府', date: '2024年3月15日', addressee: '宝山区人民政府' },
};

const PT = 72 / 25.4;
const left = 28 * PT;
const right = (210 - 26) * PT;
const LINE_PITCH_PT = 579 / 20;

// scripts/test.sh and .ci/run install LibreOffice and poppler-utils. Where LibreOffice is missing
// anyway, each test checks instead that the PDF is refused with the install hint (as pdf.test.ts).
const soffice = findSoffice() !== null;

describe('PDF fidelity', () => {
  let pdf: Buffer;
  let fromDocx: Buffer;
  beforeAll(async () => {
    if (!soffice) return;
    expect(hasPoppler(), 'poppler-utils (pdftotext) is installed with LibreOffice').toBe(true);
    pdf = await writeReportPdf(doc);
    // The .docx a user downloads, converted by LibreOffice as WPS and the intranet's converters would.
    fromDocx = await convertDocxToPdf(await writeReport(doc, 'docx'));
  }, 240_000);

  /** Where LibreOffice is absent: the PDF is refused with what to install. */
  const absent = async (): Promise<boolean> => {
    if (soffice) return false;
    await expect(writeReportPdf(doc)).rejects.toThrow(PdfUnavailableError);
    return true;
  };

  it('has the text of the Markdown, sentence by sentence (no comma lost at a line end)', async () => {
    if (await absent()) return;
    const fromPdf = sentencesOf(pdfPlainText(pdf));
    const fromMd = sentencesOf(markdownPlainText(renderReportMarkdown(doc)));
    expect(fromMd.length).toBeGreaterThan(40);
    for (let i = 0; i < Math.max(fromPdf.length, fromMd.length); i++) expect(fromPdf[i], `sentence ${i + 1}`).toBe(fromMd[i]);
    expect(fromPdf.join('')).toContain('推动法治宣传贴近群众生活，提高群众尊法学法守法用法的自觉性。');
    expect(fromPdf.join('')).not.toMatch(/同比分别|—、/);
  });

  it('keeps every glyph, punctuation included, inside the text area (标点不得出版心)', async () => {
    if (await absent()) return;
    const { words, pageWidth } = pdfWords(pdf);
    expect(pageWidth).toBeCloseTo(595.3, 0);
    const body = words.filter((w) => !/^—?\d*—?$/.test(w.text));
    const outside = body.filter((w) => w.xMax > right + 1 || w.xMin < left - 1);
    expect(outside.map((w) => `${w.text} ${w.xMin.toFixed(1)}–${w.xMax.toFixed(1)}`)).toEqual([]);
  });

  it('lays the downloaded .docx out in LibreOffice on the 22×28 grid, with the pages of the platform’s PDF', async () => {
    if (await absent()) return;
    expect(pdfPageCount(fromDocx)).toBe(pdfPageCount(pdf));
    expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(4);
    const lines = pdfLines(pdfWords(fromDocx).words).filter((l) => !/^—\d+—$/.test(l.text));
    const pages = [...new Set(lines.map((l) => l.page))];
    for (const p of pages) {
      const onPage = lines.filter((l) => l.page === p);
      expect(onPage.length, `lines on page ${p}`).toBeLessThanOrEqual(22);
      // Lines of 三号 text (the 二号 title's glyph boxes are taller and sit differently on its line).
      const ys = onPage.filter((l) => l.height < 24).map((l) => l.y);
      // Consecutive lines sit on the 579-twip grid (a whole number of lines apart).
      for (let i = 1; i < ys.length; i++) {
        const steps = (ys[i]! - ys[i - 1]!) / LINE_PITCH_PT;
        expect(Math.abs(steps - Math.round(steps)), `page ${p} line ${i + 1}`).toBeLessThan(0.05);
      }
    }
    // A full line of a justified paragraph spans the 156 mm line: 28 characters of 三号, not 17–20.
    const full = lines.filter((l) => l.xMin < left + 1 && l.xMax > right - 2);
    expect(full.length).toBeGreaterThan(40);
    const cjk = full.map((l) => [...l.text].reduce((n, c) => n + (c.charCodeAt(0) >= 0x2000 ? 1 : 0.55), 0));
    expect(Math.min(...cjk.filter((_, i) => !/[\d%]/.test(full[i]!.text)))).toBeGreaterThanOrEqual(27);
    expect(Math.max(...cjk)).toBeLessThanOrEqual(28.5);
    expect(mmToTwips(156)).toBe(8844);
  });

  it('prints the 署名 right-indented two characters and the date two characters right of its start', async () => {
    if (await absent()) return;
    const lines = pdfLines(pdfWords(pdf).words);
    const issuer = lines.find((l) => l.text === '上海市宝山区庙行镇人民政府')!;
    const date = lines.find((l) => l.text === '2024年3月15日')!;
    expect(issuer).toBeDefined();
    const pitch = 15.75;
    expect(right - issuer.xMax).toBeCloseTo(2 * pitch, -0.5);
    expect(date.xMin - issuer.xMin).toBeCloseTo(2 * pitch, -0.5);
    expect(date.y - issuer.y).toBeCloseTo(LINE_PITCH_PT, 0);
    expect(lines.find((l) => l.text === '宝山区人民政府：')!.xMin).toBeCloseTo(left, 0);
  });
});
