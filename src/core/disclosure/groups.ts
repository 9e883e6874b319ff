/**
 * Tables 三 and 二's decision counts described as groupings, so that the database can count them
 * with one GROUP BY each (db/disclosure-groups.ts) while every rule stays here: a group is the set
 * of records that agree on everything the table reads, and this file decides where a group goes.
 * The per-record count (count.ts) turns each record into a group of one through the same functions,
 * which is what lets a test compare the two paths cell by cell (src/app/disclosure-report.test.ts).
 */
import {
  APPLICANT_COLUMN,
  APPLICANT_TYPES,
  OLD_OTHER_REPLY_TYPE,
  OUTCOME_KEYS,
  REPLY_REASONS,
  REPLY_TYPES,
  type ApplicantType,
  type ColumnKey,
  type ReasonedType,
  type ReplyType,
} from './outcomes';
import type { Cell, RequestTable } from './types';

/** The first and last day of the report's year (the statistical period, 1 January to 31 December). */
export function yearBounds(year: number): { start: string; end: string } {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

/**
 * Everything table 三 reads of one request, once the year is known. The database groups the
 * requests of the year's window by exactly these values (see `requestWindow`).
 */
export interface RequestKey {
  /** Received in the year (一、本年新收); otherwise before it (二、上年结转). */
  receivedInYear: boolean;
  /** Replied on or before 31 December (三、本年度办理结果); otherwise 四、结转下年度继续办理. */
  handled: boolean;
  applicantType: unknown;
  /** Read only for a handled request (null otherwise, so unhandled requests form few groups). */
  replyType: unknown;
  replyReason: unknown;
}

export interface RequestGroup extends RequestKey {
  count: number;
  /** The records of the group, when known (the per-record path); the cells then list them. */
  ids?: readonly number[];
}

/**
 * The requests table 三 of `year` reads: received on or before 31 December and not replied before
 * 1 January. The database applies the same window (`occurred_on <= end and (closed_on is null or
 * closed_on >= start)`); `repliedOn` empty counts as not replied.
 */
export function requestKey(year: number, r: { receivedOn: string; repliedOn?: string | null | undefined; applicantType?: unknown; replyType?: unknown; replyReason?: unknown }): RequestKey | null {
  const { start, end } = yearBounds(year);
  const replied = typeof r.repliedOn === 'string' && r.repliedOn !== '' ? r.repliedOn : null;
  if (r.receivedOn > end || (replied !== null && replied < start)) return null;
  const handled = replied !== null && replied <= end;
  return {
    receivedInYear: r.receivedOn >= start,
    handled,
    applicantType: r.applicantType ?? null,
    replyType: handled ? (r.replyType ?? null) : null,
    replyReason: handled ? (r.replyReason ?? null) : null,
  };
}

/** The reply type as the report reads it: the first version's 其他 is 其他处理. */
export function readReplyType(v: unknown): ReplyType | null {
  if (v === OLD_OTHER_REPLY_TYPE) return '其他处理';
  return typeof v === 'string' && (REPLY_TYPES as readonly string[]).includes(v) ? (v as ReplyType) : null;
}

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** Where a replied request goes in part (三) of table 三: its row path, or why it cannot be placed. */
export function outcomeRow(replyType: unknown, replyReason: unknown): { row: string } | { error: string } {
  const t = readReplyType(replyType);
  if (t === null) return { error: blank(replyType) ? '已答复但未填写答复类型' : `答复类型“${String(replyType)}”不是年度报告格式中的类型` };
  const key = OUTCOME_KEYS[t];
  if (!(t in REPLY_REASONS)) return { row: key };
  const items = REPLY_REASONS[t as ReasonedType] as readonly string[];
  const old = replyType === OLD_OTHER_REPLY_TYPE ? '（旧值“其他”按“其他处理”计）' : '';
  if (blank(replyReason)) return { error: `答复类型为“${t}”${old}但未填写具体情形` };
  if (typeof replyReason !== 'string' || !items.includes(replyReason)) return { error: `具体情形“${String(replyReason)}”不属于“${t}”${old}` };
  return { row: `${key}.${replyReason}` };
}

function applicantColumn(v: unknown): Exclude<ColumnKey, 'total'> | null {
  return typeof v === 'string' && (APPLICANT_TYPES as readonly string[]).includes(v) ? APPLICANT_COLUMN[v as ApplicantType] : null;
}

export interface Placement {
  col: Exclude<ColumnKey, 'total'>;
  /** The rows the request adds one to: 一 or 二, then its outcome and (七), or 四. */
  rows: string[];
}

/**
 * Where a request goes: its column and rows, or, when the table cannot place it (no valid applicant
 * type; replied without a placeable outcome), the warning's words — it is then left out of every
 * cell so that the cross-checks still hold and nothing is counted by guess.
 */
export function placeRequest(k: RequestKey): Placement | { warning: string } {
  const col = applicantColumn(k.applicantType);
  if (col === null) return { warning: blank(k.applicantType) ? '未填写申请人类型，未计入表三' : `申请人类型“${String(k.applicantType)}”无效，未计入表三` };
  const rows = [k.receivedInYear ? 'new' : 'carriedIn'];
  if (!k.handled) return { col, rows: [...rows, 'carriedOut'] };
  const o = outcomeRow(k.replyType, k.replyReason);
  if ('error' in o) return { warning: `${o.error}，未计入表三` };
  return { col, rows: [...rows, o.row, 'handledTotal'] };
}

export const emptyCell = (): Cell => ({ natural: 0, business: 0, research: 0, charity: 0, legal: 0, other: 0, total: 0 });

export function emptyRequestTable(): RequestTable {
  const sub = (t: ReasonedType) => Object.fromEntries(REPLY_REASONS[t].map((r) => [r, emptyCell()]));
  return {
    new: emptyCell(),
    carriedIn: emptyCell(),
    granted: emptyCell(),
    partial: emptyCell(),
    refused: sub('不予公开'),
    unavailable: sub('无法提供'),
    notProcessed: sub('不予处理'),
    otherHandling: sub('其他处理'),
    handledTotal: emptyCell(),
    carriedOut: emptyCell(),
  };
}

/** Cell path → record ids, for the cells that list their records. */
export class Tally {
  readonly records: Record<string, number[]> = {};
  add(path: string, ids: readonly number[]): void {
    const list = (this.records[path] ??= []);
    for (const id of ids) list.push(id);
  }
}

function cellAt(table: RequestTable, row: string): Cell {
  const [a, b] = row.split('.') as [keyof RequestTable, string | undefined];
  return b === undefined ? (table[a] as Cell) : (table[a] as Record<string, Cell>)[b]!;
}

/**
 * Table 三 from groups of requests (one per record, or one per GROUP BY row). Groups the table
 * cannot place are returned with their warning for the caller to name their records.
 */
export function countRequestGroups(groups: readonly RequestGroup[], tally?: Tally): { table: RequestTable; unplaced: { group: RequestGroup; warning: string }[] } {
  const table = emptyRequestTable();
  const unplaced: { group: RequestGroup; warning: string }[] = [];
  for (const g of groups) {
    const p = placeRequest(g);
    if ('warning' in p) {
      unplaced.push({ group: g, warning: p.warning });
      continue;
    }
    for (const row of p.rows) {
      const cell = cellAt(table, row);
      cell[p.col] += g.count;
      cell.total += g.count;
      if (tally && g.ids) {
        tally.add(`requests.${row}.${p.col}`, g.ids);
        tally.add(`requests.${row}.total`, g.ids);
      }
    }
  }
  return { table, unplaced };
}

/** The decisions of table 二 counted from `enforcement_case` (第二十条第（五）（六）项), by action type. */
export const ENFORCEMENT_ROWS = { 行政许可: 'licensing', 行政处罚: 'penalties', 行政强制: 'coercion' } as const;
export type EnforcementAction = keyof typeof ENFORCEMENT_ROWS;

/** Enforcement decisions of the year (decidedOn in it) with the same action type. */
export interface EnforcementGroup {
  actionType: unknown;
  count: number;
  ids?: readonly number[];
}

export function countEnforcementGroups(groups: readonly EnforcementGroup[], tally?: Tally): Record<(typeof ENFORCEMENT_ROWS)[EnforcementAction], number> {
  const out = { licensing: 0, penalties: 0, coercion: 0 };
  for (const g of groups) {
    if (typeof g.actionType !== 'string' || !Object.hasOwn(ENFORCEMENT_ROWS, g.actionType)) continue;
    const row = ENFORCEMENT_ROWS[g.actionType as EnforcementAction];
    out[row] += g.count;
    if (tally && g.ids) tally.add(`proactive.${row}`, g.ids);
  }
  return out;
}
