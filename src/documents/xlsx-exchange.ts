/**
 * Spreadsheet import as a whole: open the file (.xlsx streamed sheet by sheet, or CSV in UTF-8 or
 * GBK), read its sheets into exchange lines, hand them to the one import path (importLines, bound
 * by the caller) and map the engine's line numbers back to sheet, row and column. The parts live
 * in their own files: xlsx-reader.ts and csv-reader.ts read, table-lines.ts matches columns and
 * cells (with core/ledgers/headers.ts), xlsx-writer.ts exports, xlsx-template.ts writes templates,
 * xlsx-annotate.ts marks the bad cells in a copy.
 */
import { AppError, type LineError } from '../core/errors';
import type { LedgerDef } from '../core/ledgers/types';
import { openCsv } from './csv-reader';
import { openXlsx, type SourceBook } from './xlsx-reader';
import { kindOfName, locateErrors, readTableLines, type TableLine, type TableLineError, type TableRead } from './table-lines';

export { XLSX_MIME, exchangeColumns, streamXlsxExport, writeXlsxExport } from './xlsx-writer';
export { typeLabel, writeXlsxTemplate } from './xlsx-template';
export { GUIDE_SHEET, MAP_SHEET, OPTIONS_SHEET, columnLetter, locateErrors, kindOfName } from './table-lines';
export { cellToValue } from './cell-values';
/** Kept for callers of the former single-file module. */
export type XlsxLineError = TableLineError;
export type XlsxLine = TableLine;

export const CSV_MIME = 'text/csv';

/** The largest file an import accepts (FAZHI_IMPORT_MAX_MB, default 20 MB: about 300,000 rows of a ledger). */
export function maxImportBytes(): number {
  const mb = Number(process.env.FAZHI_IMPORT_MAX_MB ?? 20);
  return Math.round((Number.isFinite(mb) && mb > 0 ? mb : 20) * 1024 * 1024);
}

export function tooLarge(bytes: number): AppError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
  return new AppError('TOO_LARGE', `文件过大（${mb(bytes)} MB），导入文件不能超过 ${mb(maxImportBytes())} MB，请按台账或年度拆分为几个文件后分别导入`);
}

export type ImportFormat = 'xlsx' | 'csv';

/** The format of an import file: by its name when it has one, else by its first bytes. */
export function formatOf(buf: Buffer, fileName?: string): ImportFormat {
  if (fileName && /\.csv$|\.txt$/i.test(fileName)) return 'csv';
  if (fileName && /\.xlsx$|\.xlsm$/i.test(fileName)) return 'xlsx';
  return buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x4b ? 'xlsx' : 'csv';
}

/**
 * Opens an import file. A CSV holds one kind: `kind` (a key or label), else the file's name
 * (`培训与学法.csv`, `training.csv`) says which.
 */
export async function openImportFile(buf: Buffer, opts: { fileName?: string; format?: ImportFormat; kind?: string; defs: readonly LedgerDef[] }): Promise<SourceBook> {
  if (buf.length === 0) throw new AppError('VALIDATION', '文件是空的，没有可导入的内容');
  if (buf.length > maxImportBytes()) throw tooLarge(buf.length);
  const format = opts.format ?? formatOf(buf, opts.fileName);
  if (format === 'xlsx') {
    if (/\.xls$/i.test(opts.fileName ?? '') || buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
      throw new AppError('BAD_REQUEST', '这是旧版Excel文件（.xls），请在Excel或WPS中“另存为”.xlsx后再导入');
    return openXlsx(buf);
  }
  const def = (opts.kind ? kindOfName(opts.kind, opts.defs) : undefined) ?? (opts.fileName ? kindOfName(opts.fileName.replace(/^.*[\\/]/, ''), opts.defs) : undefined);
  if (opts.kind && !def) throw new AppError('VALIDATION', `未知台账类型“${opts.kind}”`);
  if (!def)
    throw new AppError('VALIDATION', `无法确定CSV文件是哪个台账：请用台账名称或类型代码命名文件（如“培训与学法.csv”或 training.csv），或指定台账类型`);
  return openCsv(buf, def.label);
}

export interface ImportTableOptions {
  kindHint?: string;
  /** Rows read so far, while reading. */
  onRows?: (rows: number) => void;
}

/**
 * Reads a book and hands its lines to `run` (importLines bound to an org and actor), together with
 * the problems found while reading, so the engine reports every problem of every row at once.
 * Errors come back with sheet, row, column and label; a file without any record is refused.
 */
export async function importTable<T>(
  book: SourceBook,
  defs: readonly LedgerDef[],
  run: (lines: TableLine[], parseErrors: TableLineError[], read: TableRead) => Promise<T>,
  opts: ImportTableOptions = {},
): Promise<T> {
  const read = await readTableLines(book, defs, opts);
  if (!read.lines.length && !read.errors.length) {
    throw new AppError('VALIDATION', '文件中没有可导入的记录：每个台账一个工作表（以台账名称命名），表头为列名（须含“部门”列），从下一行起每行一条记录');
  }
  try {
    return await run(read.lines, read.errors, read);
  } catch (e) {
    throw locateAppError(e, read);
  }
}

/** An engine error with its lines located in the file (other errors unchanged). */
export function locateAppError(e: unknown, read: Pick<TableRead, 'where'>): unknown {
  if (!(e instanceof AppError) || !e.extra.lines) return e;
  const located = locateErrors(e.extra.lines, read);
  const shown = located.slice(0, 20).map((l) => l.message).join('\n');
  const head = e.code === 'VALIDATION' ? `导入失败，共${located.length}处错误，未写入任何记录：\n` : `${e.message}\n`;
  return new AppError(e.code, `${head}${shown}${located.length > 20 ? '\n……' : ''}`, { ...e.extra, lines: located as LineError[] });
}

/** A workbook (Buffer) read and imported: the former entry point, kept for callers and tests. */
export async function importXlsx<T>(
  input: Buffer,
  defs: readonly LedgerDef[],
  run: (lines: TableLine[], parseErrors: TableLineError[]) => Promise<T>,
  opts: { kindHint?: string } = {},
): Promise<T> {
  return importTable(await openXlsx(input), defs, run, opts);
}

/** The lines of a workbook (Buffer), without importing them. */
export async function readXlsxLines(input: Buffer, defs: readonly LedgerDef[], opts: { kindHint?: string } = {}): Promise<TableRead> {
  return readTableLines(await openXlsx(input), defs, opts);
}
