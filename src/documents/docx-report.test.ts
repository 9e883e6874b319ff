import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, renderReport } from '../core/report';
import { MIAOHANG_2023_PHRASES, MIAOHANG_2023_VALUES } from '../core/report/reference-values';
import { inspectDocx, type InspectedDocx } from './docx-inspect';
import { gbt9704Grid, mmToTwips } from './docx-layout';
import { writeReportDocx } from './docx-report';
import { forLibreOffice } from './pdf';

const doc = {
  ...renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values: MIAOHANG_2023_VALUES }),
  signature: { issuer: '上海市宝山区庙行镇人民政府', date: '2024年3月15日', addressee: '宝山区人民政府' },
};

describe('GB/T 9704 geometry', () => {
  it('converts the margins to twips', () => {
    expect([37, 35, 28, 26].map(mmToTwips)).toEqual([2098, 1984, 1587, 1474]);
  });
  it('computes a grid of 22 lines of 28 characters', () => {
    const g = gbt9704Grid();
    expect(g).toEqual({ linePitch: 579, charSpace: -842 });
    const textWidth = 11906 - 1587 - 1474;
    const charPitchTwips = (16 + g.charSpace / 4096) * 20;
    expect(Math.floor(textWidth / charPitchTwips)).toBe(28);
    expect(Math.floor((16838 - 2098 - 1984) / g.linePitch)).toBe(22);
  });
});

describe('writeReportDocx', () => {
  let d: InspectedDocx;
  beforeAll(async () => {
    d = await inspectDocx(await writeReportDocx(doc));
  });

  it('sets A4, the margins and the 22x28 grid', () => {
    expect(d.pageSize).toEqual({ width: 11906, height: 16838 });
    expect(d.margins).toMatchObject({ top: 2098, bottom: 1984, left: 1587, right: 1474 });
    // Issue 10: a grid of lines; the 28 characters come from the condensed spacing (a character grid
    // falls apart to 17–20 characters a line in LibreOffice and WPS). See docx-page.ts.
    expect(d.grid).toEqual({ type: 'lines', linePitch: 579 });
  });

  it('uses 仿宋_GB2312 三号 for the body, 方正小标宋简体 二号 for the title, 黑体 and 楷体_GB2312 for headings', () => {
    expect(d.defaults).toEqual({ fonts: expect.objectContaining({ eastAsia: '仿宋_GB2312', ascii: '仿宋_GB2312' }), size: 32 });
    const title = d.styles.get('GwTitle')!;
    expect(title).toMatchObject({ type: 'paragraph', size: 44, alignment: 'center', fonts: expect.objectContaining({ eastAsia: '方正小标宋简体' }) });
    const body = d.styles.get('GwBody')!;
    expect(body).toMatchObject({ size: 32, firstLineChars: 200, alignment: 'both', line: { line: 579, rule: 'exact' } });
    expect(body.fonts?.eastAsia).toBe('仿宋_GB2312');
    expect(d.styles.get('GwHeading1')).toMatchObject({ size: 32, firstLineChars: 200, fonts: expect.objectContaining({ eastAsia: '黑体' }) });
    expect(d.styles.get('GwHeading2')).toMatchObject({ type: 'character', size: 32, fonts: expect.objectContaining({ eastAsia: '楷体_GB2312' }) });
    expect(d.styles.get('GwPageNumber')).toMatchObject({ size: 28, fonts: expect.objectContaining({ eastAsia: '宋体' }) });
  });

  it('numbers pages — 1 — on the right of odd pages and the left of even ones', () => {
    expect(d.evenAndOddHeaders).toBe(true);
    const odd = d.footers.find((f) => f.type === 'default')!;
    const even = d.footers.find((f) => f.type === 'even')!;
    expect(odd).toMatchObject({ alignment: 'right', style: 'GwPageNumber', text: '—  —', fields: ['PAGE'], indent: { right: '280' } });
    expect(even).toMatchObject({ alignment: 'left', style: 'GwPageNumber', text: '—  —', fields: ['PAGE'], indent: { left: '280' } });
  });

  it('writes the title, headings with run-in second-level headings, and every figure', () => {
    const [title, blank, , opening] = d.paragraphs;
    expect(title).toMatchObject({ style: 'GwTitle', text: '庙行镇2023年法治政府建设情况报告' });
    expect(blank).toMatchObject({ style: 'GwBody', text: '' });
    expect(opening!.text.startsWith('2023年，庙行镇')).toBe(true);
    const h1 = d.paragraphs.filter((p) => p.style === 'GwHeading1').map((p) => p.text);
    expect(h1).toHaveLength(4);
    expect(h1[0]).toBe('一、2023年度推进法治政府建设的主要举措和成效');
    const enforcement = d.paragraphs.find((p) => p.text.startsWith('（四）'))!;
    expect(enforcement.runs[0]).toEqual({ style: 'GwHeading2', text: '（四）严格规范公正文明执法，提升执法质效。' });
    const all = d.paragraphs.map((p) => p.text).join('\n');
    for (const phrase of MIAOHANG_2023_PHRASES) expect(all).toContain(phrase);
    expect(all).toContain('全年重大行政执法决定法制审核19件');
    expect(all).toContain('全年组织专题培训35期，培训行政执法人员751人次');
  });

  it('tags Latin text (digits) en-US and East Asian text zh-CN, so numbers are never split across lines', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(await writeReportDocx(doc));
    const styles = await zip.file('word/styles.xml')!.async('string');
    const docDefaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)![0];
    expect(docDefaults).toMatch(/<w:lang w:val="en-US" w:eastAsia="zh-CN"\/>/);
  });

  it('condenses the runs to 28 characters a line and keeps punctuation inside the text area', async () => {
    const JSZip = (await import('jszip')).default;
    const styles = await (await JSZip.loadAsync(await writeReportDocx(doc))).file('word/styles.xml')!.async('string');
    const docDefaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)![0];
    expect(docDefaults).toContain('<w:spacing w:val="-5"/>');
    // ECMA-376 §17.3.1.21: overflowPunct false keeps punctuation inside (Word); the PDF's LibreOffice
    // copy carries the inverted value LibreOffice's import needs (docx-styles.ts).
    expect(docDefaults).toContain('<w:overflowPunct w:val="0"/>');
    expect(styles).not.toContain('<w:overflowPunct w:val="1"/>');
    const lo = await (await JSZip.loadAsync(await forLibreOffice(await writeReportDocx(doc)))).file('word/styles.xml')!.async('string');
    expect(lo).toContain('<w:overflowPunct w:val="1"/>');
    expect(lo).not.toContain('<w:overflowPunct w:val="0"/>');
    expect((11906 - 1587 - 1474) / (16 * 20 - 5)).toBeGreaterThanOrEqual(28);
  });

  it('places 主送机关 below the title and 署名 and 成文日期 right below the text (GB/T 9704 §7.3.3, §7.3.5.2)', () => {
    const [, blankLine, addressee, opening] = d.paragraphs;
    expect(blankLine!.text).toBe('');
    expect(addressee).toMatchObject({ text: '宝山区人民政府：', indent: { firstLine: '0' } });
    expect(opening!.text.startsWith('2023年，庙行镇')).toBe(true);
    const n = d.paragraphs.length;
    const [gap, issuer, date] = d.paragraphs.slice(n - 3);
    // The last line of text, one empty line, the 署名 right-indented two characters (2 × 315 twips),
    // the date starting two characters right of the 署名's first: 13 characters from the right edge.
    expect(d.paragraphs[n - 4]!.text).toContain('多元化的法律服务需求。');
    expect(gap!.text).toBe('');
    expect(issuer).toMatchObject({ text: '上海市宝山区庙行镇人民政府', alignment: 'right', indent: expect.objectContaining({ right: '630' }) });
    expect(date).toMatchObject({ text: '2024年3月15日', alignment: 'left', indent: expect.objectContaining({ left: String(8845 - 13 * 315) }) });
  });
});
