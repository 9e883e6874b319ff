/**
 * CSV as Excel and WPS save it: UTF-8 with or without a BOM, or GBK/GB18030 (what Chinese Excel
 * writes for "CSV (逗号分隔)"), detected from the bytes; RFC 4180 quoting; comma, tab or semicolon
 * separated. One CSV holds one kind, named by the caller (`--kind`, or the file's name).
 */
import { AppError } from '../core/errors';
import type { SheetRow, SourceBook } from './xlsx-reader';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le';

/**
 * The text of a CSV file: a BOM decides; otherwise bytes that are valid UTF-8 are UTF-8, and
 * anything else is read as GB18030 (a superset of GBK and GB2312).
 */
export function decodeCsv(buf: Buffer): { text: string; encoding: CsvEncoding } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(buf), encoding: 'gb18030' };
  }
}

/** The separator of the first line: the most frequent of comma, tab and semicolon outside quotes. */
function separatorOf(text: string): string {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const counts = [',', '\t', ';', '，'].map((c) => [c, first.split(c).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

/** Rows of a CSV text (RFC 4180: quoted fields may hold separators, quotes as "" and line breaks). */
export function* parseCsv(text: string): Generator<SheetRow> {
  const sep = separatorOf(text);
  let row = 1;
  let cells = new Map<number, string>();
  let col = 1;
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endField = () => {
    if (field.trim() !== '') cells.set(col, field);
    field = '';
    col++;
  };
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (ch === sep) endField();
    else if (ch === '\n' || ch === '\r') {
      endField();
      if (cells.size) yield { row, cells };
      row++;
      cells = new Map();
      col = 1;
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || col > 1) {
    endField();
    if (cells.size) yield { row, cells };
  }
}

/** A CSV file as a one-sheet book named `sheetName` (the kind it holds). */
export function openCsv(buf: Buffer, sheetName: string): SourceBook & { encoding: CsvEncoding } {
  if (buf.length === 0) throw new AppError('VALIDATION', '文件是空的，没有可导入的内容');
  const { text, encoding } = decodeCsv(buf);
  if (text.includes('\u0000')) throw new AppError('BAD_REQUEST', '文件不是CSV文本文件（含有二进制内容），请用Excel另存为“CSV (逗号分隔)”后再导入');
  return {
    format: 'csv',
    encoding,
    sheets: [
      {
        name: sheetName,
        state: 'visible',
        merges: [],
        async *rows() {
          yield* parseCsv(text);
        },
      },
    ],
  };
}
