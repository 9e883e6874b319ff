/**
 * Excel export of the exchange format: one sheet per kind (named by its label), a header row of
 * labels, one record a row, written as a stream (exceljs WorkbookWriter) so memory stays flat.
 * Round-trips with the reader (xlsx-reader.ts, table-lines.ts).
 */
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import { GUIDE_SHEET, MAP_SHEET, OPTIONS_SHEET } from './table-lines';
import { optionName } from '../core/ledgers/dictionary';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';


export interface OutColumn {
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

export const DATE_FMT = 'yyyy-mm-dd';

// Shared (see streamXlsxExport): never modified, so never a style of one cell leaking into others.
const DATE_STYLE: Partial<ExcelJS.Style> = Object.freeze({ numFmt: DATE_FMT });
const NUMBER_STYLE: Partial<ExcelJS.Style> = Object.freeze({});
const TEXT_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/**
 * A stored value as a cell: dates as real Excel dates, bools as 是/否, lists joined with 、, option
 * codes by their shown names (the 字典; an import reads the name back to the code).
 */
function valueToCell(f: FieldDef | undefined, v: unknown): ExcelJS.CellValue {
  if (v === undefined || v === null) return null;
  if (f?.optionLabels && (f.type === 'enum' || f.type === 'multienum')) {
    if (typeof v === 'string') return optionName(f, v);
    if (Array.isArray(v)) return v.map((x) => optionName(f, String(x))).join('、');
  }
  if (f?.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(5, 7)) - 1, Number(v.slice(8, 10))));
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map(String).join('、');
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook. */
export function sheetNameOf(def: LedgerDef, used: Set<string>): string {
  const ok = (s: string) => s.length > 0 && s.length <= 31 && !/[[\]:*?/\\]/.test(s) && s !== GUIDE_SHEET && s !== OPTIONS_SHEET && s !== MAP_SHEET && !used.has(s);
  const name = ok(def.label) ? def.label : def.kind.slice(0, 31);
  used.add(name);
  return name;
}

export function styleHeader(row: ExcelJS.Row, cols: OutColumn[]): void {
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
    const values = s.cols.map((c) => valueToCell(c.field, l[c.key]));
    const row = s.ws.addRow(values);
    // One style object per kind of cell, shared by every cell: exceljs keys the workbook's styles by the
    // style object's identity first and renders a style to XML to find it otherwise — per cell, that was
    // most of an export's time (a fresh {} per cell, and numFmt set on each date).
    values.forEach((v, i) => (row.getCell(i + 1).style = v instanceof Date ? DATE_STYLE : typeof v === 'number' ? NUMBER_STYLE : TEXT_STYLE));
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

