import ExcelJS from 'exceljs';
import type { SupervisionBoard } from '../app/supervision';

/** The 督办 board as a workbook: one row per department (or town), 临期 and 逾期 per ledger kind. */
export async function supervisionXlsx(board: SupervisionBoard): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  const ws = wb.addWorksheet('督办');
  const kinds = board.kinds;
  ws.addRow([`${board.orgName}临期、逾期事项督办表`]);
  ws.addRow([board.by === 'town' ? '镇（街道）' : '部门', '逾期合计', '临期合计', ...kinds.flatMap((k) => [`${k.label}·逾期`, `${k.label}·临期`])]);
  for (const r of board.rows) ws.addRow([r.label, r.overdue, r.near, ...kinds.flatMap((k) => [r.cells[k.kind]!.overdue, r.cells[k.kind]!.near])]);
  ws.addRow(['合计', board.totals.overdue, board.totals.near, ...kinds.flatMap((k) => [board.totals.cells[k.kind]!.overdue, board.totals.cells[k.kind]!.near])]);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(2).font = { bold: true };
  ws.getColumn(1).width = 22;
  for (let i = 2; i <= 3 + kinds.length * 2; i++) ws.getColumn(i).width = 12;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
