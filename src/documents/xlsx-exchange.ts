/**
 * Excel (.xlsx) form of the exchange format: one sheet per kind (named by its label or key), a
 * header row of labels or keys, one record a row. Exports stream row by row (exceljs
 * WorkbookWriter); imports load the workbook whole (see readXlsxLines for why not streaming).
 * Validation itself is left to the exchange engine (src/app/exchange.ts); this file only turns
 * cells into exchange objects and maps the engine's line numbers back to sheet and row.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FieldDef, FieldType, LedgerDef } from '../core/ledgers/types';
import { AppError, type LineError } from '../core/errors';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Sheets of a template that are not data. */
export const GUIDE_SHEET = '填写说明';
export const OPTIONS_SHEET = '选项';
/** Header rows are searched among the first rows, so a title row above the header is allowed. */
const HEADER_SEARCH_ROWS = 10;
/** Rows of a template that get dropdowns and input checks. */
const TEMPLATE_ROWS = 10000;

/** A row error with where it is in the workbook; `message` already names sheet and row. */
export interface XlsxLineError extends LineError {
  sheet?: string;
  row?: number;
  /** Column letter, e.g. "D". */
  column?: string;
  /** Column label (the field's Chinese label, 部门 or 状态). */
  label?: string;
}

export interface XlsxLine {
  line: number;
  value: Record<string, unknown>;
}

type Target = { kind: 'dept' } | { kind: 'status' } | { kind: 'ignore' } | { kind: 'field'; field: FieldDef };

interface SheetColumn {
  col: number;
  letter: string;
  header: string;
  target: Target;
}

interface SheetInfo {
  name: string;
  def: LedgerDef;
  columns: SheetColumn[];
}

export interface XlsxRead {
  lines: XlsxLine[];
  errors: XlsxLineError[];
  /** Line number (as given to importLines) -> where the record is in the workbook. */
  where: Map<number, { sheet: SheetInfo; row: number }>;
}

const RESERVED_HEADERS: Record<string, Target> = {
  部门: { kind: 'dept' },
  dept: { kind: 'dept' },
  状态: { kind: 'status' },
  status: { kind: 'status' },
  序号: { kind: 'ignore' },
  台账: { kind: 'ignore' },
  kind: { kind: 'ignore' },
};

// ---------------------------------------------------------------------------------------------
// Cells

type Plain = string | number | boolean | Date | null | { error: string };

/** The value of a cell without formulas, rich text or hyperlinks around it. */
function plain(v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.error === 'string') return { error: o.error };
    if (Array.isArray(o.richText)) return plain((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('result' in o) return plain(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if ('text' in o) return plain(o.text);
  }
  return String(v);
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Excel's day serial (1900 system, with its phantom 1900-02-29) as a UTC date. */
function serialToDate(n: number): Date | null {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return null;
  return new Date(Math.round((n - 25569) * 86400000));
}

function dateText(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : s.trim();
}

function monthText(s: string): string {
  const t = s.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return `${m[1]}-${pad(Number(m[2]))}`;
  const d = dateText(t);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d.slice(0, 7) : t;
}

function numberText(s: string): number | string {
  const t = s.trim().replace(/[,，\s]/g, '');
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : s.trim();
}

const TRUE_TEXT = new Set(['是', 'true', 'y', 'yes', '1', '√']);
const FALSE_TEXT = new Set(['否', 'false', 'n', 'no', '0', '×']);
const LIST_SPLIT = /[、,，;；\n]/;

function asText(v: Exclude<Plain, null | { error: string }>): string {
  if (v instanceof Date) return ymd(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v).trim();
}

/**
 * One cell as the value the exchange engine expects for a field type. A value that cannot be
 * converted is passed on as text, so the engine reports it with the field's usual message.
 */
export function cellToValue(type: FieldType, raw: unknown): unknown {
  const v = plain(raw);
  if (v === null) return undefined;
  if (typeof v === 'object' && !(v instanceof Date)) return v; // an error cell, reported by the caller
  switch (type) {
    case 'date':
      if (v instanceof Date) return ymd(v);
      if (typeof v === 'number') {
        const d = serialToDate(v);
        return d ? ymd(d) : String(v);
      }
      return typeof v === 'string' ? dateText(v) : asText(v);
    case 'month':
      if (v instanceof Date) return ymd(v).slice(0, 7);
      if (typeof v === 'number') {
        const d = serialToDate(v);
        return d ? ymd(d).slice(0, 7) : String(v);
      }
      return typeof v === 'string' ? monthText(v) : asText(v);
    case 'int':
    case 'number':
    case 'money':
    case 'ref':
      return typeof v === 'string' ? numberText(v) : typeof v === 'number' ? v : asText(v);
    case 'bool': {
      if (typeof v === 'boolean') return v;
      const t = asText(v).toLowerCase();
      return TRUE_TEXT.has(t) ? true : FALSE_TEXT.has(t) ? false : asText(v);
    }
    case 'multienum':
    case 'depts':
      return asText(v)
        .split(LIST_SPLIT)
        .map((s) => s.trim())
        .filter(Boolean);
    case 'files':
      return typeof v === 'number'
        ? [v]
        : asText(v)
            .split(LIST_SPLIT)
            .map((s) => s.trim())
            .filter(Boolean)
            .map(numberText);
    case 'longtext':
      return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : asText(v);
    default:
      return asText(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const cleanHeader = (s: string) =>
  s
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊]+$/, '')
    .replace(/[(（]必填[)）]$/, '');

const where = (sheet: string, row?: number) => `工作表「${sheet}」${row ? `第${row}行` : ''}`;

function kindOfSheet(name: string, defs: readonly LedgerDef[]): LedgerDef | undefined {
  const n = name.trim();
  return defs.find((d) => d.kind === n) ?? defs.find((d) => d.label === n);
}

type Cell = { col: number; value: Exclude<Plain, null> };

function rowCells(row: ExcelJS.Row): Cell[] {
  const out: Cell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const value = plain(cell.value);
    if (value !== null) out.push({ col, value });
  });
  return out;
}

function headerOf(
  sheetName: string,
  def: LedgerDef,
  rowNo: number,
  cells: Cell[],
  err: (e: Omit<XlsxLineError, 'line'>) => void,
): SheetColumn[] {
  const byLabel = new Map(def.fields.map((f) => [f.label, f]));
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  const columns: SheetColumn[] = [];
  const seen = new Map<string, SheetColumn>();
  for (const { col, value } of cells) {
    const letter = columnLetter(col);
    const header = cleanHeader(typeof value === 'object' && !(value instanceof Date) ? '' : asText(value));
    const f = byLabel.get(header) ?? byKey.get(header);
    const target: Target | undefined = f ? { kind: 'field', field: f } : RESERVED_HEADERS[header];
    if (!target) {
      err({ sheet: sheetName, row: rowNo, column: letter, message: `${where(sheetName, rowNo)}：${letter}列表头“${header}”不是${def.label}的字段` });
      columns.push({ col, letter, header, target: { kind: 'ignore' } }); // reported once here, not on every row
      continue;
    }
    const id = target.kind === 'field' ? target.field.key : target.kind;
    const dup = target.kind === 'ignore' ? undefined : seen.get(id);
    if (dup) {
      err({ sheet: sheetName, row: rowNo, column: letter, message: `${where(sheetName, rowNo)}：${letter}列“${header}”与${dup.letter}列重复` });
      columns.push({ col, letter, header, target: { kind: 'ignore' } });
      continue;
    }
    const c = { col, letter, header: f ? f.label : header, target };
    seen.set(id, c);
    columns.push(c);
  }
  return columns;
}

async function toBuffer(input: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(input)) return input;
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Rows of a worksheet that hold anything, in order. */
function rowsOf(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow({ includeEmpty: false }, (r) => rows.push(r));
  return rows;
}

/**
 * Reads every data sheet of a workbook into exchange objects (`{kind, dept, status?, ...fields}`),
 * numbered 1, 2, … across sheets for importLines. Problems found while reading (unknown sheet or
 * column, error cells) are returned as `errors` with sheet and row in the message.
 * `kindHint` names the kind of sheets whose name is not a kind (e.g. a renamed template sheet).
 */
export async function readXlsxLines(input: Buffer | Readable, defs: readonly LedgerDef[], opts: { kindHint?: string } = {}): Promise<XlsxRead> {
  const hint = opts.kindHint ? kindOfSheet(opts.kindHint, defs) : undefined;
  const lines: XlsxLine[] = [];
  const errors: XlsxLineError[] = [];
  const whereOf: XlsxRead['where'] = new Map();
  let line = 0;
  // The whole workbook is loaded: exceljs's streaming reader loses zip entries of workbooks with
  // several sheets (sheet names come out as Sheet1…, or it fails), which would misfile records.
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load((await toBuffer(input)) as unknown as ArrayBuffer);
  } catch {
    throw new AppError('BAD_REQUEST', '文件不是有效的Excel工作簿（.xlsx），请用Excel或WPS另存为.xlsx后再导入');
  }
  for (const sheet of wb.worksheets) {
    const name = sheet.name;
    const skip = name === GUIDE_SHEET || name === OPTIONS_SHEET || sheet.state === 'hidden' || sheet.state === 'veryHidden';
    const def = skip ? undefined : (kindOfSheet(name, defs) ?? hint);
    let info: SheetInfo | null = null;
    let byCol = new Map<number, SheetColumn>();
    let dead = skip;
    let nonEmpty = 0;
    const headerless = new Set<number>();
    for (const row of rowsOf(sheet)) {
      if (dead) break;
      const cells = rowCells(row);
      if (!cells.length) continue;
      line++;
      const rowNo = row.number;
      const push = (e: Omit<XlsxLineError, 'line'>) => errors.push({ line, ...e });
      if (!def) {
        push({ sheet: name, row: rowNo, message: `${where(name)}：无法识别台账类型，工作表名称应为台账名称（如“培训与学法”）或类型代码（如 training）` });
        dead = true;
        continue;
      }
      if (!info) {
        nonEmpty++;
        const isHeader = cells.some((c) => typeof c.value === 'string' && ['部门', 'dept'].includes(cleanHeader(c.value)));
        if (isHeader) {
          info = { name, def, columns: [] };
          info.columns = headerOf(name, def, rowNo, cells, push);
          byCol = new Map(info.columns.map((c) => [c.col, c]));
        } else if (nonEmpty >= HEADER_SEARCH_ROWS) {
          push({ sheet: name, row: rowNo, message: `${where(name)}：找不到表头行（表头须包含“部门”列）` });
          dead = true;
        }
        continue;
      }
      const value: Record<string, unknown> = { kind: def.kind };
      whereOf.set(line, { sheet: info, row: rowNo });
      for (const { col, value: cell } of cells) {
        const c = byCol.get(col);
        if (!c) {
          if (!headerless.has(col)) {
            headerless.add(col);
            push({ sheet: name, row: rowNo, column: columnLetter(col), message: `${where(name, rowNo)}：${columnLetter(col)}列有内容但没有表头` });
          }
          continue;
        }
        if (c.target.kind === 'ignore') continue;
        if (typeof cell === 'object' && !(cell instanceof Date)) {
          push({ sheet: name, row: rowNo, column: c.letter, label: c.header, field: c.target.kind === 'field' ? c.target.field.key : c.target.kind, message: `${where(name, rowNo)}：${c.header}：单元格是错误值${cell.error}` });
          continue;
        }
        if (c.target.kind === 'field') {
          const v = cellToValue(c.target.field.type, cell);
          if (v !== undefined) value[c.target.field.key] = v;
        } else value[c.target.kind] = asText(cell);
      }
      lines.push({ line, value });
    }
    if (def && !info && nonEmpty > 0 && !dead) {
      errors.push({ line, sheet: name, message: `${where(name)}：找不到表头行（表头须包含“部门”列）` });
    }
  }
  return { lines, errors, where: whereOf };
}

/**
 * Rewrites the engine's "第N行：…" messages as "工作表「培训与学法」第12行：参训人次：…" and adds
 * sheet, row, column letter and column label to each line error.
 */
export function locateErrors(lines: readonly LineError[], read: XlsxRead): XlsxLineError[] {
  return lines.map((e) => {
    const x = e as XlsxLineError;
    if (x.sheet !== undefined) return x;
    const w = read.where.get(e.line);
    if (!w) return e;
    const prefix = `第${e.line}行：`;
    let msg = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    const col = w.sheet.columns.find((c) =>
      e.field === 'dept' || e.field === 'status' ? c.target.kind === e.field : c.target.kind === 'field' && c.target.field.key === e.field,
    );
    const label = col?.header ?? (e.field === 'dept' ? '部门' : e.field === 'status' ? '状态' : w.sheet.def.fields.find((f) => f.key === e.field)?.label);
    if (label && !msg.startsWith(`${label}：`)) msg = `${label}：${msg}`;
    return {
      line: e.line,
      ...(e.field ? { field: e.field } : {}),
      sheet: w.sheet.name,
      row: w.row,
      ...(col ? { column: col.letter } : {}),
      ...(label ? { label } : {}),
      message: `${where(w.sheet.name, w.row)}${col ? `（${col.letter}列）` : ''}：${msg}`,
    };
  });
}

/**
 * Reads a workbook and hands its lines to `run` (importLines bound to an org and actor). Errors of
 * the engine come back with sheet and row; a workbook without any record is rejected.
 */
export async function importXlsx<T>(
  input: Buffer | Readable,
  defs: readonly LedgerDef[],
  run: (lines: XlsxLine[], parseErrors: XlsxLineError[]) => Promise<T>,
  opts: { kindHint?: string } = {},
): Promise<T> {
  const read = await readXlsxLines(input, defs, opts);
  if (!read.lines.length && !read.errors.length) {
    throw new AppError('VALIDATION', '文件中没有可导入的记录：每个台账一个工作表，第一行为表头（须含“部门”列），从下一行起每行一条记录');
  }
  try {
    return await run(read.lines, read.errors);
  } catch (e) {
    if (!(e instanceof AppError) || !e.extra.lines) throw e;
    const located = locateErrors(e.extra.lines, read);
    const shown = located.slice(0, 20).map((l) => l.message).join('\n');
    throw new AppError('VALIDATION', `导入失败，共${located.length}处错误，未写入任何记录：\n${shown}${located.length > 20 ? '\n……' : ''}`, {
      ...e.extra,
      lines: located,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

interface OutColumn {
  header: string;
  key: string; // 'dept' | 'status' | field key
  field?: FieldDef;
  width: number;
}

/** Columns of a kind's sheet in export and template: 部门, 状态 (kinds with a flow), then the fields. */
export function exchangeColumns(def: LedgerDef): OutColumn[] {
  const cols: OutColumn[] = [{ header: '部门', key: 'dept', width: 16 }];
  if (def.flow) cols.push({ header: '状态', key: 'status', width: 10 });
  for (const f of def.fields) cols.push({ header: f.label, key: f.key, field: f, width: widthOf(f) });
  return cols;
}

function widthOf(f: FieldDef): number {
  switch (f.type) {
    case 'longtext':
      return 40;
    case 'text':
      return 28;
    case 'date':
    case 'month':
      return 12;
    case 'int':
    case 'number':
    case 'money':
    case 'bool':
    case 'ref':
      return Math.max(8, f.label.length * 2 + 2);
    default:
      return Math.max(12, f.label.length * 2 + 2);
  }
}

const DATE_FMT = 'yyyy-mm-dd';

/** A stored value as a cell: dates as real Excel dates, bools as 是/否, lists joined with 、. */
function valueToCell(f: FieldDef | undefined, v: unknown): ExcelJS.CellValue {
  if (v === undefined || v === null) return null;
  if (f?.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(5, 7)) - 1, Number(v.slice(8, 10))));
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map(String).join('、');
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook. */
function sheetNameOf(def: LedgerDef, used: Set<string>): string {
  const ok = (s: string) => s.length > 0 && s.length <= 31 && !/[[\]:*?/\\]/.test(s) && s !== GUIDE_SHEET && s !== OPTIONS_SHEET && !used.has(s);
  const name = ok(def.label) ? def.label : def.kind.slice(0, 31);
  used.add(name);
  return name;
}

function styleHeader(row: ExcelJS.Row, cols: OutColumn[]): void {
  row.height = 20;
  cols.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.font = { bold: true, color: { argb: c.field?.required || c.key === 'dept' ? 'FFC00000' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
  });
}

/**
 * Writes exchange objects (as exportLines yields them, grouped by kind) to `out` as a workbook with
 * one sheet per kind, streaming row by row. Objects of unknown kinds are skipped.
 */
export async function streamXlsxExport(
  lines: AsyncIterable<Record<string, unknown>>,
  defs: readonly LedgerDef[],
  out: Writable,
  opts: { emptyKind?: string } = {},
): Promise<{ rows: number; byKind: Record<string, number> }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '法治台账';
  const defByKind = new Map(defs.map((d) => [d.kind, d]));
  const sheets = new Map<string, { ws: ExcelJS.Worksheet; cols: OutColumn[] }>();
  const used = new Set<string>();
  const byKind: Record<string, number> = {};
  let rows = 0;
  let current: ExcelJS.Worksheet | null = null;
  const open = (def: LedgerDef) => {
    let s = sheets.get(def.kind);
    if (!s) {
      // Rows of a committed sheet are final; kinds come grouped, so the previous sheet is done.
      current?.commit();
      const cols = exchangeColumns(def);
      const ws = wb.addWorksheet(sheetNameOf(def, used), { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = cols.map((c) => ({ key: c.key, width: c.width }));
      const header = ws.addRow(cols.map((c) => c.header));
      styleHeader(header, cols);
      header.commit();
      s = { ws, cols };
      sheets.set(def.kind, s);
      current = ws;
    }
    return s;
  };
  for await (const l of lines) {
    const def = typeof l.kind === 'string' ? defByKind.get(l.kind) : undefined;
    if (!def) continue;
    const s = open(def);
    const row = s.ws.addRow(s.cols.map((c) => valueToCell(c.field, l[c.key])));
    s.cols.forEach((c, i) => {
      if (c.field?.type === 'date') row.getCell(i + 1).numFmt = DATE_FMT;
    });
    row.commit();
    rows++;
    byKind[def.kind] = (byKind[def.kind] ?? 0) + 1;
  }
  if (!sheets.size) {
    const d = opts.emptyKind ? defByKind.get(opts.emptyKind) : undefined;
    if (d) open(d);
    else wb.addWorksheet('无记录');
  }
  await wb.commit();
  return { rows, byKind };
}

/** The whole export as one Buffer (tests, small exports). */
export async function writeXlsxExport(lines: AsyncIterable<Record<string, unknown>>, defs: readonly LedgerDef[], opts: { emptyKind?: string } = {}): Promise<Buffer> {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pass.on('end', resolve);
    pass.on('error', reject);
  });
  await streamXlsxExport(lines, defs, pass, opts);
  await ended;
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// Templates

export function typeLabel(f: FieldDef, defs: readonly LedgerDef[] = []): string {
  switch (f.type) {
    case 'text':
      return '文本';
    case 'longtext':
      return '长文本';
    case 'date':
      return '日期（YYYY-MM-DD）';
    case 'month':
      return '月份（YYYY-MM）';
    case 'int':
      return '整数（不小于0）';
    case 'number':
      return '数字';
    case 'money':
      return '金额（元，最多两位小数）';
    case 'bool':
      return '是/否';
    case 'enum':
      return '单选';
    case 'multienum':
      return '多选（多项用“、”分隔）';
    case 'dept':
      return '部门名称';
    case 'depts':
      return '部门名称（多个用“、”分隔）';
    case 'person':
      return '姓名';
    case 'ref': {
      const ref = defs.find((d) => d.kind === f.refKind);
      return `记录编号${ref ? `（${ref.label}）` : ''}`;
    }
    case 'files':
      return '附件编号（多个用“、”分隔）';
  }
}

type Validation = ExcelJS.DataValidation;
/** exceljs keeps range validations in `dataValidations`, which its typings leave out. */
interface WithValidations {
  dataValidations: { add(range: string, v: Validation): void };
}

/**
 * A blank import template for one kind: an explanatory first sheet 填写说明 (each column's
 * label, code, type, whether required, options and help), the data sheet named by the kind's
 * label with a header row of labels, dropdowns for enum, bool, state and (given the org's
 * departments) department columns, and input checks for dates and numbers.
 */
export async function writeXlsxTemplate(def: LedgerDef, opts: { deptNames?: readonly string[]; defs?: readonly LedgerDef[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  const cols = exchangeColumns(def);
  const guide = wb.addWorksheet(GUIDE_SHEET);
  const dataName = sheetNameOf(def, new Set());
  const ws = wb.addWorksheet(dataName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const optSheet = wb.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });

  const optionsOf = (c: OutColumn): readonly string[] | undefined => {
    if (c.key === 'dept') return opts.deptNames?.length ? opts.deptNames : undefined;
    if (c.key === 'status') return def.flow?.states.map((s) => s.key);
    if (c.field?.type === 'bool') return ['是', '否'];
    if (c.field?.type === 'enum' || c.field?.type === 'multienum') return c.field.options;
    if (c.field?.type === 'depts') return opts.deptNames?.length ? opts.deptNames : undefined;
    return undefined;
  };

  // 填写说明
  guide.columns = [{ width: 16 }, { width: 18 }, { width: 26 }, { width: 8 }, { width: 40 }, { width: 50 }];
  guide.addRow([`${def.label}导入模板填写说明`]).font = { bold: true, size: 14 };
  guide.mergeCells(1, 1, 1, 6);
  const notes = [
    `1. 在工作表「${dataName}」中从第2行起每行填写一条记录，第1行表头请勿修改；红色表头为必填列，不需要的非必填列可以删除。`,
    '2. “部门”填写本单位的部门名称，须与系统中的部门名称完全一致。',
    '3. 日期填写为 YYYY-MM-DD（如 2023-03-14）或Excel日期；月份填写为 YYYY-MM（如 2023-03）；金额单位为元。',
    '4. 是/否列填写“是”或“否”；多选列的多个值用顿号“、”分隔；下拉列请从列表中选择。',
    def.flow ? `5. “状态”为办理流程状态，可选：${def.flow.states.map((s) => s.key).join('、')}；留空则为“${def.flow.initial}”。` : '5. 本台账没有办理流程，无需填写状态。',
    '6. 导入时全部记录校验通过才会写入；有任何错误时整份文件不写入，并列出出错的工作表、行号和列名。',
  ];
  for (const n of notes) {
    const r = guide.addRow([n]);
    guide.mergeCells(r.number, 1, r.number, 6);
    r.alignment = { wrapText: true, vertical: 'top' };
    r.height = 30;
  }
  guide.addRow([]);
  const th = guide.addRow(['列名（表头）', '字段代码', '类型', '必填', '可选值', '说明']);
  th.font = { bold: true };
  th.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  for (const c of cols) {
    const options = optionsOf(c);
    const help =
      c.key === 'dept'
        ? '记录的责任部门'
        : c.key === 'status'
          ? `办理流程状态，留空为“${def.flow?.initial ?? ''}”`
          : [c.field?.help, c.field?.pii ? '个人信息，导出时按权限遮蔽' : '', c.field?.default !== undefined ? `留空默认为${String(c.field.default)}` : '']
              .filter(Boolean)
              .join('；');
    const type = c.key === 'dept' ? '部门名称' : c.key === 'status' ? '单选' : typeLabel(c.field!, opts.defs);
    const required = c.key === 'dept' || c.field?.required ? '是' : '否';
    const r = guide.addRow([c.header, c.key, type, required, options?.length ? options.join('、') : null, help || null]);
    r.alignment = { wrapText: true, vertical: 'top' };
  }

  // The data sheet.
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width }));
  styleHeader(ws.addRow(cols.map((c) => c.header)), cols);
  const dv = ws as unknown as WithValidations;
  let optCol = 0;
  cols.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    const range = `${letter}2:${letter}${TEMPLATE_ROWS + 1}`;
    const column = ws.getColumn(i + 1);
    const options = optionsOf(c);
    if (c.field?.type === 'date') column.numFmt = DATE_FMT;
    else if (!c.field || ['text', 'longtext', 'person', 'dept', 'depts', 'enum', 'multienum', 'month'].includes(c.field.type)) column.numFmt = '@';
    if (options?.length) {
      // Short lists go inline; long ones (Excel's limit is 255 characters) or lists with commas refer to the hidden sheet.
      const inline = options.join(',');
      let formula: string;
      if (inline.length <= 250 && !options.some((o) => o.includes(',') || o.includes('"'))) formula = `"${inline}"`;
      else {
        optCol++;
        const ol = columnLetter(optCol);
        optSheet.getCell(`${ol}1`).value = c.header;
        options.forEach((o, j) => (optSheet.getCell(`${ol}${j + 2}`).value = o));
        formula = `'${OPTIONS_SHEET}'!$${ol}$2:$${ol}$${options.length + 1}`;
      }
      const multi = c.field?.type === 'multienum' || c.field?.type === 'depts';
      dv.dataValidations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        // Several values separated by 、 are not one list entry: the list only helps there.
        showErrorMessage: !multi,
        errorStyle: 'stop',
        errorTitle: '输入不正确',
        error: `${c.header}：请从下拉列表中选择`,
        ...(multi ? { showInputMessage: true, promptTitle: c.header, prompt: '可填多项，用顿号“、”分隔' } : {}),
      });
    } else if (c.field?.type === 'date') {
      dv.dataValidations.add(range, {
        type: 'date',
        operator: 'between',
        allowBlank: true,
        formulae: [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2150, 11, 31))],
        showErrorMessage: true,
        errorTitle: '输入不正确',
        error: `${c.header}：请填写日期，如 2023-03-14`,
      });
    } else if (c.field?.type === 'int' || c.field?.type === 'money') {
      dv.dataValidations.add(range, {
        type: c.field.type === 'int' ? 'whole' : 'decimal',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        errorTitle: '输入不正确',
        error: c.field.type === 'int' ? `${c.header}：请填写不小于0的整数` : `${c.header}：请填写金额（元，不小于0）`,
      });
    }
  });
  if (!optCol) wb.removeWorksheet(optSheet.id);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
