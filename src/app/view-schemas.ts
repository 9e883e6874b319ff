import { z } from 'zod';
import { ZVerifyResult } from './audit-verify';
import { ZRecView } from './record-view';
import { ZUserView } from './users';
import { ZLineError } from '../core/errors';
import { DISCLOSURE_PART_KEYS, PART_KEYS, REPORT_STATES, REPORT_TYPES } from '../core/report';
import { COLUMN_KEYS } from '../core/disclosure/outcomes';
import type { MetricValue } from '../core/metrics/types';
import type { LedgerDef } from '../core/ledgers/types';
import type { DocTable, ReportWarning } from '../core/report/types';
import type { ReportBlocker, UneditedParagraph } from '../core/report/workflow';
import type { DisclosureReportJson } from '../core/disclosure';
import type { AttachmentView } from './attachments';
import type { ImportResult } from './exchange';
import type { CalendarYearView, DeadlineSettingsView } from './calendar-admin';
import type { ReportView } from './reports';
import type { ImportJobView } from './import-jobs';
import type { DistrictCompareView } from './district';
import type { DistrictDisclosureView } from './district-disclosure';
import type { Dashboard } from './dashboard';
import type { ReportDutyItem } from './report-duties';
import type { HistoryEntry } from './records';
import type { EditorSegment } from './report-editor';

/**
 * Schemas of the views whose TypeScript type lives in core or in a larger module: each is declared
 * `z.ZodType<TheView>`, so the compiler refuses a schema that drifts from the type it describes. The
 * server validates and serializes its answers with them (fastify-type-provider-zod), and the web
 * client's types are generated from the OpenAPI document they make (npm run gen:api).
 */

/** A figure: a number, no data (null), counts by value (by_ metrics) or names (list metrics). */
export const ZMetricValue = z.union([z.number(), z.null(), z.record(z.string(), z.number()), z.array(z.string())]).meta({ id: 'MetricValue' }) satisfies z.ZodType<MetricValue>;

const ZReportType = z.enum(REPORT_TYPES);
const ZReportState = z.enum(REPORT_STATES);

export const ZReportSummary = z
  .object({
    id: z.number(),
    /** Which statutory report (rule_of_law 法治政府建设情况报告, disclosure 政府信息公开工作年度报告). */
    type: ZReportType,
    orgId: z.number(),
    orgName: z.string(),
    year: z.number(),
    version: z.number(),
    state: ZReportState,
    title: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ReportSummary' });
export type ReportSummary = z.infer<typeof ZReportSummary>;

const ZReportWarning = z
  .object({
    paragraphId: z.string().optional(),
    metricKey: z.string(),
    message: z.string(),
    kind: z.enum(['noData', 'omitted', 'consistency', 'missingMetric']).optional(),
    record: z.object({ kind: z.string(), id: z.number() }).optional(),
  })
  .meta({ id: 'ReportWarning' }) satisfies z.ZodType<ReportWarning>;

const ZDocTableCell = z.object({
  text: z.string(),
  colSpan: z.number().optional(),
  rowSpan: z.number().optional(),
  header: z.boolean().optional(),
  figure: z.string().optional(),
  value: z.number().optional(),
});
const ZDocTable = z
  .object({ id: z.string(), note: z.string().optional(), headerRows: z.number(), rows: z.array(z.array(ZDocTableCell)), columnWidths: z.array(z.number()) })
  .meta({ id: 'DocTable' }) satisfies z.ZodType<DocTable>;

const ZEditorSegment = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('var'), name: z.enum(['org', 'year', 'nextYear', 'prevYear']), label: z.string() }),
    z.object({ type: z.literal('metric'), key: z.string(), entry: z.string().optional(), format: z.string(), label: z.string(), formatLabel: z.string() }),
  ])
  .meta({ id: 'ReportSegment' }) satisfies z.ZodType<EditorSegment>;

const ZReportRun = z.object({
  text: z.string(),
  metricKey: z.string().optional(),
  entry: z.string().optional(),
  display: z.string().optional(),
  noData: z.boolean().optional(),
  label: z.string().optional(),
  withheld: z.boolean().optional(),
});

const ZReportParagraph = z
  .object({
    id: z.string(),
    heading: z.string().optional(),
    runs: z.array(ZReportRun),
    source: z.string(),
    headingSource: z.string().optional(),
    segments: z.array(ZEditorSegment),
    unedited: z.boolean(),
    generated: z.boolean(),
    sources: z.array(z.object({ metricKey: z.string(), label: z.string(), recordIds: z.array(z.number()) })),
  })
  .meta({ id: 'ReportParagraph' });

/** A report with its document for the editor (GET /api/reports/:id and every edit's answer). */
export const ZReportView = z
  .object({
    ...ZReportSummary.shape,
    frozenAt: z.string().nullable(),
    document: z.object({
      title: z.string(),
      sections: z.array(z.object({ key: z.enum(['opening', ...PART_KEYS, ...DISCLOSURE_PART_KEYS]), heading: z.string(), paragraphs: z.array(ZReportParagraph), tables: z.array(ZDocTable).optional() })),
    }),
    warnings: z.array(ZReportWarning),
    can: z.object({ edit: z.boolean(), moves: z.array(ZReportState), newVersion: z.boolean() }),
    settings: z.object({ addressee: z.string().optional(), signedOn: z.string().optional(), noData: z.enum(['omit', 'mark']).optional() }),
    signature: z.object({ issuer: z.string(), date: z.string().optional(), addressee: z.string().optional() }).or(z.undefined()),
    otherPart: z.boolean(),
    unedited: z.array(z.object({ id: z.string(), part: z.string(), excerpt: z.string() }) satisfies z.ZodType<UneditedParagraph>),
    blockers: z.array(z.object({ code: z.string(), message: z.string(), paragraphId: z.string().optional() }) satisfies z.ZodType<ReportBlocker>),
  })
  .meta({ id: 'ReportDetail' }) satisfies z.ZodType<ReportView>;

export const ZReportDuty = z
  .object({
    type: ZReportType,
    label: z.string(),
    year: z.number(),
    dueOn: z.string(),
    state: z.enum(['临期', '逾期']),
    orgId: z.number(),
    orgName: z.string(),
    reportId: z.number().nullable(),
    reportState: z.string().nullable(),
  })
  .meta({ id: 'ReportDuty' }) satisfies z.ZodType<ReportDutyItem>;

export const ZDashboard = z
  .object({
    orgId: z.number(),
    year: z.number(),
    scope: z.enum(['org', 'dept']),
    figures: z.array(z.object({ key: z.string(), label: z.string(), value: z.number().nullable(), yoy: z.number().nullable(), unit: z.string(), better: z.enum(['up', 'down']) })),
    byMonth: z.record(z.string(), z.array(z.number())),
    byDept: z.array(z.object({ dept: z.string(), count: z.number() })),
    onTime: z.array(z.object({ kind: z.string(), label: z.string(), rate: z.number().nullable(), onTime: z.number(), late: z.number() })),
    calendarWarning: z.string().optional(),
    yoyPeriod: z.object({ label: z.string(), from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string() }),
  })
  .meta({ id: 'Dashboard' }) satisfies z.ZodType<Dashboard>;

const ZFigureFormat = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('int') }),
  z.object({ kind: z.literal('num'), decimals: z.number() }),
  z.object({ kind: z.literal('pct'), decimals: z.number().optional() }),
  z.object({ kind: z.literal('yoy'), style: z.enum(['full', 'bare', 'same']) }),
  z.object({ kind: z.literal('list'), plain: z.boolean(), sentences: z.boolean().optional() }),
]);

export const ZDistrictCompare = z
  .object({
    districtId: z.number(),
    districtName: z.string(),
    year: z.number(),
    towns: z.array(z.object({ orgId: z.number(), code: z.string(), name: z.string(), values: z.record(z.string(), z.number().nullable()) })),
    totals: z.record(z.string(), z.number().nullable()),
    ranks: z.record(z.string(), z.record(z.string(), z.number())),
    metrics: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string(), format: ZFigureFormat, rankOrder: z.enum(['asc', 'desc']).optional() })),
  })
  .meta({ id: 'DistrictCompare' }) satisfies z.ZodType<DistrictCompareView>;

const ZCell = z.object(Object.fromEntries(COLUMN_KEYS.map((k) => [k, z.number()])) as Record<(typeof COLUMN_KEYS)[number], z.ZodNumber>).meta({ id: 'DisclosureCell' });
const ZCells = z.record(z.string(), ZCell);
const ZIssued = z.object({ issued: z.number(), repealed: z.number(), inForce: z.number() });
const ZReviewRow = z.object({ upheld: z.number(), corrected: z.number(), other: z.number(), pending: z.number(), total: z.number() });

/** One report's tables in the spec's JSON shape (docs: disclosure-report.md). */
export const ZDisclosureJson = z
  .object({
    type: z.literal('disclosure'),
    org: z.string(),
    year: z.number(),
    proactive: z.object({ regulations: ZIssued, normativeDocuments: ZIssued, licensing: z.number(), penalties: z.number(), coercion: z.number(), feesWan: z.number() }),
    requests: z.object({
      new: ZCell,
      carriedIn: ZCell,
      granted: ZCell,
      partial: ZCell,
      refused: ZCells,
      unavailable: ZCells,
      notProcessed: ZCells,
      otherHandling: ZCells,
      handledTotal: ZCell,
      carriedOut: ZCell,
    }),
    review: z.object({ reconsideration: ZReviewRow, litigationDirect: ZReviewRow, litigationAfterReconsideration: ZReviewRow }),
    checks: z.array(
      z.object({ rule: z.enum(['一+二=三(七)+四', '(七)=(一)+…+(六)', '总计=各列之和']), column: z.enum(COLUMN_KEYS).optional(), row: z.string().optional(), ok: z.boolean() }),
    ),
    warnings: z.array(z.object({ recordId: z.number(), kind: z.string(), title: z.string(), message: z.string() })),
  })
  .meta({ id: 'DisclosureJson' }) satisfies z.ZodType<DisclosureReportJson>;

const ZFinalState = z.enum(['已定稿', '逾期定稿', '未定稿', '逾期未定稿']);
export const ZDistrictDisclosure = z
  .object({
    districtId: z.number(),
    districtName: z.string(),
    year: z.number(),
    dueOn: z.string(),
    towns: z.array(
      z.object({
        orgId: z.number(),
        code: z.string(),
        name: z.string(),
        report: z.object({ id: z.number(), version: z.number(), state: z.string(), frozenAt: z.string().nullable() }).nullable(),
        source: z.enum(['frozen', 'live']),
        final: ZFinalState,
        tables: ZDisclosureJson,
      }),
    ),
    total: ZDisclosureJson,
    notFinal: z.array(z.object({ orgId: z.number(), name: z.string(), final: ZFinalState })),
  })
  .meta({ id: 'DistrictDisclosure' }) satisfies z.ZodType<DistrictDisclosureView>;

const ZCalendarDay = z.object({
  date: z.string(),
  workday: z.boolean(),
  status: z.enum(['workday', 'adjusted_workday', 'rest', 'holiday']),
  name: z.string().optional(),
  adjusted: z.boolean(),
  override: z.boolean(),
  source: z.enum(['official', 'imported', 'override']),
});
export const ZCalendarYear = z
  .object({ year: z.number(), hasData: z.boolean(), days: z.array(ZCalendarDay), missingYears: z.array(z.number()) })
  .meta({ id: 'CalendarYear' }) satisfies z.ZodType<CalendarYearView>;

const calendarChange = { recomputed: z.number(), recordIds: z.array(z.number()), missingYears: z.array(z.number()) };
export const ZCalendarDayChange = z.object({ ...calendarChange, day: ZCalendarDay });
export const ZCalendarImport = z.object({ ...calendarChange, imported: z.number(), years: z.array(z.number()), warnings: z.array(z.string()) });

const ZDuration = z.object({ amount: z.number(), unit: z.enum(['calendar_days', 'working_days', 'months']) });
export const ZDeadlineSettings = z
  .object({
    nearDays: z.number(),
    orgId: z.number(),
    orgName: z.string(),
    rules: z.array(
      z.object({ kind: z.string(), kindLabel: z.string(), rule: z.string(), label: z.string(), basis: z.string(), default: ZDuration, period: ZDuration, overridden: z.boolean() }),
    ),
  })
  .meta({ id: 'DeadlineSettings' }) satisfies z.ZodType<DeadlineSettingsView>;
export const ZRulePeriodChange = z.object({ orgId: z.number(), kind: z.string(), rule: z.string(), period: ZDuration, overridden: z.boolean(), ...calendarChange });

export const ZAttachment = z
  .object({ id: z.number(), recordId: z.number(), filename: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), createdAt: z.string() })
  .meta({ id: 'Attachment' }) satisfies z.ZodType<AttachmentView>;

export const ZImportResult = z
  .object({ imported: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), byKind: z.record(z.string(), z.number()) })
  .meta({ id: 'ImportResult' }) satisfies z.ZodType<ImportResult>;

export const ZImportJob = z
  .object({
    id: z.number(),
    fileName: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    result: ZImportResult.nullable(),
    error: z.object({ code: z.string(), message: z.string(), lines: z.array(ZLineError).optional() }).nullable(),
    annotated: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ImportJob' }) satisfies z.ZodType<ImportJobView>;

export const ZHistoryEntry = z
  .object({
    id: z.number(),
    at: z.string(),
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    action: z.string(),
    ip: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'HistoryEntry' }) satisfies z.ZodType<HistoryEntry>;

/** The signed-in user and what the session still needs (login, /api/auth/me). */
export const ZSessionState = z
  .object({ user: ZUserView.nullable(), pending: z.enum(['totp', 'enrol']).nullable(), mustChangePassword: z.boolean() })
  .meta({ id: 'SessionState' });

/** A record after a flow transition (the record as it is now). */
export const ZTransitionResult = ZRecView;

const ZDateRange = z.object({ from: z.string(), to: z.string() });

/** Where a figure comes from; its filters are listed as the metric definition states them (core/metrics/types.ts Filter). */
const ZMetricSource = z
  .object({
    type: z.enum(['count', 'sum', 'rate', 'list', 'by', 'yoy', 'composite']),
    label: z.string(),
    unit: z.string(),
    kind: z.string().optional(),
    filters: z.array(z.unknown()),
    numerator: z.array(z.unknown()).optional(),
    denominator: z.array(z.unknown()).optional(),
    field: z.string().optional(),
    dateField: z.string().optional(),
    period: ZDateRange,
    orgScope: z.object({ orgId: z.number(), includeDescendants: z.boolean() }),
    of: z.array(z.string()).optional(),
    explain: z.string(),
  })
  .meta({ id: 'MetricSource' });

/**
 * A ledger definition (the format of core/ledgers/types.ts LedgerDef, the web's type for it too):
 * described here by its identity only, its fields and flow kept as the definition states them.
 */
// Cast: the type is core's LedgerDef (one definition); the schema checks the identity and passes the rest through unchanged.
export const ZLedgerDef = z.looseObject({ kind: z.string(), label: z.string(), version: z.number() }).meta({ id: 'LedgerDef' }) as unknown as z.ZodType<LedgerDef>;

/** A custom metric definition as stored (core/metrics/schema.ts validates it on the way in). */
export const ZMetricDef = z.record(z.string(), z.unknown()).meta({ id: 'MetricDef' });

/**
 * The metrics of a period. Each figure's source and definition are described loosely here (their
 * shapes vary by metric type); `values` and the period are exact.
 */
export const ZMetrics = z
  .object({
    orgId: z.number(),
    orgName: z.string(),
    year: z.number(),
    period: ZDateRange,
    periodLabel: z.string(),
    values: z.record(z.string(), ZMetricValue),
    defs: z.record(z.string(), z.object({ label: z.string(), unit: z.string(), kind: z.string().optional(), type: z.string() })),
    sources: z.record(z.string(), ZMetricSource),
    warnings: z.array(z.object({ metricKey: z.string(), message: z.string() })),
    /** Custom metrics left out because they no longer fit the ledgers. */
    problems: z.array(z.object({ key: z.string(), message: z.string() })),
  })
  .meta({ id: 'Metrics' });

export { ZVerifyResult };
