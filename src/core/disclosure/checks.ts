/**
 * The cross-checks (勾稽关系) of table 三 of the national format, verified on the cells themselves so
 * that the same function checks one town's table and a district's sum of towns.
 */
import { COLUMN_KEYS, type ColumnKey } from './outcomes';
import type { Cell, CrossCheck, ProactiveTable, RequestTable, ReviewRow, ReviewTable } from './types';

const SIX = COLUMN_KEYS.filter((c): c is Exclude<ColumnKey, 'total'> => c !== 'total');
const SUB_GROUPS = ['refused', 'unavailable', 'notProcessed', 'otherHandling'] as const;

/** Every row of table 三 with its JSON path, in the order of the format. */
export function requestRows(t: RequestTable): { path: string; cell: Cell }[] {
  const rows: { path: string; cell: Cell }[] = [
    { path: 'new', cell: t.new },
    { path: 'carriedIn', cell: t.carriedIn },
    { path: 'granted', cell: t.granted },
    { path: 'partial', cell: t.partial },
  ];
  for (const g of SUB_GROUPS) for (const [k, cell] of Object.entries(t[g])) rows.push({ path: `${g}.${k}`, cell });
  rows.push({ path: 'handledTotal', cell: t.handledTotal }, { path: 'carriedOut', cell: t.carriedOut });
  return rows;
}

/** 一 + 二 = 三(七) + 四 and (七) = (一)+…+(六) in every column; 总计 = the six columns in every row. */
export function checkRequestTable(t: RequestTable): CrossCheck[] {
  const checks: CrossCheck[] = [];
  for (const c of COLUMN_KEYS) checks.push({ rule: '一+二=三(七)+四', column: c, ok: t.new[c] + t.carriedIn[c] === t.handledTotal[c] + t.carriedOut[c] });
  for (const c of COLUMN_KEYS) {
    let sum = t.granted[c] + t.partial[c];
    for (const g of SUB_GROUPS) for (const cell of Object.values(t[g])) sum += cell[c];
    checks.push({ rule: '(七)=(一)+…+(六)', column: c, ok: t.handledTotal[c] === sum });
  }
  for (const { path, cell } of requestRows(t)) checks.push({ rule: '总计=各列之和', row: path, ok: cell.total === SIX.reduce((s, c) => s + cell[c], 0) });
  return checks;
}

const ROW_LABELS: Record<string, string> = {
  new: '一、本年新收',
  carriedIn: '二、上年结转',
  granted: '（一）予以公开',
  partial: '（二）部分公开',
  refused: '（三）不予公开',
  unavailable: '（四）无法提供',
  notProcessed: '（五）不予处理',
  otherHandling: '（六）其他处理',
  handledTotal: '（七）总计',
  carriedOut: '四、结转下年度继续办理',
};

/** A row path of table 三 in the format's words, e.g. `（三）不予公开·属于国家秘密`. */
export function rowLabel(path: string): string {
  const [group = '', item] = path.split('.');
  return (ROW_LABELS[group] ?? group) + (item ? `·${item}` : '');
}

/** The failing cross-checks in words, e.g. `一+二=三(七)+四 不成立（自然人列）`. */
export function failedCheckMessages(checks: readonly CrossCheck[]): string[] {
  const labels: Record<ColumnKey, string> = { natural: '自然人', business: '商业企业', research: '科研机构', charity: '社会公益组织', legal: '法律服务机构', other: '其他', total: '总计' };
  return checks.filter((c) => !c.ok).map((c) => `表三勾稽关系“${c.rule}”不成立（${c.column ? `${labels[c.column]}列` : `“${rowLabel(c.row ?? '')}”行`}）`);
}

/** Cell-wise sum of several towns' tables (the district total). */
export function sumRequestTables(tables: readonly RequestTable[], empty: RequestTable): RequestTable {
  const out = structuredClone(empty);
  const add = (a: Cell, b: Cell) => {
    for (const c of COLUMN_KEYS) a[c] += b[c];
  };
  for (const t of tables) {
    add(out.new, t.new);
    add(out.carriedIn, t.carriedIn);
    add(out.granted, t.granted);
    add(out.partial, t.partial);
    for (const g of SUB_GROUPS) for (const [k, cell] of Object.entries(t[g])) add((out[g][k] ??= { natural: 0, business: 0, research: 0, charity: 0, legal: 0, other: 0, total: 0 }), cell);
    add(out.handledTotal, t.handledTotal);
    add(out.carriedOut, t.carriedOut);
  }
  return out;
}

/** Cell-wise sum of several towns' tables 二 and 四 (the district total). */
export function sumProactive(ps: readonly ProactiveTable[]): ProactiveTable {
  const units = (f: (p: ProactiveTable) => number) => ps.reduce((s, p) => s + Math.round(f(p) * 10000), 0) / 10000;
  const three = (k: 'regulations' | 'normativeDocuments') => ({ issued: units((p) => p[k].issued), repealed: units((p) => p[k].repealed), inForce: units((p) => p[k].inForce) });
  return {
    regulations: three('regulations'),
    normativeDocuments: three('normativeDocuments'),
    licensing: units((p) => p.licensing),
    penalties: units((p) => p.penalties),
    coercion: units((p) => p.coercion),
    feesWan: units((p) => p.feesWan),
  };
}

export function sumReview(rs: readonly ReviewTable[]): ReviewTable {
  const row = (k: keyof ReviewTable): ReviewRow => {
    const out: ReviewRow = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
    for (const r of rs) for (const c of Object.keys(out) as (keyof ReviewRow)[]) out[c] += r[k][c];
    return out;
  };
  return { reconsideration: row('reconsideration'), litigationDirect: row('litigationDirect'), litigationAfterReconsideration: row('litigationAfterReconsideration') };
}
