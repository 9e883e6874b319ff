/**
 * Blank import templates, for one kind or for every kind in one workbook: a sheet 填写说明
 * explaining every column (label, code, type, required, options, help), one data sheet per kind
 * with a header of labels (required ones marked `*`), dropdowns for enums, 是/否, states and
 * departments, input checks for dates and numbers, and a hidden sheet 列映射 that maps every
 * column back to its kind and field key, so a filled-in template is read exactly.
 */
import ExcelJS from 'exceljs';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import { columnLetter, GUIDE_SHEET, MAP_SHEET, OPTIONS_SHEET } from './table-lines';
import { optionName } from '../core/ledgers/dictionary';
import { DATE_FMT, exchangeColumns, sheetNameOf, styleHeader, type OutColumn } from './xlsx-writer';

/** Rows of a template that get dropdowns and input checks. */
const TEMPLATE_ROWS = 10000;


/** A field's type as the guide explains it. */
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

/** The heading of a template column: the label, with `*` when the column must be filled. */
export const templateHeading = (c: OutColumn) => (c.key === 'dept' || c.field?.required ? `${c.header}*` : c.header);

/**
 * A blank import template for one kind, or for several in one workbook (`defs` in the order of their
 * sheets). `deptNames` (the org's departments) makes the 部门 column a dropdown.
 */
export async function writeXlsxTemplate(
  kinds: LedgerDef | readonly LedgerDef[],
  opts: { deptNames?: readonly string[]; defs?: readonly LedgerDef[] } = {},
): Promise<Buffer> {
  const list = Array.isArray(kinds) ? (kinds as readonly LedgerDef[]) : [kinds as LedgerDef];
  const wb = new ExcelJS.Workbook();
  wb.creator = '法治台账';
  const guide = wb.addWorksheet(GUIDE_SHEET);
  const used = new Set<string>();
  const sheets = list.map((def) => {
    const name = sheetNameOf(def, used);
    return { def, name, ws: wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] }) };
  });
  const optSheet = wb.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });
  const mapSheet = wb.addWorksheet(MAP_SHEET, { state: 'veryHidden' });
  mapSheet.addRow(['工作表', '列', '表头', '台账', '字段']);

  // 填写说明
  guide.columns = [{ width: 16 }, { width: 18 }, { width: 26 }, { width: 8 }, { width: 40 }, { width: 50 }];
  const title = list.length === 1 ? `${list[0]!.label}导入模板填写说明` : '台账导入模板填写说明';
  guide.addRow([title]).font = { bold: true, size: 14 };
  guide.mergeCells(1, 1, 1, 6);
  const flowNote = list.length === 1 && list[0]!.flow
    ? `5. “状态”为办理流程状态，可选：${list[0]!.flow.states.map((s) => s.key).join('、')}；留空则为“${list[0]!.flow.initial}”。`
    : list.length === 1
      ? '5. 本台账没有办理流程，无需填写状态。'
      : '5. 有办理流程的台账有“状态”列，留空则为流程的初始状态。';
  const notes = [
    `1. 在${list.length === 1 ? `工作表「${sheets[0]!.name}」` : '各台账的工作表'}中从第2行起每行填写一条记录，第1行表头请勿修改；带“*”的红色表头为必填列，不需要的非必填列可以删除。`,
    '2. “部门”填写本单位的部门名称，须与系统中的部门名称完全一致。',
    '3. 日期填写为 YYYY-MM-DD（如 2023-03-14）、2023/3/14、2023年3月14日或Excel日期；月份填写为 YYYY-MM（如 2023-03）；金额单位为元。',
    '4. 是/否列填写“是”或“否”（也可填√或×）；多选列的多个值用顿号“、”分隔；下拉列请从列表中选择。',
    flowNote,
    '6. 导入时全部记录校验通过才会写入；有任何错误时整份文件不写入，并列出每一处错误的工作表、行号和列名，可下载标出错误单元格的文件副本。',
    '7. 有案号、文号或编号的台账，再次导入同一案号（文号、编号）的记录会更新原记录；与已有记录完全相同的行不会重复导入。',
  ];
  for (const n of notes) {
    const r = guide.addRow([n]);
    guide.mergeCells(r.number, 1, r.number, 6);
    r.alignment = { wrapText: true, vertical: 'top' };
    r.height = 30;
  }
  let optCol = 0;
  for (const { def, name, ws } of sheets) {
    const cols = exchangeColumns(def);
    const optionsOf = (c: OutColumn): readonly string[] | undefined => {
      if (c.key === 'dept') return opts.deptNames?.length ? opts.deptNames : undefined;
      if (c.key === 'status') return def.flow?.states.map((s) => s.key);
      if (c.field?.type === 'bool') return ['是', '否'];
      // The names people know (the 字典's); an import reads a name back to its code.
      if (c.field?.type === 'enum' || c.field?.type === 'multienum') return c.field.options?.map((o) => optionName(c.field!, o));
      if (c.field?.type === 'depts') return opts.deptNames?.length ? opts.deptNames : undefined;
      return undefined;
    };
    guide.addRow([]);
    if (list.length > 1) guide.addRow([`工作表「${name}」（${def.label}）`]).font = { bold: true, size: 12 };
    const th = guide.addRow(['列名（表头）', '字段代码', '类型', '必填', '可选值', '说明']);
    th.font = { bold: true };
    th.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    });
    for (const c of cols) {
      const options = optionsOf(c);
      const synonyms = c.key === 'dept' ? ['责任部门', '填报部门', '科室'] : (c.field?.synonyms ?? []);
      const help =
        c.key === 'dept'
          ? '记录的责任部门'
          : c.key === 'status'
            ? `办理流程状态，留空为“${def.flow?.initial ?? ''}”`
            : [
                c.field?.help,
                c.field?.pii ? '个人信息，导出时按权限遮蔽' : '',
                c.field?.default !== undefined ? `留空默认为${String(c.field.default)}` : '',
                def.naturalKey === c.key ? `${c.header}相同的记录再次导入时更新原记录` : '',
              ]
                .filter(Boolean)
                .join('；');
      const type = c.key === 'dept' ? '部门名称' : c.key === 'status' ? '单选' : typeLabel(c.field!, opts.defs);
      const required = c.key === 'dept' || c.field?.required ? '是' : '否';
      const helpText = [help, synonyms.length ? `表头也可写作：${synonyms.join('、')}` : ''].filter(Boolean).join('；');
      const r = guide.addRow([c.header, c.key, type, required, options?.length ? options.join('、') : null, helpText || null]);
      r.alignment = { wrapText: true, vertical: 'top' };
    }

    // The data sheet.
    ws.columns = cols.map((c) => ({ key: c.key, width: c.width }));
    styleHeader(ws.addRow(cols.map(templateHeading)), cols);
    cols.forEach((c, i) => mapSheet.addRow([name, columnLetter(i + 1), templateHeading(c), def.kind, c.key]));
    const dv = ws as unknown as WithValidations;
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
  }
  if (!optCol) wb.removeWorksheet(optSheet.id);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
