import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, renderReport } from '../core/report';
import { MIAOHANG_2023_VALUES } from '../core/report/reference-values';
import { printable } from '../core/report/printable';
import { writeReportDocx } from './docx-report';
import { findSoffice, writeReportPdf } from './pdf';
import { renderReportMarkdown } from './report-markdown';

/**
 * A record's own words reach the report through list figures (here the titles of the 联勤联动
 * work events, `work_event.joint_titles`): markup, XML specials and a CDATA end come out as the
 * literal text; control characters (which XML cannot carry) and bidirectional controls (which would
 * make "发票\u202Efdp.exe" read "发票exe.pdf") are dropped, in the .docx XML and in the PDF's text.
 */
const HOSTILE = '<script>alert("x")</script> & ]]> <w:p/> 甲\u0007乙\u0001丙 发票\u202Efdp.exe \u2066隔离\u2069';
/** What prints: the same characters minus the controls. */
const PRINTED = '<script>alert("x")</script> & ]]> <w:p/> 甲乙丙 发票fdp.exe 隔离';

const doc = renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values: { ...MIAOHANG_2023_VALUES, 'work_event.joint_titles': [HOSTILE] } });

const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe('record text in the documents', () => {
  it('is printable text in the document model', () => {
    expect(printable(HOSTILE)).toBe(PRINTED);
    const runs = doc.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.runs.map((r) => r.text))).join('');
    expect(runs).toContain(PRINTED);
    expect(runs).not.toMatch(CONTROLS);
  });

  it('comes out escaped in the .docx XML: no element, no CDATA end, no control or bidi character', async () => {
    const zip = await JSZip.loadAsync(await writeReportDocx(doc));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &lt;w:p/&gt; 甲乙丙 发票fdp.exe 隔离');
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toMatch(CONTROLS);
    // The text sits in one w:t element, as text.
    const t = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).find((x) => x!.includes('script'));
    expect(t).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &lt;w:p/&gt; 甲乙丙 发票fdp.exe 隔离');
  });

  it('comes out escaped in the Markdown', () => {
    const md = renderReportMarkdown(doc);
    expect(md).toContain('\\<script\\>alert("x")\\</script\\> & \\]\\]\\> \\<w:p/\\> 甲乙丙 发票fdp.exe 隔离');
    expect(md).not.toMatch(CONTROLS);
  });

  // LibreOffice and poppler are on the CI image; where they are not, the PDF path says so in pdf.test.ts.
  it.runIf(findSoffice() !== null && hasPdftotext())('reads literally in the PDF’s text (pdftotext)', async () => {
    const pdf = await writeReportPdf(doc);
    const dir = mkdtempSync(join(tmpdir(), 'fazhi-esc-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      // Lines break where the page does: compare without white space.
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain(PRINTED.replace(/\s+/g, ''));
      expect(flat).not.toMatch(CONTROLS); // pdftotext ends each page with a form feed: white space, removed above
      expect(flat).not.toContain('exe.pdf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
