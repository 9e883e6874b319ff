/**
 * Shapes of the HTTP API. Most are generated from the server's schemas (generated/api.ts, `npm run
 * gen:api`) and re-exported here under the names the pages use; the ledger definition format comes
 * from core. Those still written here are the web's own (a page of any list, the editor's segments)
 * or derived from generated ones.
 */
import type { DeadlineState, FieldDef, LedgerDef, Role } from '@core/ledgers/types';
import type { CalendarYear, Dashboard, DocTable, LedgerRecord, Metrics, Operations, ReportParagraph, ReportSummary, SessionState, User } from './generated/api';

export type { DeadlineState, FieldDef, LedgerDef, Role };
export type {
  Attachment,
  AuditEntry,
  AuditVerify,
  CalendarYear,
  Dashboard,
  DisclosureCell,
  DisclosureJson,
  DistrictCompare,
  DistrictDisclosure,
  DocTable,
  Lock as LockInfo,
  Notification,
  ReportDuty,
  ReportSummary,
  ReportWarning,
  Session as SessionInfo,
  FieldError,
  HistoryEntry,
  Org,
  ReportDetail,
  ReportParagraph,
  Metrics as MetricsResponse,
  TodoItem,
  User,
} from './generated/api';

export type UserCan = User['can'];
/** One printed run of a paragraph: text, or a figure with its metric. */
export type ReportRun = ReportParagraph['runs'][number];
/** A metric's name, unit and type as /api/metrics lists it. */
export type MetricDefInfo = Metrics['defs'][string];
/** A record as the API returns it (app/record-view.ts ZRecView). */
export type Rec = LedgerRecord;
/** A record's running deadline, explained (on a single record). */
export type DeadlineInfo = NonNullable<LedgerRecord['deadline']>;
export type DashboardFigure = Dashboard['figures'][number];
export type CalendarDay = CalendarYear['days'][number];
/** A generated table's cell (the disclosure report's tables 二, 三, 四); spans as in HTML. */
export type DocTableCell = DocTable['rows'][number][number];

/** What a signed-in session still needs: a second-factor code, or to bind one first. */
export type SessionPending = SessionState['pending'];

/** The security settings as the server validates them (one schema, in core). */
export type { SecuritySettings } from '@core/identity/settings';

export interface Page<T> {
  items: T[];
  total: number;
  /** Record lists count exactly up to a cap; past it `total` is a lower bound. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

export type ReportState = ReportSummary['state'];

export type ReportType = ReportSummary['type'];
export const REPORT_TYPE_LABELS: Record<ReportType, string> = { rule_of_law: '法治政府建设情况报告', disclosure: '政府信息公开工作年度报告' };

/** A paragraph as text and figures for the editor (figures named in Chinese). */
export type ReportSegment =
  | { type: 'text'; text: string }
  | { type: 'var'; name: 'org' | 'year' | 'nextYear' | 'prevYear'; label?: string }
  | { type: 'metric'; key: string; entry?: string; format: string; label?: string; formatLabel?: string };

/** The part a paragraph is added to, as the server's paragraph route takes it. */
export type ReportPart = Operations['POST /api/reports/:id/paragraphs']['body']['part'];

/** Filters of the audit log screen (GET /api/audit): the server's own query type. */
export type AuditQuery = Omit<NonNullable<Operations['GET /api/audit']['query']>, 'page' | 'pageSize'>;

