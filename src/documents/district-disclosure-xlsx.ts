/**
 * The district's disclosure-report workbook: the towns side by side (table 三 and 四 by town, with
 * the district total), each town's and the total's tables in the national layout, and the 定稿 status.
 */
import ExcelJS from 'exceljs';
import { proactiveTable, requestRows, requestTable, reviewTable, rowLabel, tablesOfJson, type DisclosureReportJson } from '../core/disclosure';
import type { DistrictDisclosureView } from '../app/district-disclosure';
import { putTable } from './report-xlsx';

function townSheet(wb: ExcelJS.Workbook, name: string, j: DisclosureReportJson): void {
  const ws = wb.addWorksheet(name.slice(0, 31));
  const t = tablesOfJson(j);
  ws.getCell(1, 1).value = `${name}${j.year}年政府信息公开工作年度报告表格`;
  let row = 3;
  for (const [title, table] of [['二、主动公开政府信息情况', proactiveTable(t)], ['三、收到和处理政府信息公开申请情况', requestTable(t)], ['四、政府信息公开行政复议、行政诉讼情况', reviewTable(t)]] as const) {
    ws.getCell(row, 1).value = title;
    if (table.note) ws.getCell(row + 1, 1).value = table.note;
    row = putTable(ws, table, row + (table.note ? 2 : 1)) + 1;
  }
  for (let c = 1; c <= 15; c++) ws.getColumn(c).width = c <= 3 ? 18 : 10;
}

export async function writeDistrictDisclosureXlsx(v: DistrictDisclosureView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = v.districtName;
  const side = wb.addWorksheet('各镇对比');
  const names = [...v.towns.map((t) => t.name), `${v.districtName}合计`];
  const all = [...v.towns.map((t) => t.tables), v.total];
  side.addRow([`${v.districtName}${v.year}年各镇（街道）政府信息公开工作年度报告汇总（申请情况按“总计”列，复议诉讼按“总计”）`]);
  side.addRow(['项目', ...names]);
  for (const { path } of requestRows(v.total.requests)) {
    side.addRow([`表三 ${rowLabel(path)}`, ...all.map((j) => requestRows(j.requests).find((r) => r.path === path)!.cell.total)]);
  }
  for (const [k, label] of [['reconsideration', '行政复议'], ['litigationDirect', '行政诉讼（未经复议直接起诉）'], ['litigationAfterReconsideration', '行政诉讼（复议后起诉）']] as const) {
    side.addRow([`表四 ${label}总计`, ...all.map((j) => j.review[k].total)]);
  }
  side.addRow(['表二 行政规范性文件现行有效件数', ...all.map((j) => j.proactive.normativeDocuments.inForce)]);
  side.addRow(['勾稽关系', ...all.map((j) => (j.checks.every((c) => c.ok) ? '成立' : '不成立'))]);
  side.addRow(['定稿情况', ...v.towns.map((t) => `${t.final}${t.report?.frozenAt ? `（${t.report.frozenAt.slice(0, 10)}）` : ''}`), '']);
  side.getColumn(1).width = 48;
  for (let c = 2; c <= names.length + 1; c++) side.getColumn(c).width = 14;
  townSheet(wb, `${v.districtName}合计`, v.total);
  for (const t of v.towns) townSheet(wb, t.name, t.tables);
  const status = wb.addWorksheet('定稿情况');
  status.addRow(['镇（街道）', '报告状态', '定稿时间', `截止日期（${v.dueOn}）`, '数据来源']);
  for (const t of v.towns) status.addRow([t.name, t.report ? `${t.report.state}（第${t.report.version}版）` : '未创建', t.report?.frozenAt?.slice(0, 10) ?? '', t.final, t.source === 'frozen' ? '定稿快照' : '实时台账']);
  status.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
