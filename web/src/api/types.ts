/** Shapes of the HTTP API (see the contract in the server); the ledger definition format comes from core. */
import type { DeadlineState, FieldDef, LedgerDef, Role } from '@core/ledgers/types';

export type { DeadlineState, FieldDef, LedgerDef, Role };

export interface UserCan {
  write: boolean;
  review: boolean;
  admin: boolean;
  district: boolean;
  /** May list/manage users (admin, and office for its own org). */
  users?: boolean;
  /** May change roles and departments (安全管理员, and office for its own org). */
  grant?: boolean;
  /** 安全管理员: locks, second factors, security settings. */
  security?: boolean;
  /** 审计管理员: the audit log. */
  audit?: boolean;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  orgId: number;
  orgName: string;
  orgCode: string;
  deptId: number | null;
  deptName: string | null;
  can: UserCan;
  active?: boolean;
  mustChangePassword?: boolean;
  totpEnabled?: boolean;
}

/** What a signed-in session still needs: a second-factor code, or to bind one first. */
export type SessionPending = 'totp' | 'enrol' | null;

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface LockInfo {
  key: string;
  scope: 'account' | 'address' | 'totp';
  username: string | null;
  ip: string | null;
  attempts: number;
  lockedUntil: string;
}

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

export interface DeadlineInfo {
  label: string;
  dueOn: string;
  state: DeadlineState;
  explanation: string;
  /** The law or rule the period comes from, e.g. 《信访工作条例》第三十四条. */
  basis?: string;
  provisional?: boolean;
  stopped?: boolean;
  /** After a 补正 (政府信息公开条例 art. 30): the day the corrected request was received, null while awaited. */
  restartOn?: string | null;
  /** The 补正 notice limit (7 working days from receipt): when due, when given, whether late. */
  notice?: { label: string; basis: string; dueOn: string; on: string | null; late: boolean };
}

export interface Rec {
  id: number;
  kind: string;
  orgId: number;
  orgName?: string;
  deptId: number;
  deptName?: string;
  occurredOn: string | null;
  status: string | null;
  dueOn: string | null;
  closedOn: string | null;
  deadlineState: DeadlineState | null;
  deadline?: DeadlineInfo | null;
  version: number;
  deletedAt: string | null;
  createdAt: string;
  createdBy: number | null;
  createdByName?: string | null;
  updatedAt: string;
  updatedBy: number | null;
  updatedByName?: string | null;
  data: Record<string, unknown>;
  transitions?: { key: string; label: string }[];
}

export interface TodoItem extends Rec {
  kindLabel: string;
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

export interface Notification {
  id: number;
  at: string;
  title: string;
  body: string;
  kind: string;
  recordId: number | null;
  read: boolean;
}

export interface DashboardFigure {
  key: string;
  label: string;
  value: number | null;
  yoy: number | null;
  unit?: string;
  /** A rise is good news ('up') or bad ('down'), for the colour of 同比. */
  better?: 'up' | 'down';
}

export interface Dashboard {
  figures: DashboardFigure[];
  byMonth: Record<string, number[]>;
  byDept: { dept: string; count: number }[];
  onTime: { kind: string; label: string; rate: number | null }[];
  calendarWarning?: string;
  /** What 同比 compares, e.g. 截至12月1日，与去年同期相比. */
  yoyPeriod?: { label: string; from: string; to: string; previousFrom: string; previousTo: string };
}

export type ReportState = '草稿' | '审核' | '定稿';

export type ReportType = 'rule_of_law' | 'disclosure';
export const REPORT_TYPE_LABELS: Record<ReportType, string> = { rule_of_law: '法治政府建设情况报告', disclosure: '政府信息公开工作年度报告' };

export interface ReportSummary {
  id: number;
  type?: ReportType;
  orgId: number;
  year: number;
  version: number;
  state: ReportState;
  title: string;
  updatedAt: string;
}

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

export interface ReportWarning {
  paragraphId?: string;
  metricKey: string;
  message: string;
  kind?: 'noData' | 'omitted' | 'consistency' | 'missingMetric';
  /** The record a warning names (a request the disclosure tables cannot place). */
  record?: { kind: string; id: number };
}

/** A generated table (the disclosure report's tables 二, 三, 四); spans as in HTML. */
export interface DocTableCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  header?: boolean;
  /** A counted cell: the key of the records behind it. */
  figure?: string;
  value?: number;
}
export interface DocTable {
  id: string;
  note?: string;
  headerRows: number;
  rows: DocTableCell[][];
  columnWidths: number[];
}

export interface ReportDuty {
  type: ReportType;
  label: string;
  year: number;
  dueOn: string;
  state: '临期' | '逾期';
  orgId: number;
  orgName: string;
  reportId: number | null;
  reportState: string | null;
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

export interface CalendarDay {
  date: string;
  workday: boolean;
  name?: string;
  adjusted?: boolean;
  override?: boolean;
  /** official: State Council data shipped; imported: a year's schedule imported; override: a single-day edit. */
  source?: 'official' | 'imported' | 'override';
}

export interface CalendarYear {
  year: number;
  hasData: boolean;
  days: CalendarDay[];
  missingYears: number[];
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

/** A file attached to a record (the bytes are fetched from /api/attachments/:id). */
export interface Attachment {
  id: number;
  recordId: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** Filters of the audit log screen (GET /api/audit). */
export interface AuditQuery {
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

/** One audit entry (AuditRow in src/app/audit-query.ts); before/after are JSON text, personal data masked. */
export interface AuditEntry {
  id: number;
  seq: number | null;
  at: string;
  username: string | null;
  displayName: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  kind: string | null;
  orgId: number | null;
  orgName: string | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  hash: string | null;
}

/** The chain's state (VerifyResult in src/app/audit-verify.ts). */
export interface AuditVerify {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  checkpoint: { throughSeq: number; at: string } | null;
  problem?: { kind: string; seq: number | null; id: number | null; message: string };
}

/** One report's tables in the spec's JSON shape (each cell object: six applicant columns and total). */
export type DisclosureCell = Record<'natural' | 'business' | 'research' | 'charity' | 'legal' | 'other' | 'total', number>;
export interface DisclosureJson {
  type: 'disclosure';
  org: string;
  year: number;
  proactive: { normativeDocuments: { issued: number; repealed: number; inForce: number }; licensing: number; penalties: number; coercion: number; feesWan: number };
  requests: { new: DisclosureCell; carriedIn: DisclosureCell; granted: DisclosureCell; partial: DisclosureCell; handledTotal: DisclosureCell; carriedOut: DisclosureCell; refused: Record<string, DisclosureCell>; unavailable: Record<string, DisclosureCell>; notProcessed: Record<string, DisclosureCell>; otherHandling: Record<string, DisclosureCell> };
  review: Record<'reconsideration' | 'litigationDirect' | 'litigationAfterReconsideration', { upheld: number; corrected: number; other: number; pending: number; total: number }>;
  checks: { rule: string; column?: string; row?: string; ok: boolean }[];
  warnings: { recordId: number; kind: string; title: string; message: string }[];
}
export interface DistrictDisclosure {
  districtId: number;
  districtName: string;
  year: number;
  dueOn: string;
  towns: { orgId: number; code: string; name: string; report: { id: number; version: number; state: string; frozenAt: string | null } | null; source: 'frozen' | 'live'; final: string; tables: DisclosureJson }[];
  total: DisclosureJson;
  notFinal: { orgId: number; name: string; final: string }[];
}
