/**
 * The counting rules of the annual report on government information disclosure
 * (《中华人民共和国政府信息公开条例》arts. 49-50; format: 国办公开办函〔2021〕30号). Pure: the caller
 * loads the records of the org unit, this decides every cell and lists the records behind it.
 */
import type { DisclosureCounts, DisclosureTables, DisclosureWarning, ProactiveTable, ReviewRow, ReviewTable } from './types';
import { checkRequestTable } from './checks';
import {
  countEnforcementGroups,
  countRequestGroups,
  requestKey,
  Tally,
  yearBounds,
  type EnforcementGroup,
  type RequestGroup,
} from './groups';

export interface RequestInput {
  id: number;
  title: string;
  receivedOn: string;
  repliedOn?: string | null | undefined;
  applicantType?: unknown;
  replyType?: unknown;
  replyReason?: unknown;
}

export interface NormativeDocInput {
  id: number;
  title: string;
  issuedOn: string;
  repealedOn?: string | null | undefined;
  expiresOn?: string | null | undefined;
  state?: unknown;
}

export interface EnforcementInput {
  id: number;
  actionType: unknown;
  decidedOn: string;
}

export interface IndicatorInput {
  id: number;
  code: unknown;
  period: string;
  value: unknown;
}

export interface LitigationInput {
  id: number;
  title: string;
  caseType: unknown;
  receivedOn: string;
  closedOn?: string | null | undefined;
  outcome?: unknown;
  disclosureRelated?: unknown;
  afterReconsideration?: unknown;
}

/** What both paths read record by record: ledgers with few records a year. */
export interface DisclosureCommonInput {
  year: number;
  normativeDocuments: readonly NormativeDocInput[];
  indicators: readonly IndicatorInput[];
  litigation: readonly LitigationInput[];
}

export interface DisclosureInput extends DisclosureCommonInput {
  /** Requests received on or before 31 December of the year and not replied before 1 January of it (any order). */
  requests: readonly RequestInput[];
  enforcement: readonly EnforcementInput[];
}

/** The same with the requests and enforcement decisions counted by the database as groups (db/disclosure-groups.ts). */
export interface GroupedDisclosureInput extends DisclosureCommonInput {
  requestGroups: readonly RequestGroup[];
  /** Enforcement decisions of the year (decidedOn in it), grouped by action type. */
  enforcementGroups: readonly EnforcementGroup[];
}

const emptyReviewRow = (): ReviewRow => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });

/** Each request of the year's window as a group of one (groups.ts holds the rules of table 三). */
export function requestGroupsOf(year: number, requests: readonly RequestInput[]): RequestGroup[] {
  const groups: RequestGroup[] = [];
  for (const r of requests) {
    const key = requestKey(year, r);
    if (key !== null) groups.push({ ...key, count: 1, ids: [r.id] });
  }
  return groups;
}

/** Each enforcement decision of the year as a group of one. */
export function enforcementGroupsOf(year: number, enforcement: readonly EnforcementInput[]): EnforcementGroup[] {
  const { start, end } = yearBounds(year);
  return enforcement.filter((e) => e.decidedOn >= start && e.decidedOn <= end).map((e) => ({ actionType: e.actionType, count: 1, ids: [e.id] }));
}

/** In force on `d`: issued by then, not repealed on or before it, and not expired (有效期至 includes its last day). */
export function inForceOn(doc: NormativeDocInput, d: string): boolean {
  if (doc.issuedOn > d) return false;
  if (doc.repealedOn && doc.repealedOn <= d) return false;
  return !doc.expiresOn || doc.expiresOn >= d;
}

function countProactive(input: DisclosureCommonInput, enforcement: readonly EnforcementGroup[], tally: Tally | undefined, warnings: DisclosureWarning[]): ProactiveTable {
  const { year } = input;
  const { start, end } = yearBounds(year);
  const inYear = (d: string | null | undefined) => typeof d === 'string' && d >= start && d <= end;
  const nd = { issued: 0, repealed: 0, inForce: 0 };
  for (const doc of input.normativeDocuments) {
    if (doc.issuedOn > end) continue;
    if (inYear(doc.issuedOn)) {
      nd.issued++;
      tally?.add('proactive.normativeDocuments.issued', [doc.id]);
    }
    if (inYear(doc.repealedOn)) {
      nd.repealed++;
      tally?.add('proactive.normativeDocuments.repealed', [doc.id]);
    }
    if (inForceOn(doc, end)) {
      nd.inForce++;
      tally?.add('proactive.normativeDocuments.inForce', [doc.id]);
    }
    // The dates decide; a state that the dates do not bear out is for the office to correct.
    const warn = (message: string) => warnings.push({ recordId: doc.id, kind: 'normative_document', title: doc.title, message });
    if (doc.state === '已废止' && !doc.repealedOn) warn('状态为“已废止”但未填写废止日期，按现行有效计入表二');
    if (doc.state === '已失效' && !doc.expiresOn) warn('状态为“已失效”但未填写有效期至，按现行有效计入表二');
  }
  const decisions = countEnforcementGroups(enforcement, tally);
  const fees = sumIndicator(input.indicators, 'admin_fees_wan', year);
  if (fees.ids.length) tally?.add('proactive.feesWan', fees.ids);
  return {
    regulations: { issued: 0, repealed: 0, inForce: 0 },
    normativeDocuments: nd,
    ...decisions,
    feesWan: fees.value,
  };
}

const UPHELD = ['维持', '驳回'];
const CORRECTED = ['撤销', '确认违法', '变更', '责令履行'];
const OTHER = ['调解撤诉'];

/** The result column of table 四 as of 31 December of the year. */
export function reviewOutcome(c: Pick<LitigationInput, 'closedOn' | 'outcome'>, year: number): keyof Omit<ReviewRow, 'total'> | null {
  if (!c.closedOn || c.closedOn > `${year}-12-31` || c.outcome === '审理中') return 'pending';
  if (typeof c.outcome !== 'string') return null;
  if (UPHELD.includes(c.outcome)) return 'upheld';
  if (CORRECTED.includes(c.outcome)) return 'corrected';
  if (OTHER.includes(c.outcome)) return 'other';
  return null;
}

/**
 * Table 四: disclosure-related cases received in the year. 行政诉讼二审 is not counted (the case was
 * counted at first instance); a first-instance case after reconsideration goes to 复议后起诉.
 */
function countReview(input: DisclosureCommonInput, tally: Tally | undefined, warnings: DisclosureWarning[]): ReviewTable {
  const t: ReviewTable = { reconsideration: emptyReviewRow(), litigationDirect: emptyReviewRow(), litigationAfterReconsideration: emptyReviewRow() };
  const { start, end } = yearBounds(input.year);
  for (const c of input.litigation) {
    if (c.disclosureRelated !== true || c.receivedOn < start || c.receivedOn > end) continue;
    let row: keyof ReviewTable;
    if (c.caseType === '行政复议') row = 'reconsideration';
    else if (c.caseType === '行政诉讼一审') row = c.afterReconsideration === true ? 'litigationAfterReconsideration' : 'litigationDirect';
    else continue;
    const col = reviewOutcome(c, input.year);
    if (col === null) {
      warnings.push({ recordId: c.id, kind: 'litigation', title: c.title, message: `已结案但结果“${String(c.outcome ?? '')}”无法归入表四，未计入` });
      continue;
    }
    t[row][col]++;
    t[row].total++;
    tally?.add(`review.${row}.${col}`, [c.id]);
    tally?.add(`review.${row}.total`, [c.id]);
  }
  return t;
}

/** Warnings in a stable order: by ledger kind, then record. */
export function sortWarnings(warnings: DisclosureWarning[]): DisclosureWarning[] {
  return warnings.sort((a, b) => a.kind.localeCompare(b.kind) || a.recordId - b.recordId);
}

function countFromGroups(input: DisclosureCommonInput, requests: readonly RequestGroup[], enforcement: readonly EnforcementGroup[], tally?: Tally) {
  const warnings: DisclosureWarning[] = [];
  const proactive = countProactive(input, enforcement, tally, warnings);
  const { table, unplaced } = countRequestGroups(requests, tally);
  const review = countReview(input, tally, warnings);
  const counts: DisclosureCounts = { proactive, requests: table, review, checks: checkRequestTable(table), warnings };
  return { counts, unplaced };
}

/**
 * The three tables of the report for one org unit and year, with their cross-checks, warnings and
 * the records behind every cell, counted record by record.
 */
export function countDisclosure(input: DisclosureInput): DisclosureTables {
  const tally = new Tally();
  const { counts, unplaced } = countFromGroups(input, requestGroupsOf(input.year, input.requests), enforcementGroupsOf(input.year, input.enforcement), tally);
  const titles = new Map(input.requests.map((r) => [r.id, r.title]));
  for (const u of unplaced) for (const id of u.group.ids ?? []) counts.warnings.push({ recordId: id, kind: 'disclosure_request', title: titles.get(id) ?? '', message: u.warning });
  for (const ids of Object.values(tally.records)) ids.sort((a, b) => a - b);
  sortWarnings(counts.warnings);
  return { ...counts, records: tally.records };
}

/**
 * The same tables from the database's groups (no record lists). The request groups the table cannot
 * place come back with their warning; the caller names their records (`requestWarnings`).
 */
export function countDisclosureGroups(input: GroupedDisclosureInput): { counts: DisclosureCounts; unplaced: { group: RequestGroup; warning: string }[] } {
  return countFromGroups(input, input.requestGroups, input.enforcementGroups);
}

/**
 * The year's sum of a monthly indicator as entered: summed in units of 0.0001 so that entered
 * decimals add up exactly (0.1 + 0.2 = 0.3, not 0.30000000000000004), with the records summed. */
export function sumIndicator(indicators: readonly IndicatorInput[], code: string, year: number): { value: number; ids: number[] } {
  let units = 0;
  const ids: number[] = [];
  for (const i of indicators) {
    if (i.code !== code || !i.period.startsWith(`${year}-`) || typeof i.value !== 'number') continue;
    units += Math.round(i.value * 10000);
    ids.push(i.id);
  }
  return { value: units / 10000, ids: ids.sort((a, b) => a - b) };
}

/** The tables of a year without any record (all zeros). */
export function emptyDisclosureTables(year = 2000): DisclosureTables {
  return countDisclosure({ year, requests: [], normativeDocuments: [], enforcement: [], indicators: [], litigation: [] });
}
