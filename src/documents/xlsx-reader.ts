/**
 * A streaming .xlsx reader that keeps sheet names right for any number of sheets.
 *
 * Why not exceljs's WorkbookReader as it is: it reads the zip front to back and parses a worksheet
 * at once when it has already seen the shared strings and the workbook relationships — without
 * checking that it has seen `xl/workbook.xml`, which holds the sheet names. In workbooks written by
 * Excel or exceljs that part comes last, so a sheet parsed early gets no name (`Sheet4`) or the
 * reader throws (`Cannot read properties of undefined (reading 'sheets')`). Which sheets are parsed
 * early depends on how the bytes arrive (a file read in 64 KB chunks vs. one request body), which is
 * why it showed past three sheets and not always.
 *
 * So the zip is opened with random access (its central directory, below; the compressed bytes stay
 * as they are and each part is inflated by zlib as a stream when read), the workbook, relationships, styles and shared strings are read
 * first, and then each worksheet is streamed in workbook order through exceljs's own worksheet
 * parser. Memory stays flat in the number of rows: rows are handed out one at a time.
 */
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError } from '../core/errors';
import { plain, type Plain } from './cell-values';

export interface SheetRow {
  /** 1-based row number in the sheet. */
  row: number;
  /** Non-empty cells by 1-based column number. */
  cells: Map<number, Exclude<Plain, null>>;
}

export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SourceSheet {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Merged ranges of the sheet (read before its rows). */
  merges: Merge[];
  rows(): AsyncIterable<SheetRow>;
}

export interface SourceBook {
  format: 'xlsx' | 'csv';
  sheets: SourceSheet[];
}

/** The private parts of exceljs's WorkbookReader used here (stable across exceljs 4.x). */
interface ExcelReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Iterable<{ eventType: string; value: WorksheetReaderLike }>;
  workbookRels?: { Id: string; Target: string; Type: string }[];
  model?: { sheets?: { id: number; name: string; rId: string; state?: string }[] };
}

interface WorksheetReaderLike extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

interface ZipPart {
  method: number;
  start: number;
  size: number;
}

/** The parts of a zip by name, from its central directory (no zip64: workbooks here are far below 4 GB). */
function zipParts(buf: Buffer): Map<string, ZipPart> | null {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts = new Map<string, ZipPart>();
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) return null;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + size > buf.length) return null;
    parts.set(name, { method, start, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return parts;
}

/**
 * A part inflated as a stream of text (stored or deflated, the two methods .xlsx writers use).
 * Decoded here, by a decoder that keeps a character split across two chunks whole: exceljs's SAX
 * step decodes each Buffer chunk on its own, which garbles such characters (汉字 are three bytes).
 */
function partStream(buf: Buffer, part: ZipPart): Readable {
  const raw = Readable.from([buf.subarray(part.start, part.start + part.size)]);
  if (part.method !== 0 && part.method !== 8) throw notWorkbook();
  const out = part.method === 0 ? raw.pipe(new PassThrough()) : raw.pipe(zlib.createInflateRaw());
  out.setEncoding('utf8');
  return out;
}

const notWorkbook = () => new AppError('BAD_REQUEST', '文件不是有效的Excel工作簿（.xlsx），请用Excel或WPS另存为.xlsx后再导入');

/** The zip path of a relationship target of xl/workbook.xml (relative or absolute). */
function partPath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

function decodeRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

/** `<mergeCell ref="A1:C1"/>` entries of a sheet part, found by scanning its XML as it inflates. */
async function scanMerges(part: Readable): Promise<Merge[]> {
  const out: Merge[] = [];
  let tail = '';
  const re = /<(?:\w+:)?mergeCell\s+ref="([A-Z$0-9]+):([A-Z$0-9]+)"/g;
  for await (const c of part as AsyncIterable<string>) {
    const text = tail + c;
    let m: RegExpExecArray | null;
    re.lastIndex = 0;
    let consumed = 0;
    while ((m = re.exec(text))) {
      const a = decodeRef(m[1]!);
      const b = decodeRef(m[2]!);
      if (a && b) out.push({ top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) });
      consumed = re.lastIndex;
    }
    tail = text.slice(Math.max(consumed, text.length - 64));
  }
  return out;
}

/**
 * Opens a workbook. Throws a Chinese "not a workbook" error for anything that is not an .xlsx
 * (an empty file, a .xls, a renamed text file).
 */
export async function openXlsx(input: Buffer): Promise<SourceBook> {
  if (input.length < 4 || input.readUInt32LE(0) !== 0x04034b50) throw notWorkbook();
  const parts = zipParts(input);
  if (!parts) throw notWorkbook();
  const open = (name: string) => {
    const p = parts.get(name);
    return p ? partStream(input, p) : null;
  };
  const wbPart = open('xl/workbook.xml');
  const relsPart = open('xl/_rels/workbook.xml.rels');
  if (!wbPart || !relsPart) throw notWorkbook();
  // A WorkbookReader that never reads its own input: its part parsers are driven below, in order.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ExcelReaderInternals;
  try {
    await reader._parseRels(relsPart);
    await reader._parseWorkbook(wbPart);
    const styles = open('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
    const shared = open('xl/sharedStrings.xml');
    if (shared) for await (const _ of reader._parseSharedStrings(shared)) void _;
  } catch {
    throw notWorkbook();
  }
  const rels = reader.workbookRels ?? [];
  const sheets: SourceSheet[] = [];
  let n = 0;
  for (const s of reader.model?.sheets ?? []) {
    const rel = rels.find((r) => r.Id === s.rId);
    const path = rel ? partPath(rel.Target) : '';
    if (!parts.has(path)) continue; // a chart sheet or a dangling entry: no rows
    const sheetNo = String(++n);
    const name = s.name;
    const state = s.state === 'hidden' || s.state === 'veryHidden' ? s.state : 'visible';
    let merges: Merge[] = [];
    sheets.push({
      name,
      state,
      get merges() {
        return merges;
      },
      async *rows() {
        merges = await scanMerges(open(path)!);
        for (const ev of reader._parseWorksheet(open(path)!, sheetNo)) {
          if (ev.eventType !== 'worksheet') continue;
          for await (const r of ev.value) {
            const cells = new Map<number, Exclude<Plain, null>>();
            const values = r.values as unknown[];
            for (let col = 1; col < values.length; col++) {
              const v = plain(values[col]);
              if (v !== null) cells.set(col, v);
            }
            if (cells.size) yield { row: r.number, cells };
          }
        }
      },
    });
  }
  if (!sheets.length) throw notWorkbook();
  return { format: 'xlsx', sheets };
}
