import ExcelJS from 'exceljs';
import type { AuditRow } from '../app/audit-query';
import { auditActionLabel, auditEntityLabel } from '../core/audit/labels';

const HEADERS = ['序号', '时间', '用户名', '姓名', 'IP', '操作', '对象', '对象编号', '台账类型', '组织', '变更前', '变更后', '说明', '哈希'];

/** Shanghai local time, as the assessor reads it. */
function local(at: string): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

function cells(r: AuditRow): (string | number)[] {
  return [
    r.seq ?? '',
    local(r.at),
    r.username ?? '',
    r.displayName ?? '',
    r.ip ?? '',
    auditActionLabel(r.action),
    auditEntityLabel(r.entity),
    r.entityId ?? '',
    r.kind ?? '',
    r.orgName ?? '',
    r.before ?? '',
    r.after ?? '',
    r.detail ?? '',
    r.hash ?? '',
  ];
}

/** A spreadsheet opening a cell that starts with = + - @ would run it as a formula (CSV injection): quote it. */
function safeText(v: string | number): string | number {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvCell(v: string | number): string {
  const s = String(safeText(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV in UTF-8 with a BOM, so Excel on a Chinese Windows opens it with the right encoding. */
export async function* auditCsv(rows: AsyncIterable<AuditRow>): AsyncGenerator<string> {
  yield '\uFEFF' + HEADERS.join(',') + '\r\n';
  for await (const r of rows) yield cells(r).map(csvCell).join(',') + '\r\n';
}

/** An .xlsx workbook of the entries, one sheet, header row frozen. */
export async function auditXlsx(rows: AsyncIterable<AuditRow>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(HEADERS).font = { bold: true };
  for await (const r of rows) ws.addRow(cells(r).map(safeText));
  ws.columns.forEach((c, i) => (c.width = [8, 20, 14, 10, 16, 12, 12, 14, 16, 14, 40, 40, 30, 66][i] ?? 12));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
