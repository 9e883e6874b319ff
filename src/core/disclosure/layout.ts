/**
 * Tables 二, 三 and 四 laid out as in the national format (国办公开办函〔2021〕30号): merged
 * multi-level headers, every counted cell keyed (`disclosure.<path>`) to the records behind it, and
 * the figures the template's words use.
 */
import type { DocTable, DocTableCell, MetricValue } from '../report/types';
import { COLUMN_KEYS, REPLY_REASONS, type ColumnKey } from './outcomes';
import type { DisclosureCounts, DisclosureReportJson, DisclosureTables } from './types';

export const FIGURE_PREFIX = 'disclosure.';

/** Table 三's cross-check as the format prints it. */
export const REQUEST_TABLE_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

const h = (text: string, span: { colSpan?: number; rowSpan?: number } = {}): DocTableCell => ({ text, header: true, ...span });
function n(path: string, value: number, colSpan?: number): DocTableCell {
  return { text: formatNumber(value), figure: FIGURE_PREFIX + path, value, ...(colSpan ? { colSpan } : {}) };
}

/** Counts as integers; the fee in 万元 with the decimals entered (at most 4). */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
}

export function proactiveTable(t: DisclosureCounts): DocTable {
  const p = t.proactive;
  return {
    id: 'proactive',
    headerRows: 0,
    columnWidths: [4, 2, 2, 2],
    rows: [
      [h('第二十条第（一）项', { colSpan: 4 })],
      [h('信息内容'), h('本年制发件数'), h('本年废止件数'), h('现行有效件数')],
      [h('规章'), n('proactive.regulations.issued', p.regulations.issued), n('proactive.regulations.repealed', p.regulations.repealed), n('proactive.regulations.inForce', p.regulations.inForce)],
      [
        h('行政规范性文件'),
        n('proactive.normativeDocuments.issued', p.normativeDocuments.issued),
        n('proactive.normativeDocuments.repealed', p.normativeDocuments.repealed),
        n('proactive.normativeDocuments.inForce', p.normativeDocuments.inForce),
      ],
      [h('第二十条第（五）项', { colSpan: 4 })],
      [h('信息内容'), h('本年处理决定数量', { colSpan: 3 })],
      [h('行政许可'), n('proactive.licensing', p.licensing, 3)],
      [h('第二十条第（六）项', { colSpan: 4 })],
      [h('信息内容'), h('本年处理决定数量', { colSpan: 3 })],
      [h('行政处罚'), n('proactive.penalties', p.penalties, 3)],
      [h('行政强制'), n('proactive.coercion', p.coercion, 3)],
      [h('第二十条第（八）项', { colSpan: 4 })],
      [h('信息内容'), h('本年收费金额（单位：万元）', { colSpan: 3 })],
      [h('行政事业性收费'), n('proactive.feesWan', p.feesWan, 3)],
    ],
  };
}

const GROUPS = [
  { key: 'refused', label: '（三）不予公开', type: '不予公开' },
  { key: 'unavailable', label: '（四）无法提供', type: '无法提供' },
  { key: 'notProcessed', label: '（五）不予处理', type: '不予处理' },
  { key: 'otherHandling', label: '（六）其他处理', type: '其他处理' },
] as const;

export function requestTable(t: DisclosureCounts): DocTable {
  const r = t.requests;
  const cells = (path: string, cell: Record<ColumnKey, number>) => COLUMN_KEYS.map((c) => n(`requests.${path}.${c}`, cell[c]));
  const outcomeRows = 2 + GROUPS.reduce((s, g) => s + REPLY_REASONS[g.type].length, 0) + 1;
  const rows: DocTableCell[][] = [
    [h('', { colSpan: 3, rowSpan: 3 }), h('申请人情况', { colSpan: 7 })],
    [h('自然人', { rowSpan: 2 }), h('法人或其他组织', { colSpan: 5 }), h('总计', { rowSpan: 2 })],
    [h('商业企业'), h('科研机构'), h('社会公益组织'), h('法律服务机构'), h('其他')],
    [h('一、本年新收政府信息公开申请数量', { colSpan: 3 }), ...cells('new', r.new)],
    [h('二、上年结转政府信息公开申请数量', { colSpan: 3 }), ...cells('carriedIn', r.carriedIn)],
    [h('三、本年度办理结果', { rowSpan: outcomeRows }), h('（一）予以公开', { colSpan: 2 }), ...cells('granted', r.granted)],
    [h('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', { colSpan: 2 }), ...cells('partial', r.partial)],
  ];
  for (const g of GROUPS) {
    REPLY_REASONS[g.type].forEach((reason, i) => {
      const row: DocTableCell[] = [];
      if (i === 0) row.push(h(g.label, { rowSpan: REPLY_REASONS[g.type].length }));
      row.push(h(`${i + 1}.${reason}`), ...cells(`${g.key}.${reason}`, r[g.key][reason]!));
      rows.push(row);
    });
  }
  rows.push([h('（七）总计', { colSpan: 2 }), ...cells('handledTotal', r.handledTotal)]);
  rows.push([h('四、结转下年度继续办理', { colSpan: 3 }), ...cells('carriedOut', r.carriedOut)]);
  return { id: 'requests', note: REQUEST_TABLE_NOTE, headerRows: 3, columnWidths: [2, 2.5, 5, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4], rows };
}

const REVIEW_COLS = [
  ['upheld', '结果维持'],
  ['corrected', '结果纠正'],
  ['other', '其他结果'],
  ['pending', '尚未审结'],
  ['total', '总计'],
] as const;

export function reviewTable(t: DisclosureCounts): DocTable {
  const rows = ['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const;
  return {
    id: 'review',
    headerRows: 3,
    columnWidths: Array.from({ length: 15 }, () => 1),
    rows: [
      [h('行政复议', { colSpan: 5 }), h('行政诉讼', { colSpan: 10 })],
      [...REVIEW_COLS.map(([, l]) => h(l, { rowSpan: 2 })), h('未经复议直接起诉', { colSpan: 5 }), h('复议后起诉', { colSpan: 5 })],
      [...REVIEW_COLS.map(([, l]) => h(l)), ...REVIEW_COLS.map(([, l]) => h(l))],
      rows.flatMap((row) => REVIEW_COLS.map(([c]) => n(`review.${row}.${c}`, t.review[row][c]))),
    ],
  };
}

export interface DisclosureFigures {
  values: Record<string, MetricValue>;
  records: Record<string, number[]>;
}

/**
 * Every counted cell and the sums the template's words use, as figures (`disclosure.<path>`), and,
 * when the tables were counted with their records (`DisclosureTables`), the records behind each
 * (cells without records count zero and trace to none); counted as groups, `records` is empty.
 */
export function disclosureFigures(t: DisclosureCounts | DisclosureTables, feesYuan: { value: number; ids: number[] }): DisclosureFigures {
  const traced = 'records' in t ? t.records : null;
  const values: Record<string, MetricValue> = {};
  const records: Record<string, number[]> = {};
  for (const table of [proactiveTable(t), requestTable(t), reviewTable(t)]) {
    for (const row of table.rows)
      for (const c of row) {
        if (c.figure === undefined || c.value === undefined) continue;
        values[c.figure] = c.value;
        if (traced) records[c.figure] = traced[c.figure.slice(FIGURE_PREFIX.length)] ?? [];
      }
  }
  values[`${FIGURE_PREFIX}review.litigationTotal`] = t.review.litigationDirect.total + t.review.litigationAfterReconsideration.total;
  values[`${FIGURE_PREFIX}feesYuan`] = feesYuan.value;
  if (traced) {
    const direct = records[`${FIGURE_PREFIX}review.litigationDirect.total`] ?? [];
    const after = records[`${FIGURE_PREFIX}review.litigationAfterReconsideration.total`] ?? [];
    records[`${FIGURE_PREFIX}review.litigationTotal`] = [...direct, ...after].sort((a, b) => a - b);
    records[`${FIGURE_PREFIX}feesYuan`] = feesYuan.ids;
  }
  return { values, records };
}

export function disclosureJson(org: string, year: number, t: DisclosureCounts): DisclosureReportJson {
  return {
    type: 'disclosure',
    org,
    year,
    proactive: t.proactive,
    requests: t.requests,
    review: t.review,
    checks: t.checks,
    warnings: t.warnings.map((w) => ({ recordId: w.recordId, kind: w.kind, title: w.title, message: w.message })),
  };
}

let figureKeys: ReadonlySet<string> | undefined;
/** Every figure key the disclosure report provides (for checking a template paragraph a town edits). */
export function disclosureFigureKeys(empty: () => DisclosureCounts): ReadonlySet<string> {
  figureKeys ??= new Set(Object.keys(disclosureFigures(empty(), { value: 0, ids: [] }).values));
  return figureKeys;
}

/** The counted shape the table layouts take, from a report's JSON (no record lists: a district sum traces to towns). */
export function tablesOfJson(j: DisclosureReportJson): DisclosureCounts {
  return { proactive: j.proactive, requests: j.requests, review: j.review, checks: j.checks, warnings: [] };
}
