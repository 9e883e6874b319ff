import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, renderReport } from '../core/report';
import { MIAOHANG_2023_VALUES } from '../core/report/reference-values';
import { findSoffice, FONTCONFIG_FILE, PDF_UNAVAILABLE_MESSAGE, PdfUnavailableError, writeReportPdf } from './pdf';

const FANDOL_FANG = '/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf';
const doc = renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values: MIAOHANG_2023_VALUES });

describe('PDF output', () => {
  it('ships the font mapping it uses', () => {
    expect(existsSync(FONTCONFIG_FILE)).toBe(true);
    const conf = readFileSync(FONTCONFIG_FILE, 'utf8');
    for (const f of ['仿宋_GB2312', '方正小标宋简体', '黑体', '楷体_GB2312', '宋体']) expect(conf).toMatch(new RegExp(`<(family|string)>${f}</(family|string)>`));
    expect(conf).toContain('<family>FandolFang</family>');
    expect(conf).toContain('Noto Serif CJK SC');
  });

  // GB/T 9704 prints the body in 仿宋. Debian's only FangSong face with the simplified characters is
  // FandolFang (texlive-lang-chinese, installed by .ci/run and scripts/test.sh); without it the
  // body falls back to Noto Serif CJK SC, never to whatever face fontconfig would pick.
  it('maps 仿宋_GB2312 to FandolFang where it is installed, else to Noto Serif CJK SC', () => {
    let family: string;
    try {
      family = execFileSync('fc-match', ['-f', '%{family}', '仿宋_GB2312'], { encoding: 'utf8', env: { ...process.env, FONTCONFIG_FILE } });
    } catch {
      return expect(existsSync(FANDOL_FANG)).toBe(false); // no fontconfig tools, hence no LibreOffice PDF either
    }
    expect(family.split(',')[0]).toBe(existsSync(FANDOL_FANG) ? 'FandolFang' : 'Noto Serif CJK SC');
  });

  it('says what to install when LibreOffice is absent', async () => {
    await expect(writeReportPdf(doc, { searchPath: '/nonexistent' })).rejects.toThrow(PdfUnavailableError);
    expect(PDF_UNAVAILABLE_MESSAGE).toContain('libreoffice-writer-nogui');
  });

  // Runs both ways: where LibreOffice is installed it must produce the PDF, where not the clear error.
  it('converts the .docx with LibreOffice when installed, else fails with the install hint', async () => {
    if (findSoffice()) {
      const pdf = await writeReportPdf(doc);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdf.toString('latin1');
      expect(text).toMatch(/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]/);
      expect(text).toMatch(/FontName\s*\/[A-Z]{6}\+NotoS(erif|ans)CJK/);
      const lines = pdfText(pdf);
      // Where poppler is installed: no number is split across two lines (满意率1 / 00%).
      if (lines !== null) {
        expect(lines).toContain('满意率');
        expect(lines).not.toMatch(/\d[ \t]*\n[ \t]*\d/);
      }
    } else {
      await expect(writeReportPdf(doc)).rejects.toThrow(/libreoffice-writer-nogui/);
    }
  }, 120_000);
});

/** The PDF's text, line by line as laid out (poppler's pdftotext), or null where it is not installed. */
function pdfText(pdf: Buffer): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-pdftext-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
