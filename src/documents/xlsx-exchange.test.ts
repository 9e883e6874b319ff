import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import { AppError, type LineError } from '../core/errors';
import {
  cellToValue,
  columnLetter,
  GUIDE_SHEET,
  importXlsx,
  locateErrors,
  MAP_SHEET,
  OPTIONS_SHEET,
  readXlsxLines,
  writeXlsxExport,
  writeXlsxTemplate,
  type XlsxLineError,
} from './xlsx-exchange';

const defs = BUILTIN_LEDGERS;
/** A field of the given type, for cell conversions. */
const f = (type: FieldDef['type'], options?: string[]): FieldDef => ({ key: 'x', label: 'x', type, ...(options ? { options } : {}) });
const def = (kind: string) => defs.find((d) => d.kind === kind)!;

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** A workbook as a user would make it in Excel (shared strings, real dates, mixed cell types). */
async function book(sheets: Record<string, unknown[][]>, hidden: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name, { state: hidden.includes(name) ? 'hidden' : 'visible' });
    for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('cellToValue', () => {
  it('converts Excel dates, serials and date text to YYYY-MM-DD', () => {
    expect(cellToValue(f('date'), new Date(Date.UTC(2023, 2, 14)))).toBe('2023-03-14');
    expect(cellToValue(f('date'), 45000)).toBe('2023-03-15');
    expect(cellToValue(f('date'), '2023/3/5')).toBe('2023-03-05');
    expect(cellToValue(f('date'), '2023年3月5日')).toBe('2023-03-05');
    expect(cellToValue(f('date'), '昨天')).toBe('昨天');
    expect(cellToValue(f('month'), '2023年3月')).toBe('2023-03');
    expect(cellToValue(f('month'), new Date(Date.UTC(2023, 10, 1)))).toBe('2023-11');
  });
  it('converts booleans, numbers in text and lists', () => {
    expect(cellToValue(f('bool'), '是')).toBe(true);
    expect(cellToValue(f('bool'), '否')).toBe(false);
    expect(cellToValue(f('bool'), 'TRUE')).toBe(true);
    expect(cellToValue(f('bool'), false)).toBe(false);
    expect(cellToValue(f('bool'), '也许')).toBe('也许');
    expect(cellToValue(f('int'), ' 1,200 ')).toBe(1200);
    expect(cellToValue(f('money'), '3500.50')).toBe(3500.5);
    expect(cellToValue(f('int'), '十')).toBe('十');
    expect(cellToValue(f('multienum', ['派出所', '司法所', '律师事务所']), '派出所、司法所,律师事务所')).toEqual(['派出所', '司法所', '律师事务所']);
    expect(cellToValue(f('files'), '3、4')).toEqual([3, 4]);
    expect(cellToValue(f('text'), 12)).toBe('12');
    expect(cellToValue(f('text'), { richText: [{ text: '行政' }, { text: '处罚' }] })).toBe('行政处罚');
    expect(cellToValue(f('int'), { formula: 'A1+1', result: 5 })).toBe(5);
    expect(cellToValue(f('text'), '   ')).toBeUndefined();
  });
  it('names columns like Excel', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});

describe('export and read back', () => {
  // Every field type: text, date, enum, int, dept, person, bool, state, multienum, money, month, depts, files.
  const records: Record<string, unknown>[] = [
    { kind: 'training', dept: '司法所', title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24, hours: 2 },
    { kind: 'training', dept: '党政办公室', title: '民法典学习', heldOn: '2023-05-01', trainingType: '领导干部学法', attendees: 12, organizer: '司法所' },
    { kind: 'petition', dept: '司法所', status: '受理', registeredOn: '2023-01-02', channel: '来信', petitioner: '张*', subject: '噪声扰民', acceptedOn: '2023-01-05', extended: true },
    { kind: 'dispute', dept: '司法所', linkedUnits: ['派出所', '律师事务所'] },
    { kind: 'enforcement_case', dept: '综合行政执法队', amount: 3500.5 },
    { kind: 'indicator', dept: '司法所', period: '2023-06' },
    { kind: 'task', dept: '司法所', partnerDepts: ['党政办公室', '综合行政执法队'], files: [7, 9] },
  ];

  it('writes one sheet per kind with a header of labels, and re-reading gives the same objects', async () => {
    const buf = await writeXlsxExport(from(records), defs);
    const wb = await load(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['training', 'petition', 'dispute', 'enforcement_case', 'indicator', 'task'].map((k) => def(k).label));
    const tr = wb.getWorksheet('培训与学法')!;
    expect(tr.getRow(1).values).toEqual([undefined, '部门', ...def('training').fields.map((f) => f.label)]);
    expect(tr.getCell('C2').value).toEqual(new Date(Date.UTC(2023, 2, 14)));
    expect(wb.getWorksheet('信访事项')!.getRow(2).getCell(8).value).toBe('是');
    const read = await readXlsxLines(buf, defs);
    expect(read.errors).toEqual([]);
    expect(read.lines.map((l) => l.value)).toEqual(records);
  });

  it('writes an empty sheet with its header when nothing matches a kind filter', async () => {
    const wb = await load(await writeXlsxExport(from([]), defs, { emptyKind: 'training' }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['培训与学法']);
    expect((await readXlsxLines(await writeXlsxExport(from([]), defs), defs)).lines).toEqual([]);
  });
});

describe('readXlsxLines', () => {
  it('accepts labels or keys as headers, a title row, text numbers and dates, and skips empty rows and guide sheets', async () => {
    const buf = await book(
      {
        [GUIDE_SHEET]: [['说明文字']],
        培训与学法: [
          ['2023年培训台账'],
          ['序号', '部门', '主题', 'heldOn', '类型', 'attendees', '学时*'],
          [1, '司法所', '宪法学习', '2023/3/5', '以案释法', '30', 2],
          [],
          [2, '司法所', '执法培训', new Date(Date.UTC(2023, 3, 1)), '执法人员培训', 12, null],
        ],
        training: [['dept', 'title', 'heldOn', 'trainingType', 'attendees'], ['党政办公室', '警示教育会', 45000, '警示教育', 80]],
        草稿: [['随便写的']],
      },
      ['草稿'],
    );
    const read = await readXlsxLines(buf, defs);
    expect(read.errors).toEqual([]);
    expect(read.lines.map((l) => l.value)).toEqual([
      { kind: 'training', dept: '司法所', title: '宪法学习', heldOn: '2023-03-05', trainingType: '以案释法', attendees: 30, hours: 2 },
      { kind: 'training', dept: '司法所', title: '执法培训', heldOn: '2023-04-01', trainingType: '执法人员培训', attendees: 12 },
      { kind: 'training', dept: '党政办公室', title: '警示教育会', heldOn: '2023-03-15', trainingType: '警示教育', attendees: 80 },
    ]);
    expect(read.lines.map((l) => read.where.get(l.line)!.row)).toEqual([3, 5, 2]);
  });

  it('reports unknown sheets, unknown and duplicate headers, headerless data and error cells with sheet and row', async () => {
    const buf = await book({
      Sheet1: [['部门', '主题'], ['司法所', 'x']],
      培训与学法: [
        ['部门', '主题', '参训人员', '主题'],
        ['司法所', '学法', 3, 'y', '多余'],
        ['司法所', { error: '#N/A' }],
      ],
      信访事项: [['没有表头'], ...Array.from({ length: 10 }, () => ['x'])],
    });
    const read = await readXlsxLines(buf, defs);
    const msgs = read.errors.map((e) => e.message);
    expect(msgs).toEqual([
      '工作表「Sheet1」：无法识别台账类型：工作表名称应为台账名称（如“培训与学法”）或类型代码（如 training），或表头应为某个台账的列名',
      '工作表「培训与学法」第1行（C列）：表头“参训人员”不是培训与学法的字段',
      '工作表「培训与学法」第1行（D列）：表头“主题”与“主题”是同一列（主题）',
      '工作表「培训与学法」第2行（E列）：E列有内容但没有表头',
      '工作表「培训与学法」第3行（B列）：主题：单元格是错误值（#N/A）',
      '工作表「信访事项」：找不到表头行：前10行中没有信访事项的列名（如“部门”“登记日期”“方式”“信访人”）',
    ]);
    expect(read.errors[4]).toMatchObject({ sheet: '培训与学法', row: 3, column: 'B', label: '主题', field: 'title' });
    // Lines keep increasing across sheets, so the engine's sort keeps the workbook's order.
    const ls = read.errors.map((e) => e.line);
    expect([...ls].sort((a, b) => a - b)).toEqual(ls);
  });

  it('uses the kind hint for a sheet whose name is not a kind', async () => {
    const buf = await book({ Sheet1: [['部门', '主题'], ['司法所', 'x']] });
    const read = await readXlsxLines(buf, defs, { kindHint: '培训与学法' });
    expect(read.errors).toEqual([]);
    expect(read.lines[0]!.value).toEqual({ kind: 'training', dept: '司法所', title: 'x' });
  });

  it('rejects a file that is not a workbook', async () => {
    const e = await readXlsxLines(Buffer.from('这不是Excel文件'), defs).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toContain('不是有效的Excel工作簿');
  });
});

describe('importXlsx', () => {
  it('maps the engine errors back to sheet, row and column label', async () => {
    const buf = await book({
      培训与学法: [
        ['部门', '主题', '日期', '类型', '参训人次'],
        ['司法所', 'a', '2023-01-01', '其他', 5],
        ['司法所', 'b', '2023-02-30', '其他', '十'],
      ],
      信访事项: [['部门', '登记日期'], ['没有的部门', '2023-01-01']],
    });
    const run = async (lines: { line: number; value: Record<string, unknown> }[], parseErrors: XlsxLineError[]) => {
      expect(parseErrors).toEqual([]);
      // What importLines reports for these lines (messages as in src/app/exchange.ts).
      const l2 = lines[1]!.line;
      const l3 = lines[2]!.line;
      const engine: LineError[] = [
        { line: l2, field: 'heldOn', message: `第${l2}行：日期：不是有效日期（YYYY-MM-DD）` },
        { line: l2, field: 'attendees', message: `第${l2}行：参训人次：必须是不小于0的整数` },
        { line: l3, field: 'dept', message: `第${l3}行：甲镇没有部门“没有的部门”` },
      ];
      throw new AppError('VALIDATION', 'x', { lines: engine });
    };
    const e = (await importXlsx(buf, defs, run).catch((x: unknown) => x)) as AppError;
    expect(e.extra.lines!.map((l) => l.message)).toEqual([
      '工作表「培训与学法」第3行（C列）：日期：不是有效日期（YYYY-MM-DD）',
      '工作表「培训与学法」第3行（E列）：参训人次：必须是不小于0的整数',
      '工作表「信访事项」第2行（A列）：部门：甲镇没有部门“没有的部门”',
    ]);
    expect(e.extra.lines![1]).toMatchObject({ sheet: '培训与学法', row: 3, column: 'E', label: '参训人次', field: 'attendees' });
    expect(e.message).toContain('导入失败，共3处错误，未写入任何记录');
  });

  it('names the label of a required field missing from the sheet', () => {
    const read = { lines: [], errors: [], where: new Map([[2, { sheet: { name: '培训与学法', def: def('training'), columns: [] }, row: 7 }]]) };
    expect(locateErrors([{ line: 2, field: 'title', message: '第2行：主题：必填' }], read)[0]!.message).toBe('工作表「培训与学法」第7行：主题：必填');
  });

  it('refuses a workbook without records', async () => {
    const buf = await writeXlsxTemplate(def('training'));
    await expect(importXlsx(buf, defs, async () => 0)).rejects.toThrow('文件中没有可导入的记录');
  });
});

describe('writeXlsxTemplate', () => {
  it('has a guide sheet, a header of labels and dropdowns for enum, bool, state and department columns', async () => {
    const wb = await load(await writeXlsxTemplate(def('petition'), { deptNames: ['司法所', '党政办公室'] }));
    expect(wb.worksheets.map((w) => w.name)).toEqual([GUIDE_SHEET, '信访事项', MAP_SHEET]);
    const ws = wb.getWorksheet('信访事项')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    // Required columns are marked with *.
    expect(header).toEqual(['部门*', '状态', ...def('petition').fields.map((f) => (f.required ? `${f.label}*` : f.label))]);
    const col = (label: string) => columnLetter(header.findIndex((h) => String(h).replace(/\*$/, '') === label) + 1);
    const dv = (label: string, row = 2) => ws.getCell(`${col(label)}${row}`).dataValidation;
    expect(dv('部门')).toMatchObject({ type: 'list', formulae: ['"司法所,党政办公室"'] });
    expect(dv('状态')).toMatchObject({ type: 'list', formulae: ['"登记,受理,办理中,办结"'] });
    expect(dv('方式', 500)).toMatchObject({ type: 'list', formulae: ['"来信,来访,网上,电话"'], showErrorMessage: true });
    expect(dv('延长办理期限')).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(dv('登记日期')).toMatchObject({ type: 'date' });
    expect(dv('事项')).toBeUndefined();

    const guide = wb.getWorksheet(GUIDE_SHEET)!;
    const rows: unknown[][] = [];
    guide.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(String(rows[0]![0])).toBe('信访事项导入模板填写说明');
    const fieldRow = (label: string) => rows.find((r) => r[0] === label);
    expect(fieldRow('方式')).toEqual(['方式', 'channel', '单选', '是', '来信、来访、网上、电话']);
    expect(fieldRow('信访人')).toEqual(['信访人', 'petitioner', '姓名', '是', undefined, '个人信息，导出时按权限遮蔽']);
    expect(fieldRow('延长办理期限')!.slice(2, 5)).toEqual(['是/否', '否', '是、否']);
  });

  it('puts long option lists on a hidden sheet and keeps multi-select lists advisory', async () => {
    const long: LedgerDef = {
      kind: 'long_opts',
      label: '长选项台账',
      version: 1,
      builtin: false,
      occurredOn: 'on',
      fields: [
        { key: 'on', label: '日期', type: 'date', required: true },
        { key: 'area', label: '领域', type: 'enum', options: Array.from({ length: 40 }, (_, i) => `行政执法领域第${i + 1}类`) },
        { key: 'tags', label: '标签', type: 'multienum', options: ['甲', '乙'] },
        { key: 'n', label: '人数', type: 'int' },
      ],
    };
    const wb = await load(await writeXlsxTemplate(long));
    const opts = wb.getWorksheet(OPTIONS_SHEET)!;
    expect(opts.state).toBe('hidden');
    expect(opts.getCell('A41').value).toBe('行政执法领域第40类');
    const ws = wb.getWorksheet('长选项台账')!;
    expect(ws.getCell('C2').dataValidation).toMatchObject({ type: 'list', formulae: [`'${OPTIONS_SHEET}'!$A$2:$A$41`] });
    expect(ws.getCell('D2').dataValidation.showErrorMessage).toBeFalsy();
    expect(ws.getCell('E2').dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0] });
    // A template filled in and read back: the hidden options sheet is not data.
    ws.getRow(2).values = ['司法所', new Date(Date.UTC(2023, 0, 9)), '行政执法领域第3类', '甲、乙', 4];
    const read = await readXlsxLines(Buffer.from(await wb.xlsx.writeBuffer()), [long]);
    expect(read.errors).toEqual([]);
    expect(read.lines.map((l) => l.value)).toEqual([{ kind: 'long_opts', dept: '司法所', on: '2023-01-09', area: '行政执法领域第3类', tags: ['甲', '乙'], n: 4 }]);
  });
});

describe('a template for every kind', () => {
  it('has a sheet per kind, a hidden column map, and reads back exactly when filled in', async () => {
    const kinds = [def('training'), def('petition'), def('enforcement_case')];
    const wb = await load(await writeXlsxTemplate(kinds, { deptNames: ['司法所'] }));
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      [GUIDE_SHEET, 'visible'],
      ['培训与学法', 'visible'],
      ['信访事项', 'visible'],
      ['行政执法案件', 'visible'],
      [MAP_SHEET, 'veryHidden'],
    ]);
    const map = wb.getWorksheet(MAP_SHEET)!;
    expect((map.getRow(2).values as unknown[]).slice(1)).toEqual(['培训与学法', 'A', '部门*', 'training', 'dept']);
    // A clerk relabels a heading: the column map still knows its field.
    const ws = wb.getWorksheet('培训与学法')!;
    ws.getCell('B1').value = '本期主题（必填）';
    map.eachRow((r) => {
      if (r.getCell(1).value === '培训与学法' && r.getCell(5).value === 'title') r.getCell(3).value = '本期主题（必填）';
    });
    ws.getRow(2).values = ['司法所', '模板回读', new Date(Date.UTC(2023, 4, 6)), '警示教育', 9];
    const read = await readXlsxLines(Buffer.from(await wb.xlsx.writeBuffer()), defs);
    expect(read.errors).toEqual([]);
    expect(read.lines.map((l) => l.value)).toEqual([{ kind: 'training', dept: '司法所', title: '模板回读', heldOn: '2023-05-06', trainingType: '警示教育', attendees: 9 }]);
    const guide: string[] = [];
    wb.getWorksheet(GUIDE_SHEET)!.eachRow((r) => guide.push(String(r.getCell(1).value)));
    expect(guide).toContain('工作表「行政执法案件」（行政执法案件）');
  });
});
