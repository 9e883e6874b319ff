/**
 * Sheets of a workbook or a CSV file as exchange lines (`{kind, dept, status?, ...fields}`) for the
 * one import path (src/app/exchange.ts): which kind a sheet holds, where its header is and what each
 * column means (core/ledgers/headers.ts), each cell as the field's value (cell-values.ts). Problems
 * found while reading come back with sheet, row, column letter and the column's Chinese label.
 */
import type { LedgerDef } from '../core/ledgers/types';
import type { LineError } from '../core/errors';
import { findHeader, normalizeHeader, type ColumnTarget, type HeaderCellText, type MatchedColumn } from '../core/ledgers/headers';
import { asText, cellToValue, isCellError, type Plain } from './cell-values';
import type { Merge, SheetRow, SourceBook, SourceSheet } from './xlsx-reader';

/** Sheets of a template that are not data. */
export const GUIDE_SHEET = '填写说明';
export const OPTIONS_SHEET = '选项';
/** The template's hidden sheet mapping each column of each data sheet back to its kind and field key. */
export const MAP_SHEET = '列映射';
/** The header is searched among the first rows, so title rows above it are allowed. */
const HEADER_SEARCH_ROWS = 10;

/** A problem with where it is in the file (sheet, row, column): the LineError of the API. */
export type TableLineError = LineError;

export interface TableLine {
  line: number;
  value: Record<string, unknown>;
}

export interface SheetColumn extends MatchedColumn {
  letter: string;
}

export interface SheetInfo {
  name: string;
  def: LedgerDef;
  columns: SheetColumn[];
}

export interface TableRead {
  lines: TableLine[];
  errors: TableLineError[];
  /** Line number (as given to importLines) -> where the record is in the file. */
  where: Map<number, { sheet: SheetInfo; row: number }>;
  /** Data rows read (for progress). */
  rows: number;
}

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export const where = (sheet: string, row?: number, letter?: string) => `工作表「${sheet}」${row ? `第${row}行` : ''}${letter ? `（${letter}列）` : ''}`;

/**
 * The kind a sheet (or a CSV file's name) holds: its kind key or label, or a name that contains
 * exactly one label as a whole (`2023年培训与学法台账`, `庙行镇_培训与学法_2026`).
 */
export function kindOfName(name: string, defs: readonly LedgerDef[]): LedgerDef | undefined {
  const n = normalizeHeader(name.replace(/\.(xlsx|csv|txt)$/i, ''));
  const exact = defs.find((d) => d.kind === n) ?? defs.find((d) => normalizeHeader(d.label) === n);
  if (exact) return exact;
  const inside = defs.filter((d) => n.includes(normalizeHeader(d.label)) || new RegExp(`(^|[^a-z_])${d.kind}($|[^a-z_])`).test(n));
  // 人大代表建议、政协委员提案 contains no other label, but a name may hold two: then it says nothing.
  inside.sort((a, b) => b.label.length - a.label.length);
  if (inside.length === 1) return inside[0];
  if (inside.length > 1 && !normalizeHeader(inside[0]!.label).includes(normalizeHeader(inside[1]!.label))) return undefined;
  return inside[0];
}

/** The template's column map: sheet -> kind and heading -> field key. */
async function readColumnMap(book: SourceBook): Promise<Map<string, { kind: string; keys: Map<string, string> }>> {
  const out = new Map<string, { kind: string; keys: Map<string, string> }>();
  const sheet = book.sheets.find((s) => s.name === MAP_SHEET);
  if (!sheet) return out;
  for await (const r of sheet.rows()) {
    if (r.row === 1) continue;
    const [name, , heading, kind, key] = [1, 2, 3, 4, 5].map((c) => {
      const v = r.cells.get(c);
      return v === undefined || isCellError(v) ? '' : asText(v);
    });
    if (!name || !kind || !heading || !key) continue;
    const e = out.get(name) ?? { kind, keys: new Map() };
    e.keys.set(normalizeHeader(heading), key);
    out.set(name, e);
  }
  return out;
}

/** A definition whose fields also answer to the headings the template's column map gives them. */
function withMappedHeadings(def: LedgerDef, keys: Map<string, string> | undefined): LedgerDef {
  if (!keys?.size) return def;
  return {
    ...def,
    fields: def.fields.map((f) => {
      const extra = [...keys].filter(([, k]) => k === f.key).map(([h]) => h);
      return extra.length ? { ...f, synonyms: [...(f.synonyms ?? []), ...extra] } : f;
    }),
  };
}

const text = (v: Exclude<Plain, null>) => (isCellError(v) ? '' : asText(v));

/** Cells merged down from a master keep the master's value in the rows below (only down: see findHeader). */
class MergeFill {
  private byTop = new Map<number, Merge[]>();
  private active: { merge: Merge; value: Exclude<Plain, null> }[] = [];
  constructor(merges: readonly Merge[]) {
    for (const m of merges) if (m.bottom > m.top) this.byTop.set(m.top, [...(this.byTop.get(m.top) ?? []), m]);
  }
  apply(r: SheetRow): SheetRow {
    if (!this.byTop.size && !this.active.length) return r;
    this.active = this.active.filter((a) => a.merge.bottom >= r.row);
    let cells = r.cells;
    for (const a of this.active) {
      if (a.merge.top < r.row && !cells.has(a.merge.left)) {
        if (cells === r.cells) cells = new Map(r.cells);
        cells.set(a.merge.left, a.value);
      }
    }
    for (const m of this.byTop.get(r.row) ?? []) {
      const v = r.cells.get(m.left);
      if (v !== undefined) this.active.push({ merge: m, value: v });
    }
    return cells === r.cells ? r : { row: r.row, cells };
  }
  /** Row numbers covered by a merge that reaches from `row` downwards (a header cell merged over two rows). */
  reachesBelow(row: number): number {
    let max = row;
    for (const ms of this.byTop.values()) for (const m of ms) if (m.top <= row && m.bottom > max) max = m.bottom;
    return max;
  }
}

/**
 * Reads every data sheet of a book into exchange lines, numbered 1, 2, … across sheets. `kindHint`
 * names the kind of a sheet whose name is not one (a CSV file, a renamed sheet).
 */
export async function readTableLines(
  book: SourceBook,
  defs: readonly LedgerDef[],
  opts: { kindHint?: string; onRows?: (rows: number) => void } = {},
): Promise<TableRead> {
  const hint = opts.kindHint ? kindOfName(opts.kindHint, defs) : undefined;
  const map = await readColumnMap(book);
  const lines: TableLine[] = [];
  const errors: TableLineError[] = [];
  const whereOf: TableRead['where'] = new Map();
  let line = 0;
  let rows = 0;
  const data = book.sheets.filter((s) => s.state === 'visible' && s.name !== GUIDE_SHEET && s.name !== OPTIONS_SHEET && s.name !== MAP_SHEET);
  for (const sheet of data) {
    const mapped = map.get(sheet.name);
    const base = (mapped && defs.find((d) => d.kind === mapped.kind)) ?? kindOfName(sheet.name, defs) ?? hint;
    const def = base ? withMappedHeadings(base, mapped?.keys) : undefined;
    await readSheet(sheet, def, defs, () => ++line, lines, errors, whereOf, (n) => {
      rows += n;
      opts.onRows?.(rows);
    });
  }
  return { lines, errors, where: whereOf, rows };
}

async function readSheet(
  sheet: SourceSheet,
  named: LedgerDef | undefined,
  defs: readonly LedgerDef[],
  nextLine: () => number,
  lines: TableLine[],
  errors: TableLineError[],
  whereOf: TableRead['where'],
  progress: (n: number) => void,
): Promise<void> {
  const name = sheet.name;
  let def = named;
  const head: SheetRow[] = [];
  let info: SheetInfo | null = null;
  let byCol = new Map<number, SheetColumn>();
  let fill: MergeFill | null = null;
  const headerless = new Set<number>();
  let pending = 0;
  const it = sheet.rows()[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    fill ??= new MergeFill(sheet.merges);
    const row = fill.apply(next.value);
    if (!info) {
      head.push(row);
      if (head.length < HEADER_SEARCH_ROWS) continue;
      if (!def && !(def = guess())) return;
      if (!start(fill)) return;
      continue;
    }
    dataRow(row);
  }
  if (!info && head.length && !def && !(def = guess())) return;
  if (def && !info && head.length && !start(fill ?? new MergeFill(sheet.merges))) return;
  progress(pending);

  /** A sheet named after no kind: the kind whose headings its header matches best, if one clearly does. */
  function guess(): LedgerDef | undefined {
    const texts = headTexts(head);
    const scored = defs
      .map((d) => ({ d, n: findHeader(d, texts)?.columns.filter((c) => c.target && c.target.kind === 'field').length ?? 0 }))
      .sort((a, b) => b.n - a.n);
    const best = scored[0];
    if (best && best.n >= 3 && best.n > (scored[1]?.n ?? 0)) return best.d;
    // A sheet with content but no kind: reported once, its rows not read.
    errors.push({
      line: nextLine(),
      sheet: name,
      message: `${where(name)}：无法识别台账类型：工作表名称应为台账名称（如“培训与学法”）或类型代码（如 training），或表头应为某个台账的列名`,
    });
    return undefined;
  }

  /** Finds the header among the buffered first rows and reads the data rows among them. */
  function start(f: MergeFill): boolean {
    const h = header(def!, name, head, f, errors, nextLine);
    if (!h) return false;
    info = h;
    byCol = new Map(h.columns.map((c) => [c.col, c]));
    for (const r of head) if (r.row > h.headerRows[1]) dataRow(r);
    head.length = 0;
    return true;
  }

  function dataRow(r: SheetRow): void {
    const d = def!;
    const sh = info!;
    const line = nextLine();
    const value: Record<string, unknown> = { kind: d.kind };
    whereOf.set(line, { sheet: sh, row: r.row });
    for (const [col, cell] of r.cells) {
      const c = byCol.get(col);
      if (!c) {
        if (!headerless.has(col)) {
          headerless.add(col);
          const letter = columnLetter(col);
          errors.push({ line, sheet: name, row: r.row, column: letter, message: `${where(name, r.row, letter)}：${letter}列有内容但没有表头` });
        }
        continue;
      }
      const t: ColumnTarget | null = c.target;
      if (!t || t.kind === 'ignore') continue;
      const field = t.kind === 'field' ? t.field.key : t.kind;
      if (isCellError(cell)) {
        errors.push({ line, sheet: name, row: r.row, column: c.letter, label: c.label, field, message: `${where(name, r.row, c.letter)}：${c.label}：单元格是错误值（${cell.error}）` });
        continue;
      }
      if (t.kind === 'field') {
        const v = cellToValue(t.field, cell);
        if (v !== undefined) value[t.field.key] = v;
      } else value[t.kind] = asText(cell);
    }
    lines.push({ line, value });
    if (++pending >= 1000) {
      progress(pending);
      pending = 0;
    }
  }
}

const headTexts = (head: readonly SheetRow[]): HeaderCellText[][] =>
  head.map((r) => [...r.cells].map(([col, v]) => ({ col, text: text(v) })).filter((c) => c.text !== ''));

function header(
  def: LedgerDef,
  name: string,
  head: SheetRow[],
  fill: MergeFill,
  errors: TableLineError[],
  nextLine: () => number,
): (SheetInfo & { headerRows: [number, number] }) | null {
  const found = findHeader(def, headTexts(head));
  if (!found) {
    errors.push({
      line: nextLine(),
      sheet: name,
      message: `${where(name)}：找不到表头行：前${HEADER_SEARCH_ROWS}行中没有${def.label}的列名（如“部门”“${def.fields.slice(0, 3).map((f) => f.label).join('”“')}”）`,
    });
    return null;
  }
  const firstRow = head[found.firstIndex]!.row;
  const lastRow = fill.reachesBelow(head[found.lastIndex]!.row);
  const columns = found.columns.map((c) => ({ ...c, letter: columnLetter(c.col) }));
  for (const c of columns) {
    if (c.problem) errors.push({ line: nextLine(), sheet: name, row: firstRow, column: c.letter, label: c.label, message: `${where(name, firstRow, c.letter)}：${c.problem}` });
  }
  return { name, def, columns, headerRows: [firstRow, lastRow] };
}

/**
 * Rewrites the engine's "第N行：…" messages as "工作表「培训与学法」第12行（E列）：参训人次：…" and adds
 * sheet, row, column letter and column label to each line error.
 */
export function locateErrors(lines: readonly LineError[], read: Pick<TableRead, 'where'>): TableLineError[] {
  return lines.map((e) => {
    const x = e as TableLineError;
    if (x.sheet !== undefined) return x;
    const w = read.where.get(e.line);
    if (!w) return e;
    const prefix = `第${e.line}行：`;
    let msg = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    const col = w.sheet.columns.find((c) =>
      c.target && (e.field === 'dept' || e.field === 'status' ? c.target.kind === e.field : c.target.kind === 'field' && c.target.field.key === e.field),
    );
    const label = col?.label ?? (e.field === 'dept' ? '部门' : e.field === 'status' ? '状态' : w.sheet.def.fields.find((f) => f.key === e.field)?.label);
    if (label && !msg.startsWith(`${label}：`)) msg = `${label}：${msg}`;
    return {
      line: e.line,
      ...(e.field ? { field: e.field } : {}),
      sheet: w.sheet.name,
      row: w.row,
      ...(col ? { column: col.letter } : {}),
      ...(label ? { label } : {}),
      message: `${where(w.sheet.name, w.row, col?.letter)}：${msg}`,
    };
  });
}
