import type { FieldDef, LedgerDef } from './types';

/**
 * Column headings as clerks write them, matched to a kind's columns: the record's department and
 * state, a field (by label, key or a synonym declared on the field), or a column to skip (序号).
 * Pure: used by the spreadsheet readers (documents/), by template writing and by the custom-kind
 * check (a synonym may not be ambiguous).
 */

export type ColumnTarget = { kind: 'dept' } | { kind: 'status' } | { kind: 'ignore' } | { kind: 'field'; field: FieldDef };

/** Headings of the record's department (部门 is the template's; the others are what 台账 use). */
export const DEPT_HEADERS = ['部门', '责任部门', '填报部门', '科室', '责任科室', '责任单位', 'dept'];
export const STATUS_HEADERS = ['状态', '办理状态', '流程状态', 'status'];
/** Columns that carry no record data: a running number, the kind of an exchange line. */
export const IGNORED_HEADERS = ['序号', '台账', 'kind'];

/**
 * A heading reduced to what identifies it: full-width characters folded (NFKC: `（` → `(`, `Ａ` → `A`),
 * spaces and line breaks removed, a `*` or `(必填)` marking a required column dropped, Latin letters
 * lower-cased, a trailing colon dropped.
 */
export function normalizeHeader(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\*/g, '')
    .replace(/\(必填\)|\(选填\)/g, '')
    .replace(/[:：]$/, '')
    .toLowerCase();
}

/** A value of an enum cell reduced the same way (spaces inside a value are kept, but collapsed). */
export function normalizeValue(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

export interface HeaderMatch {
  target?: ColumnTarget;
  /** Set when the heading fits several fields equally (the message names them). */
  ambiguous?: string[];
}

export type HeaderMatcher = (raw: string) => HeaderMatch;

interface Entry {
  target: ColumnTarget;
  name: string;
}

/** Every heading a kind accepts, strongest first: reserved, label and key, synonyms, date variants. */
function headingTiers(def: LedgerDef): Map<string, Entry[]>[] {
  const reserved = new Map<string, Entry[]>();
  const exact = new Map<string, Entry[]>();
  const synonyms = new Map<string, Entry[]>();
  const variants = new Map<string, Entry[]>();
  const add = (m: Map<string, Entry[]>, heading: string, e: Entry) => {
    const k = normalizeHeader(heading);
    if (!k) return;
    const list = m.get(k) ?? [];
    if (!list.some((x) => sameTarget(x.target, e.target))) list.push(e);
    m.set(k, list);
  };
  for (const h of DEPT_HEADERS) add(reserved, h, { target: { kind: 'dept' }, name: '部门' });
  // The state column exists only for kinds with a flow (elsewhere 状态 may be a field, as in 行政规范性文件).
  if (def.flow) for (const h of STATUS_HEADERS) add(reserved, h, { target: { kind: 'status' }, name: '状态' });
  for (const h of IGNORED_HEADERS) add(reserved, h, { target: { kind: 'ignore' }, name: h });
  for (const f of def.fields) {
    const e = { target: { kind: 'field', field: f } as ColumnTarget, name: f.label };
    add(exact, f.label, e);
    add(exact, f.key, e);
    for (const s of f.synonyms ?? []) add(synonyms, s, e);
  }
  // 日期 and 时间 are used interchangeably in headings: 发布日期 may come as 发布时间. A bare 日期/时间,
  // or any heading ending in one of them, names the kind's date field when it has only one.
  const dates = def.fields.filter((f) => f.type === 'date');
  for (const f of dates) {
    const e = { target: { kind: 'field', field: f } as ColumnTarget, name: f.label };
    if (f.label.endsWith('日期')) add(variants, `${f.label.slice(0, -2)}时间`, e);
    if (f.label.endsWith('时间')) add(variants, `${f.label.slice(0, -2)}日期`, e);
    if (dates.length === 1) {
      add(variants, '日期', e);
      add(variants, '时间', e);
    }
  }
  return [reserved, exact, synonyms, variants];
}

function sameTarget(a: ColumnTarget, b: ColumnTarget): boolean {
  return a.kind === b.kind && (a.kind !== 'field' || (b.kind === 'field' && a.field.key === b.field.key));
}

const matchers = new WeakMap<LedgerDef, HeaderMatcher>();

/** The matcher of a kind's headings (cached per definition value). */
export function headerMatcher(def: LedgerDef): HeaderMatcher {
  let m = matchers.get(def);
  if (m) return m;
  const tiers = headingTiers(def);
  const onlyDate = def.fields.filter((f) => f.type === 'date');
  m = (raw: string): HeaderMatch => {
    const k = normalizeHeader(raw);
    if (!k) return {};
    for (const tier of tiers) {
      const hits = tier.get(k);
      if (hits?.length === 1) return { target: hits[0]!.target };
      if (hits && hits.length > 1) return { ambiguous: hits.map((h) => h.name) };
    }
    // 培训日期, 办理时间 …: a heading ending in 日期/时间 when the kind has a single date field.
    if (onlyDate.length === 1 && /(日期|时间)$/.test(k)) return { target: { kind: 'field', field: onlyDate[0]! } };
    return {};
  };
  matchers.set(def, m);
  return m;
}

/**
 * Headings of a definition that would be read as two different columns (a synonym equal to another
 * field's label, key or synonym, or to 部门/状态/序号). Empty when the definition is unambiguous.
 */
export function headerConflicts(def: LedgerDef): string[] {
  const problems: string[] = [];
  const owner = new Map<string, { target: ColumnTarget; name: string }>();
  const [reserved, exact] = headingTiers({ ...def, fields: [] });
  for (const tier of [reserved!, exact!]) for (const [k, es] of tier) owner.set(k, es[0]!);
  for (const f of def.fields) {
    for (const h of [f.label, f.key, ...(f.synonyms ?? [])]) {
      const k = normalizeHeader(h);
      const o = owner.get(k);
      if (o && !(o.target.kind === 'field' && o.target.field.key === f.key)) {
        problems.push(`字段“${f.label}”的列名“${h}”与${o.target.kind === 'field' ? `字段“${o.name}”` : `“${o.name}”列`}相同，导入时无法区分`);
      } else owner.set(k, { target: { kind: 'field', field: f }, name: f.label });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The header row of a sheet

export interface HeaderCellText {
  col: number;
  text: string;
}

export interface MatchedColumn {
  col: number;
  /** The heading as written (cleaned of line breaks), for messages. */
  heading: string;
  /** The column's Chinese label: the field's label, 部门 or 状态 (the heading itself when unknown). */
  label: string;
  target: ColumnTarget | null;
  /** Why the column could not be used (unknown heading, ambiguous, duplicate). */
  problem?: string;
}

export interface HeaderFound {
  /** Index (in the rows given) of the last header row: data starts after it. */
  lastIndex: number;
  /** Index of the first header row (rows above it are titles). */
  firstIndex: number;
  columns: MatchedColumn[];
}

const targetId = (t: ColumnTarget) => (t.kind === 'field' ? `f:${t.field.key}` : t.kind);
const labelOf = (t: ColumnTarget, heading: string) => (t.kind === 'field' ? t.field.label : t.kind === 'dept' ? '部门' : t.kind === 'status' ? '状态' : heading);
const isData = (t: ColumnTarget | undefined) => t !== undefined && t.kind !== 'ignore';

/**
 * Finds the header among the first rows of a sheet: the row where most cells are headings of the
 * kind (title rows above it are skipped), together with a row directly above or below it that names
 * columns it leaves open (a two-row header whose upper cells are merged group titles, e.g.
 * `培训情况` over `日期 | 类型 | 人次`). Returns null when no row has a heading of the kind.
 */
export function findHeader(def: LedgerDef, rows: readonly (readonly HeaderCellText[])[]): HeaderFound | null {
  const match = headerMatcher(def);
  const scored = rows.map((cells) => {
    const hits = new Map<number, ColumnTarget>();
    for (const c of cells) {
      const t = match(c.text).target;
      if (isData(t)) hits.set(c.col, t!);
    }
    return hits;
  });
  let best = -1;
  scored.forEach((h, i) => {
    if (h.size > 0 && (best < 0 || h.size > scored[best]!.size)) best = i;
  });
  if (best < 0) return null;
  let first = best;
  let last = best;
  const opensColumns = (i: number) => {
    const h = scored[i];
    if (!h || h.size === 0) return false;
    const cells = rows[i]!;
    // The neighbour names columns the best row leaves open (cells merged down from the best row may
    // repeat its headings), and headings are at least half of its cells (so a data row that happens
    // to hold a heading word is not taken).
    const top = scored[best]!;
    const same = [...h].every(([col, t]) => !top.has(col) || sameTarget(top.get(col)!, t));
    const opens = [...h.keys()].some((col) => !top.has(col));
    return same && opens && h.size * 2 >= cells.length;
  };
  if (opensColumns(best + 1)) last = best + 1;
  else if (opensColumns(best - 1)) first = best - 1;

  const byCol = new Map<number, { heading: string; target?: ColumnTarget; ambiguous?: string[] }>();
  for (let i = first; i <= last; i++) {
    for (const c of rows[i]!) {
      const m = match(c.text);
      const prev = byCol.get(c.col);
      const heading = c.text.replace(/\s+/g, '');
      // A matched heading beats a group title in the other header row.
      if (!prev || (!prev.target && m.target) || (i === best && m.target)) byCol.set(c.col, { heading, ...m });
    }
  }
  const columns: MatchedColumn[] = [];
  const seen = new Map<string, MatchedColumn>();
  for (const col of [...byCol.keys()].sort((a, b) => a - b)) {
    const { heading, target, ambiguous } = byCol.get(col)!;
    // (In a two-row header a group title sits above matched headings, which byCol prefers.)
    if (!target) {
      const problem = ambiguous
        ? `表头“${heading}”无法确定是哪个字段（${ambiguous.join('、')}），请改用字段名称`
        : `表头“${heading}”不是${def.label}的字段`;
      columns.push({ col, heading, label: heading, target: null, problem });
      continue;
    }
    const id = targetId(target);
    const dup = target.kind === 'ignore' ? undefined : seen.get(id);
    if (dup) {
      columns.push({ col, heading, label: labelOf(target, heading), target: null, problem: `表头“${heading}”与“${dup.heading}”是同一列（${labelOf(target, heading)}）` });
      continue;
    }
    const c: MatchedColumn = { col, heading, label: labelOf(target, heading), target };
    seen.set(id, c);
    columns.push(c);
  }
  return { firstIndex: first, lastIndex: last, columns };
}
