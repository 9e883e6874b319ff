/**
 * A copy of an imported file with its problems marked: every cell the import refused filled red
 * with a comment giving the Chinese message (a row's problem without a column goes on the row's
 * first cell, a sheet's on A1), and a first sheet 导入错误 listing them all. Values are copied as
 * read (not formatting), streamed sheet by sheet, so a big file stays within memory.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { SourceBook } from './xlsx-reader';
import { isCellError } from './cell-values';
import { columnLetter, type TableLineError } from './table-lines';
import { DATE_FMT } from './xlsx-writer';

export const ERRORS_SHEET = '导入错误';
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };

const colNumber = (letter: string) => [...letter].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

export async function annotateBook(book: SourceBook, errors: readonly TableLineError[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => out.on('end', resolve).on('error', reject));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '法治台账';

  const list = wb.addWorksheet(ERRORS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = [{ width: 18 }, { width: 8 }, { width: 6 }, { width: 14 }, { width: 80 }];
  const th = list.addRow(['工作表', '行', '列', '列名', '问题']);
  th.font = { bold: true };
  th.commit();
  for (const e of errors) list.addRow([e.sheet ?? null, e.row ?? null, e.column ?? null, e.label ?? null, e.message]).commit();
  list.commit();

  // sheet -> row -> column -> messages
  const bySheet = new Map<string, Map<number, Map<number, string[]>>>();
  for (const e of errors) {
    if (!e.sheet) continue;
    const rows = bySheet.get(e.sheet) ?? new Map<number, Map<number, string[]>>();
    bySheet.set(e.sheet, rows);
    const row = e.row ?? 1;
    const cols = rows.get(row) ?? new Map<number, string[]>();
    rows.set(row, cols);
    const col = e.column ? colNumber(e.column) : 1;
    cols.set(col, [...(cols.get(col) ?? []), e.message.replace(/^工作表「[^」]*」(第\d+行)?(（[A-Z]+列）)?：/, '')]);
  }

  for (const sheet of book.sheets) {
    if (sheet.state !== 'visible') continue;
    const ws = wb.addWorksheet(sheet.name.slice(0, 31));
    const marks = bySheet.get(sheet.name) ?? new Map<number, Map<number, string[]>>();
    let next = 1;
    const write = (rowNo: number, cells: Map<number, unknown>) => {
      // The writer's rows must come in order; gaps are left empty.
      for (; next < rowNo; next++) {
        const gap = marks.get(next);
        if (gap) writeRow(next, new Map());
      }
      writeRow(rowNo, cells);
      next = rowNo + 1;
    };
    const writeRow = (rowNo: number, cells: Map<number, unknown>) => {
      const row = ws.getRow(rowNo);
      for (const [col, v] of cells) {
        const cell = row.getCell(col);
        cell.value = isCellError(v as never) ? `${(v as { error: string }).error}` : (v as ExcelJS.CellValue);
        if (v instanceof Date) cell.numFmt = DATE_FMT;
      }
      for (const [col, msgs] of marks.get(rowNo) ?? []) {
        const cell = row.getCell(col);
        cell.fill = BAD_FILL;
        cell.font = BAD_FONT;
        cell.note = msgs.join('\n');
      }
      row.commit();
    };
    for await (const r of sheet.rows()) write(r.row, r.cells);
    const lastMarked = Math.max(0, ...marks.keys());
    for (; next <= lastMarked; next++) if (marks.has(next)) writeRow(next, new Map());
    ws.commit();
  }
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

