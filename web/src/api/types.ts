/**
 * Shapes of the HTTP API. Most are generated from the server's schemas (generated/api.ts, `npm run
 * gen:api`) and re-exported here under the names the pages use; the ledger definition format comes
 * from core. Those still written here are narrower than the server declares them (a record's
 * deadline state, a report section's part) or are the web's own (filters, the editor's segments).
 */
import type { DeadlineState, FieldDef, LedgerDef, Role } from '@core/ledgers/types';
import type { CalendarYear, Dashboard, DocTable, LedgerRecord, Operations, ReportWarning, User } from './generated/api';

export type { DeadlineState, FieldDef, LedgerDef, Role };
export type {
  Attachment,
  AuditEntry,
  AuditVerify,
  CalendarYear,
  Dashboard,
  DisclosureCell,
  DisclosureJson,
  DistrictDisclosure,
  DocTable,
  Lock as LockInfo,
  Notification,
  ReportDuty,
  ReportSummary,
  ReportWarning,
  Session as SessionInfo,
  TodoItem,
  User,
} from './generated/api';

export type UserCan = User['can'];
/** A record as the API returns it (app/record-view.ts ZRecView). */
export type Rec = LedgerRecord;
/** A record's running deadline, explained (on a single record). */
export type DeadlineInfo = NonNullable<LedgerRecord['deadline']>;
export type DashboardFigure = Dashboard['figures'][number];
export type CalendarDay = CalendarYear['days'][number];
/** A generated table's cell (the disclosure report's tables 二, 三, 四); spans as in HTML. */
export type DocTableCell = DocTable['rows'][number][number];

/** What a signed-in session still needs: a second-factor code, or to bind one first. */
export type SessionPending = 'totp' | 'enrol' | null;

/** The security settings as the server validates them (one schema, in core). */
export type { SecuritySettings } from '@core/identity/settings';

export interface FieldError {
  field: string;
  label?: string;
  message: string;
}

export interface Org {
  id: number;
  code: string;
  name: string;
  level: '区' | '镇' | '街道';
  parentId: number | null;
  depts: { id: number; name: string }[];
}




export interface Page<T> {
  items: T[];
  total: number;
  /** Record lists count exactly up to a cap; past it `total` is a lower bound. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

export interface HistoryEntry {
  id: number;
  at: string;
  username: string | null;
  displayName?: string | null;
  action: string;
  ip?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail?: unknown;
}

export type ReportState = '草稿' | '审核' | '定稿';

export type ReportType = 'rule_of_law' | 'disclosure';
export const REPORT_TYPE_LABELS: Record<ReportType, string> = { rule_of_law: '法治政府建设情况报告', disclosure: '政府信息公开工作年度报告' };

export interface ReportRun {
  text: string;
  metricKey?: string;
  /** One value of a `by_` metric, e.g. 领导干部学法 of training.by_trainingType. */
  entry?: string;
  display?: string;
  /** The metric's Chinese name: the editor shows figures by it, never by key. */
  label?: string;
  noData?: boolean;
  /** Part of a sentence left out of every output (a figure in it has no data): editor only. */
  withheld?: boolean;
}

/** A paragraph as text and figures for the editor (figures named in Chinese). */
export type ReportSegment =
  | { type: 'text'; text: string }
  | { type: 'var'; name: 'org' | 'year' | 'nextYear' | 'prevYear'; label?: string }
  | { type: 'metric'; key: string; entry?: string; format: string; label?: string; formatLabel?: string };

export interface ReportParagraph {
  id: string;
  heading?: string;
  runs: ReportRun[];
  source: string;
  headingSource?: string;
  segments?: ReportSegment[];
  /** Template text not yet edited by the town: marked 【待完善】 here, never in the outputs. */
  unedited?: boolean;
  /** Words drawn from the records, listed in `sources`. */
  generated?: boolean;
  sources?: { metricKey: string; label: string; recordIds: number[] }[];
}

export type ReportPart = 'opening' | 'measures' | 'shortcomings' | 'responsibility' | 'plans' | 'other';

export interface ReportDetail {
  id: number;
  type?: ReportType;
  orgId?: number;
  year?: number;
  state: ReportState;
  title: string;
  document: { title: string; sections: { key?: ReportPart; heading: string; paragraphs: ReportParagraph[]; tables?: DocTable[] }[] };
  warnings: ReportWarning[];
  /** What this user may do with the report now, as the server decides it. */
  can?: { edit: boolean; moves: ReportState[]; newVersion: boolean };
  settings?: { addressee?: string; signedOn?: string; noData?: 'omit' | 'mark' };
  signature?: { issuer: string; date?: string; addressee?: string };
  otherPart?: boolean;
  unedited?: { id: string; part: string; excerpt: string }[];
  blockers?: { code: string; message: string; paragraphId?: string }[];
}

export interface MetricDefInfo {
  label: string;
  unit?: string;
  kind?: string;
  /** count, sum, rate, yoy, composite, list, by. */
  type?: string;
}

export interface MetricsResponse {
  values: Record<string, unknown>;
  defs: Record<string, MetricDefInfo>;
}

export interface DistrictCompare {
  towns: { orgId: number; name: string; values: Record<string, number | null> }[];
  totals: Record<string, number | null>;
  ranks: Record<string, Record<string, number>>;
  metrics: { key: string; label: string }[];
}

/** Filters of the audit log screen (GET /api/audit): the server's own query type. */
export type AuditQuery = Omit<NonNullable<Operations['GET /api/audit']['query']>, 'page' | 'pageSize'>;

