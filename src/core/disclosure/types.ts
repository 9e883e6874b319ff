/** The report's tables as the spec's JSON shape (docs: /work/shared/domain/disclosure-report.md). */
import type { ColumnKey } from './outcomes';

/** One row of table 三: the six applicant columns and 总计. */
export type Cell = Record<ColumnKey, number>;

export interface ProactiveTable {
  regulations: { issued: number; repealed: number; inForce: number };
  normativeDocuments: { issued: number; repealed: number; inForce: number };
  licensing: number;
  penalties: number;
  coercion: number;
  /** The indicator admin_fees_wan summed as entered (up to 4 decimals). */
  feesWan: number;
}

export interface RequestTable {
  new: Cell;
  carriedIn: Cell;
  granted: Cell;
  partial: Cell;
  refused: Record<string, Cell>;
  unavailable: Record<string, Cell>;
  notProcessed: Record<string, Cell>;
  otherHandling: Record<string, Cell>;
  handledTotal: Cell;
  carriedOut: Cell;
}

export interface ReviewRow {
  upheld: number;
  corrected: number;
  other: number;
  pending: number;
  total: number;
}

export interface ReviewTable {
  reconsideration: ReviewRow;
  litigationDirect: ReviewRow;
  litigationAfterReconsideration: ReviewRow;
}

export interface CrossCheck {
  rule: '一+二=三(七)+四' | '(七)=(一)+…+(六)' | '总计=各列之和';
  column?: ColumnKey;
  row?: string;
  ok: boolean;
}

/** A record the tables cannot place (left out of every cell), or whose stored state contradicts its dates. */
export interface DisclosureWarning {
  recordId: number;
  kind: string;
  title: string;
  message: string;
}

/** The counted tables, their cross-checks and warnings: what the outputs print. */
export interface DisclosureCounts {
  proactive: ProactiveTable;
  requests: RequestTable;
  review: ReviewTable;
  checks: CrossCheck[];
  warnings: DisclosureWarning[];
}

/** The counts with the records behind every cell (the traced path: cell lists, JSON/HTML trace, 定稿 snapshot). */
export interface DisclosureTables extends DisclosureCounts {
  /** Cell path (`requests.refused.属于国家秘密.natural`, `review.reconsideration.upheld`) → record ids counted. */
  records: Record<string, number[]>;
}

/** The JSON output of the report (`--format json`), exactly the spec's shape. */
export interface DisclosureReportJson {
  type: 'disclosure';
  org: string;
  year: number;
  proactive: ProactiveTable;
  requests: RequestTable;
  review: ReviewTable;
  checks: CrossCheck[];
  warnings: { recordId: number; kind: string; title: string; message: string }[];
}
