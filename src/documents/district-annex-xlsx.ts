/** The district comparison table as .xlsx: numbers stay numbers, formatted by the metric's format. */
import ExcelJS from 'exceljs';
import type { FigureFormat, MetricValue } from '../core/report';
import { annexTitle, metricHeader, rankedKeys, rankNote, type AnnexMetric, type DistrictComparison } from './district-annex-model';

function numFmt(f: FigureFormat): string {
  switch (f.kind) {
    case 'int':
      return '0';
    case 'num':
      return f.decimals === 0 ? '0' : `0.${'0'.repeat(f.decimals)}`;
    case 'pct':
      return f.decimals ? `0.${'0'.repeat(f.decimals)}%` : '0.0%';
    case 'yoy':
      return '"上升"0.0%;"下降"0.0%;"持平"';
    case 'list':
      return '@';
  }
}

function cellValue(m: AnnexMetric, v: MetricValue | undefined): string | number {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.join('、');
  // A by_ metric in one cell: its values side by side.
  return Object.entries(v)
    .map(([k, n]) => `${k}${n}`)
    .join('，');
}

export async function writeDistrictAnnexXlsx(c: DistrictComparison): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = c.districtName;
  const ws = wb.addWorksheet('对比表', { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
  const ranked = rankedKeys(c);
  const columns: { header: string; metric?: AnnexMetric; rank?: boolean }[] = [{ header: '序号' }, { header: '镇（街道）' }];
  for (const m of c.metrics) {
    columns.push({ header: metricHeader(m), metric: m });
    if (ranked.has(m.key)) columns.push({ header: '排名', metric: m, rank: true });
  }
  ws.addRow([annexTitle(c)]);
  ws.mergeCells(1, 1, 1, columns.length);
  const title = ws.getRow(1);
  title.font = { name: '方正小标宋简体', size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 32;
  const header = ws.addRow(columns.map((col) => col.header));
  header.font = { name: '黑体', size: 11 };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.height = 36;

  const addDataRow = (first: string | number, name: string, values: Readonly<Record<string, MetricValue>>, ranks?: Readonly<Record<string, number | null>>) => {
    const cells = columns.map((col, i) => {
      if (i === 0) return first;
      if (i === 1) return name;
      const m = col.metric!;
      if (col.rank) return ranks?.[m.key] ?? '—';
      return cellValue(m, values[m.key]);
    });
    const row = ws.addRow(cells);
    columns.forEach((col, i) => {
      const cell = row.getCell(i + 1);
      cell.font = { name: '仿宋_GB2312', size: 11 };
      cell.alignment = { horizontal: i === 1 ? 'left' : 'center', vertical: 'middle' };
      if (col.metric && !col.rank && typeof cell.value === 'number') cell.numFmt = numFmt(col.metric.format ?? { kind: 'int' });
    });
    return row;
  };
  c.rows.forEach((r, i) => addDataRow(i + 1, r.orgName, r.values, r.ranks));
  const totals = addDataRow('', '合计', c.totals);
  totals.eachCell((cell) => (cell.font = { name: '黑体', size: 11 }));

  const border = { style: 'thin' as const };
  for (let r = 2; r <= ws.rowCount; r++) {
    for (let i = 1; i <= columns.length; i++) ws.getCell(r, i).border = { top: border, left: border, bottom: border, right: border };
  }
  // Below the bordered table: how towns are ranked.
  const note = ws.addRow([rankNote(c)]);
  ws.mergeCells(note.number, 1, note.number, columns.length);
  note.font = { name: '仿宋_GB2312', size: 10 };
  ws.getColumn(1).width = 6;
  ws.getColumn(2).width = 14;
  for (let i = 3; i <= columns.length; i++) ws.getColumn(i).width = columns[i - 1]!.rank ? 7 : 14;
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
