/**
 * A report's generated tables as .xlsx for the supervising office to collect: one sheet per table,
 * merged headers as in the national format, counts as numbers. A report without tables (the
 * 法治政府建设情况报告) gets one sheet of its figures.
 */
import ExcelJS from 'exceljs';
import { documentFigures, placeCells, type DocTable, type ReportDocument } from '../core/report';

const BORDER = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const FONT = { name: '仿宋_GB2312', size: 12 };

export const TABLE_SHEET_NAMES: Record<string, string> = { proactive: '表二 主动公开', requests: '表三 申请情况', review: '表四 复议诉讼' };

/** Writes a table into a sheet from row `top` (1-based); returns the next free row. */
export function putTable(ws: ExcelJS.Worksheet, t: DocTable, top: number, left = 1): number {
  const { cells, rows } = placeCells(t);
  for (const p of cells) {
    const r = top + p.row;
    const c = left + p.col;
    const cell = ws.getCell(r, c);
    cell.value = p.cell.value !== undefined ? p.cell.value : p.cell.text;
    if (p.rowSpan > 1 || p.colSpan > 1) ws.mergeCells(r, c, r + p.rowSpan - 1, c + p.colSpan - 1);
    for (let i = 0; i < p.rowSpan; i++)
      for (let j = 0; j < p.colSpan; j++) {
        const x = ws.getCell(r + i, c + j);
        x.border = BORDER;
        x.font = FONT;
        x.alignment = { vertical: 'middle', horizontal: p.cell.header && p.cell.text.length > 12 ? 'left' : 'center', wrapText: true };
      }
  }
  return top + rows;
}

export async function writeReportXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = doc.orgName;
  const tables = doc.sections.flatMap((s) => s.tables ?? []);
  for (const t of tables) {
    const ws = wb.addWorksheet(TABLE_SHEET_NAMES[t.id] ?? t.id);
    ws.getCell(1, 1).value = `${doc.title}　${doc.sections.find((s) => s.tables?.includes(t))?.number ?? ''}${doc.sections.find((s) => s.tables?.includes(t))?.title ?? ''}`;
    ws.getCell(1, 1).font = { ...FONT, bold: true };
    let top = 2;
    if (t.note) {
      ws.getCell(2, 1).value = t.note;
      ws.getCell(2, 1).font = FONT;
      top = 3;
    }
    putTable(ws, t, top);
    const total = t.columnWidths.reduce((a, b) => a + b, 0);
    t.columnWidths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.max(8, Math.round((w / total) * 120))));
  }
  if (tables.length === 0) {
    const ws = wb.addWorksheet('报告数字');
    ws.addRow(['指标', '数字']);
    for (const f of documentFigures(doc)) ws.addRow([f.entry !== undefined ? `${f.metricKey}[${f.entry}]` : f.metricKey, typeof f.value === 'number' ? f.value : f.display]);
    ws.getColumn(1).width = 50;
    ws.getColumn(2).width = 20;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
