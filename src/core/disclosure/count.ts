/**
 * The counting rules of the annual report on government information disclosure
 * (《中华人民共和国政府信息公开条例》arts. 49-50; format: 国办公开办函〔2021〕30号). Pure: the caller
 * loads the records of the org unit, this decides every cell and lists the records behind it.
 */
import {
  APPLICANT_COLUMN,
  APPLICANT_TYPES,
  COLUMN_KEYS,
  OLD_OTHER_REPLY_TYPE,
  OUTCOME_KEYS,
  REPLY_REASONS,
  REPLY_TYPES,
  type ApplicantType,
  type ColumnKey,
  type ReasonedType,
  type ReplyType,
} from './outcomes';
import type { Cell, DisclosureTables, DisclosureWarning, ProactiveTable, RequestTable, ReviewRow, ReviewTable } from './types';
import { checkRequestTable } from './checks';

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

export interface DisclosureInput {
  year: number;
  /** Requests received on or before 31 December of the year and not replied before 1 January of it (any order). */
  requests: readonly RequestInput[];
  normativeDocuments: readonly NormativeDocInput[];
  enforcement: readonly EnforcementInput[];
  indicators: readonly IndicatorInput[];
  litigation: readonly LitigationInput[];
}

export const emptyCell = (): Cell => ({ natural: 0, business: 0, research: 0, charity: 0, legal: 0, other: 0, total: 0 });

function emptyRequestTable(): RequestTable {
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

const emptyReviewRow = (): ReviewRow => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });

/** The reply type as the report reads it: the first version's 其他 is 其他处理. */
export function readReplyType(v: unknown): ReplyType | null {
  if (v === OLD_OTHER_REPLY_TYPE) return '其他处理';
  return typeof v === 'string' && (REPLY_TYPES as readonly string[]).includes(v) ? (v as ReplyType) : null;
}

/** Where a replied request goes in part (三) of table 三: its row path, or why it cannot be placed. */
export function outcomeRow(replyType: unknown, replyReason: unknown): { row: string } | { error: string } {
  const t = readReplyType(replyType);
  if (t === null) {
    return { error: replyType === undefined || replyType === null || replyType === '' ? '已答复但未填写答复类型' : `答复类型“${String(replyType)}”不是年度报告格式中的类型` };
  }
  const key = OUTCOME_KEYS[t];
  if (!(t in REPLY_REASONS)) return { row: key };
  const items = REPLY_REASONS[t as ReasonedType] as readonly string[];
  const old = replyType === OLD_OTHER_REPLY_TYPE ? '（旧值“其他”按“其他处理”计）' : '';
  if (replyReason === undefined || replyReason === null || replyReason === '') return { error: `答复类型为“${t}”${old}但未填写具体情形` };
  if (typeof replyReason !== 'string' || !items.includes(replyReason)) return { error: `具体情形“${String(replyReason)}”不属于“${t}”${old}` };
  return { row: `${key}.${replyReason}` };
}

function applicantColumn(v: unknown): Exclude<ColumnKey, 'total'> | null {
  return typeof v === 'string' && (APPLICANT_TYPES as readonly string[]).includes(v) ? APPLICANT_COLUMN[v as ApplicantType] : null;
}

export class Tally {
  readonly records: Record<string, number[]> = {};
  add(path: string, id: number): void {
    (this.records[path] ??= []).push(id);
  }
}

function bump(table: RequestTable, row: string, col: Exclude<ColumnKey, 'total'>): void {
  const [a, b] = row.split('.') as [keyof RequestTable, string | undefined];
  const cell = b === undefined ? (table[a] as Cell) : (table[a] as Record<string, Cell>)[b]!;
  cell[col] += 1;
  cell.total += 1;
}

/**
 * Table 三. 一 received in the year; 二 received before it and not replied by 31 December of the year
 * before; 三 replied in the year (repliedOn decides, not the flow state), by outcome; 四 received by
 * 31 December and not replied by then. A request without an applicant type, or replied in the year
 * without a placeable outcome, is left out of every cell and listed in the warnings.
 */
export function countRequests(year: number, requests: readonly RequestInput[], tally: Tally, warnings: DisclosureWarning[]): RequestTable {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const table = emptyRequestTable();
  for (const r of requests) {
    const replied = typeof r.repliedOn === 'string' && r.repliedOn !== '' ? r.repliedOn : null;
    if (r.receivedOn > end || (replied !== null && replied < start)) continue;
    const col = applicantColumn(r.applicantType);
    const warn = (message: string) => warnings.push({ recordId: r.id, kind: 'disclosure_request', title: r.title, message });
    if (col === null) {
      warn(r.applicantType === undefined || r.applicantType === null ? '未填写申请人类型，未计入表三' : `申请人类型“${String(r.applicantType)}”无效，未计入表三`);
      continue;
    }
    const handledNow = replied !== null && replied <= end;
    let outcome: string | null = null;
    if (handledNow) {
      const o = outcomeRow(r.replyType, r.replyReason);
      if ('error' in o) {
        warn(`${o.error}，未计入表三`);
        continue;
      }
      outcome = o.row;
    }
    const put = (row: string) => {
      bump(table, row, col);
      tally.add(`requests.${row}.${col}`, r.id);
      tally.add(`requests.${row}.total`, r.id);
    };
    put(r.receivedOn >= start ? 'new' : 'carriedIn');
    if (outcome !== null) {
      put(outcome);
      put('handledTotal');
    } else put('carriedOut');
  }
  return table;
}

/** In force on `d`: issued by then, not repealed on or before it, and not expired (有效期至 includes its last day). */
export function inForceOn(doc: NormativeDocInput, d: string): boolean {
  if (doc.issuedOn > d) return false;
  if (doc.repealedOn && doc.repealedOn <= d) return false;
  return !doc.expiresOn || doc.expiresOn >= d;
}

function countProactive(input: DisclosureInput, tally: Tally, warnings: DisclosureWarning[]): ProactiveTable {
  const { year } = input;
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const inYear = (d: string | null | undefined) => typeof d === 'string' && d >= start && d <= end;
  const nd = { issued: 0, repealed: 0, inForce: 0 };
  for (const doc of input.normativeDocuments) {
    if (doc.issuedOn > end) continue;
    if (inYear(doc.issuedOn)) {
      nd.issued++;
      tally.add('proactive.normativeDocuments.issued', doc.id);
    }
    if (inYear(doc.repealedOn)) {
      nd.repealed++;
      tally.add('proactive.normativeDocuments.repealed', doc.id);
    }
    if (inForceOn(doc, end)) {
      nd.inForce++;
      tally.add('proactive.normativeDocuments.inForce', doc.id);
    }
    // The dates decide; a state that the dates do not bear out is for the office to correct.
    const warn = (message: string) => warnings.push({ recordId: doc.id, kind: 'normative_document', title: doc.title, message });
    if (doc.state === '已废止' && !doc.repealedOn) warn('状态为“已废止”但未填写废止日期，按现行有效计入表二');
    if (doc.state === '已失效' && !doc.expiresOn) warn('状态为“已失效”但未填写有效期至，按现行有效计入表二');
  }
  const counts = { 行政许可: 0, 行政处罚: 0, 行政强制: 0 };
  const paths = { 行政许可: 'licensing', 行政处罚: 'penalties', 行政强制: 'coercion' } as const;
  for (const e of input.enforcement) {
    if (!inYear(e.decidedOn) || typeof e.actionType !== 'string' || !(e.actionType in counts)) continue;
    const t = e.actionType as keyof typeof counts;
    counts[t]++;
    tally.add(`proactive.${paths[t]}`, e.id);
  }
  const fees = sumIndicator(input.indicators, 'admin_fees_wan', year);
  if (fees.ids.length) tally.records['proactive.feesWan'] = fees.ids;
  return {
    regulations: { issued: 0, repealed: 0, inForce: 0 },
    normativeDocuments: nd,
    licensing: counts.行政许可,
    penalties: counts.行政处罚,
    coercion: counts.行政强制,
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
function countReview(input: DisclosureInput, tally: Tally, warnings: DisclosureWarning[]): ReviewTable {
  const t: ReviewTable = { reconsideration: emptyReviewRow(), litigationDirect: emptyReviewRow(), litigationAfterReconsideration: emptyReviewRow() };
  const start = `${input.year}-01-01`;
  const end = `${input.year}-12-31`;
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
    tally.add(`review.${row}.${col}`, c.id);
    tally.add(`review.${row}.total`, c.id);
  }
  return t;
}

/** The three tables of the report for one org unit and year, with their cross-checks and warnings. */
export function countDisclosure(input: DisclosureInput): DisclosureTables {
  const tally = new Tally();
  const warnings: DisclosureWarning[] = [];
  const proactive = countProactive(input, tally, warnings);
  const requests = countRequests(input.year, input.requests, tally, warnings);
  const review = countReview(input, tally, warnings);
  for (const ids of Object.values(tally.records)) ids.sort((a, b) => a - b);
  warnings.sort((a, b) => a.kind.localeCompare(b.kind) || a.recordId - b.recordId);
  return { proactive, requests, review, checks: checkRequestTable(requests), warnings, records: tally.records };
}

export { COLUMN_KEYS };

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
