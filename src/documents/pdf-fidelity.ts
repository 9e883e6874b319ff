/**
 * Reading a PDF back with poppler (pdftotext, pdfinfo) to check that it says what the report says
 * and keeps the GB/T 9704 page: used by the tests, and by anyone checking an exported file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Buffer, f: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fazhi-pdfread-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    return f(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether poppler's pdftotext is installed. */
export function hasPoppler(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function pdfPageCount(pdf: Buffer): number {
  const info = withFile(pdf, (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
}

export interface PdfWord {
  page: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  text: string;
}

/** Every word with its box, in points (pdftotext -bbox). */
export function pdfWords(pdf: Buffer): { words: PdfWord[]; pageWidth: number; pageHeight: number } {
  const xml = withFile(pdf, (f) => execFileSync('pdftotext', ['-bbox', f, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const words: PdfWord[] = [];
  let page = 0;
  let pageWidth = 0;
  let pageHeight = 0;
  for (const m of xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[1] !== undefined) {
      page++;
      pageWidth = Number(m[1]);
      pageHeight = Number(m[2]);
    } else words.push({ page, xMin: Number(m[3]), yMin: Number(m[4]), xMax: Number(m[5]), yMax: Number(m[6]), text: m[7]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') });
  }
  return { words, pageWidth, pageHeight };
}

/** Lines of a page: words grouped by their top (pdftotext keeps a line's words at one yMin). */
export interface PdfLine {
  page: number;
  y: number;
  /** Height of the line's glyph boxes: tells 三号 body text from the 二号 title. */
  height: number;
  xMin: number;
  xMax: number;
  text: string;
}

export function pdfLines(words: readonly PdfWord[]): PdfLine[] {
  const lines = new Map<string, PdfLine>();
  for (const w of words) {
    const k = `${w.page}:${w.yMin.toFixed(1)}`;
    const l = lines.get(k);
    if (l) {
      l.xMin = Math.min(l.xMin, w.xMin);
      l.xMax = Math.max(l.xMax, w.xMax);
      l.text += w.text;
    } else lines.set(k, { page: w.page, y: w.yMin, height: w.yMax - w.yMin, xMin: w.xMin, xMax: w.xMax, text: w.text });
  }
  return [...lines.values()].sort((a, b) => a.page - b.page || a.y - b.y);
}

/** The PDF's text without page numbers (`— 1 —`) and without the line breaks and spaces layout adds. */
export function pdfPlainText(pdf: Buffer): string {
  const text = withFile(pdf, (f) => execFileSync('pdftotext', [f, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  return text
    .split('\n')
    .filter((l) => !/^\s*—\s*\d+\s*—\s*$/.test(l))
    .join('')
    .replace(/[\s\f]+/g, '');
}

/** A Markdown report's text as printed: no markup, no escapes, no whitespace. */
export function markdownPlainText(md: string): string {
  return md
    .replace(/^#+ /gm, '')
    .replace(/\*\*/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, '');
}

/** Sentences (up to 。！？：；, closing quotes kept) of a text without whitespace. */
export function sentencesOf(text: string): string[] {
  return text.match(/[^。！？：；]*[。！？：；]+[”’）」』]*|[^。！？：；]+$/gu) ?? [];
}
