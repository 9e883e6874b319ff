/**
 * PDF output: the .docx converted by LibreOffice (headless), with the GB/T 9704 fonts mapped to
 * FandolFang (the body's 仿宋, from texlive-lang-chinese) and Noto CJK by `fonts/fontconfig.conf`
 * (see the mapping there). LibreOffice is optional: without it
 * the error says what to install.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportDocument } from '../core/report';
import JSZip from 'jszip';
import { writeReportDocx } from './docx-report';

export const FONTCONFIG_FILE = fileURLToPath(new URL('./fonts/fontconfig.conf', import.meta.url));

export const PDF_UNAVAILABLE_MESSAGE =
  '无法生成PDF：未找到LibreOffice（soffice）。请在服务器上安装：sudo apt-get install -y libreoffice-writer-nogui fonts-noto-cjk（正文仿宋字体另装 texlive-lang-chinese），或改用 docx 格式导出。';

export class PdfUnavailableError extends Error {
  constructor() {
    super(PDF_UNAVAILABLE_MESSAGE);
    this.name = 'PdfUnavailableError';
  }
}

/** The LibreOffice executable on PATH (`soffice` or `libreoffice`), or null. */
export function findSoffice(path: string = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not in this directory
      }
    }
  }
  return null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`PDF转换失败：${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

export interface PdfOptions {
  /** PATH to look for LibreOffice in (tests use it); default process.env.PATH. */
  searchPath?: string;
  timeoutMs?: number;
}

/**
 * The .docx as LibreOffice must read it to lay out what Word lays out: `w:overflowPunct w:val="0"`
 * (ECMA-376: punctuation stays inside the text area) written as `w:val="1"`, since LibreOffice's
 * OOXML import reads that element inverted (docx-styles.ts, NO_HANGING_PUNCTUATION).
 */
export async function forLibreOffice(docx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  for (const name of ['word/styles.xml', 'word/document.xml']) {
    const file = zip.file(name);
    if (!file) continue;
    zip.file(name, (await file.async('string')).replaceAll('<w:overflowPunct w:val="0"/>', '<w:overflowPunct w:val="1"/>'));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Converts a .docx to PDF in a private temp dir (its own LibreOffice profile, so runs never clash). */
export async function convertDocxToPdf(docx: Buffer, opts: PdfOptions = {}): Promise<Buffer> {
  const soffice = findSoffice(opts.searchPath);
  if (!soffice) throw new PdfUnavailableError();
  const dir = await mkdtemp(join(tmpdir(), 'fazhi-pdf-'));
  try {
    const input = join(dir, 'report.docx');
    await writeFile(input, await forLibreOffice(docx));
    const env = { ...process.env, FONTCONFIG_FILE, HOME: dir };
    await run(
      soffice,
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input],
      env,
      opts.timeoutMs ?? 120_000,
    );
    return await readFile(join(dir, 'report.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeReportPdf(doc: ReportDocument, opts: PdfOptions = {}): Promise<Buffer> {
  if (!findSoffice(opts.searchPath)) throw new PdfUnavailableError();
  // The same .docx a user downloads: what LibreOffice (and WPS, and the intranet's converters) lay out.
  return convertDocxToPdf(await writeReportDocx(doc), opts);
}
