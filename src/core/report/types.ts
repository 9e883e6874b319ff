/**
 * The report template model and the document model it renders to. Pure data: the template is what a
 * town edits (words), the document is one rendering of it for an org unit and year (words + figures).
 */

/** A computed metric: null = no data; rates and yoy as fractions; `by_` metrics as value -> count. */
export type MetricValue = number | null | Record<string, number> | string[];

/** Values a template can use besides metrics. */
export const TEMPLATE_VARIABLES = ['org', 'year', 'nextYear', 'prevYear'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/**
 * How a figure is written.
 * - int: whole number, the unit is the template text after it (`{{x|int}}件`)
 * - num: fixed decimals (money sums)
 * - pct: percent of a fraction; `decimals` fixed, or undefined = trimmed (`100%`, `12.5%`)
 * - yoy: `同比下降12.3%` / `同比上升5.0%` / `与上年持平`; style `bare`: `下降12.3%` / `上升5.0%` / `持平`;
 *   style `same`: only `11.0%` when it goes the same way as the paragraph's previous yoy figure
 *   (the reference writes `同比分别下降12.3%、11.0%`), otherwise as `bare`
 * - list: items joined with 、, each in “” unless `plain`; `sentences`: each item a sentence ending in 。
 *   (record descriptions, `list:sentences`)
 */
export type YoyStyle = 'full' | 'bare' | 'same';

export type FigureFormat =
  | { kind: 'int' }
  | { kind: 'num'; decimals: number }
  | { kind: 'pct'; decimals?: number }
  | { kind: 'yoy'; style: YoyStyle }
  | { kind: 'list'; plain: boolean; sentences?: boolean };

export type Segment =
  | { type: 'text'; text: string }
  | { type: 'var'; name: TemplateVariable }
  /** `entry` picks one value of a `by_` metric (e.g. legality_review.by_reviewType[政府合同]). */
  | { type: 'metric'; key: string; entry?: string; format: FigureFormat };

/** Show a paragraph only when a metric has data (`true`) or has none (`false`). */
export interface ParagraphCondition {
  metricKey: string;
  hasData: boolean;
}

export interface TemplateParagraph {
  /** Stable id: the report's edits and the consistency warnings refer to it. */
  id: string;
  /** Run-in second-level heading (楷体), numbered （一）（二）… automatically; no placeholders. */
  heading?: Segment[];
  segments: Segment[];
  when?: ParagraphCondition;
  /** The words come from the records (list figures), not from the template: never marked 待完善. */
  generated?: boolean;
}

/** The four statutory parts and the optional fifth (《法治政府建设与责任落实督察工作规定》). */
export const PART_KEYS = ['measures', 'shortcomings', 'responsibility', 'plans', 'other'] as const;
/** The six parts of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号). */
export const DISCLOSURE_PART_KEYS = ['overview', 'proactive', 'requests', 'review', 'problems', 'others'] as const;
export type PartKey = (typeof PART_KEYS)[number] | (typeof DISCLOSURE_PART_KEYS)[number];
export const PART_LABELS: Record<PartKey, string> = {
  measures: '主要举措和成效',
  shortcomings: '存在的不足和原因',
  responsibility: '党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况',
  plans: '下一年度推进法治政府建设的主要安排',
  other: '其他需要报告的情况',
  overview: '总体情况',
  proactive: '主动公开政府信息情况',
  requests: '收到和处理政府信息公开申请情况',
  review: '政府信息公开行政复议、行政诉讼情况',
  problems: '存在的主要问题及改进情况',
  others: '其他需要报告的事项',
};

/** The statutory reports the machinery produces: one template each, the same states, snapshot and writers. */
export const REPORT_TYPES = ['rule_of_law', 'disclosure'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
export const REPORT_TYPE_LABELS: Record<ReportType, string> = {
  rule_of_law: '法治政府建设情况报告',
  disclosure: '政府信息公开工作年度报告',
};

export interface TemplatePart {
  key: PartKey;
  /** A table generated from the ledgers, printed after the part's paragraphs (see RenderInput.tables). */
  table?: string;
  /** First-level heading (黑体), numbered 一、二、… automatically; variables only. */
  heading: Segment[];
  paragraphs: TemplateParagraph[];
}

export interface ReportTemplate {
  id: string;
  /** Which statutory report; absent = rule_of_law. */
  type?: ReportType;
  name: string;
  /** e.g. `{{org}}{{year}}年法治政府建设情况报告`; variables only. */
  title: Segment[];
  opening: TemplateParagraph[];
  parts: TemplatePart[];
}

/**
 * What a warning is about: a figure without data (`noData`), a sentence left out of the outputs
 * because of one (`omitted`), a failed consistency check (`consistency`), a metric the catalog no
 * longer has (`missingMetric`). Older snapshots have no kind.
 */
export type WarningKind = 'noData' | 'omitted' | 'consistency' | 'missingMetric';

/** A warning shown beside a paragraph (consistency checks, missing data). */
export interface ReportWarning {
  paragraphId?: string;
  metricKey: string;
  message: string;
  kind?: WarningKind;
  /** The record the warning names (a record a table cannot place), for a link to it. */
  record?: { kind: string; id: number };
}

export interface TextRun {
  type: 'text';
  text: string;
}

/** A figure: the UI highlights it and links it to the records it counts. */
export interface FigureRun {
  type: 'figure';
  /** What is printed (same as `display`, so writers can treat all runs alike). */
  text: string;
  display: string;
  metricKey: string;
  entry?: string;
  value: MetricValue | undefined;
  /** The metric had no data (or was not provided): `display` is the no-data mark. */
  noData: boolean;
  /** Traceability (filled by the app): the metric's Chinese definition. */
  definition?: string;
  /** Traceability: ids of the records the figure counts (the frozen ones after 定稿). */
  recordIds?: number[];
}

export type DocRun = TextRun | FigureRun;

export interface DocParagraph {
  id: string;
  /** Run-in heading, e.g. number `（一）`, text `聚焦组织保障，……。` */
  heading?: { number: string; text: string };
  /** The printed runs: never a figure without data (its sentence is in `withheld`). */
  runs: DocRun[];
  warnings: ReportWarning[];
  /**
   * Sentences left out of every output because a figure in them has no data, with the offset in
   * the printed text (`runsText(runs)`) where they stood: the editor shows them there with 【无数据】.
   */
  withheld?: { at: number; runs: DocRun[] }[];
  /** The words come from the records (see TemplateParagraph.generated). */
  generated?: boolean;
}

export interface DocSection {
  key: PartKey;
  /** `一、` */
  number: string;
  title: string;
  paragraphs: DocParagraph[];
  /** Tables generated from the ledgers, after the paragraphs. */
  tables?: DocTable[];
}

/**
 * One cell of a generated table. Spans work as in HTML: a cell covered by a span above or to the
 * left is not listed in its row.
 */
export interface DocTableCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  /** A heading cell (bold-free 仿宋 like the rest, but centred and shaded in previews). */
  header?: boolean;
  /** A counted cell: the key of the records behind it (as a figure's metric key) and its value. */
  figure?: string;
  value?: number;
}

export interface DocTable {
  id: string;
  /** Printed under the part's heading, before the table (e.g. table 三's cross-check rule). */
  note?: string;
  /** Number of leading rows repeated on every page the table spans. */
  headerRows: number;
  rows: DocTableCell[][];
  /** Width of each column in characters of the cell font, as a proportion of the line. */
  columnWidths: number[];
}

/**
 * The signature block (GB/T 9704 §7.3.5): 主送机关 above the body, 发文机关署名 and 成文日期 below it.
 * Part of every report type, not of one template.
 */
export interface ReportSignature {
  /** 发文机关署名, e.g. 上海市宝山区庙行镇人民政府. */
  issuer: string;
  /** 成文日期 in Arabic numerals, e.g. 2024年3月15日; absent until the date is known (定稿). */
  date?: string;
  /** 主送机关, printed before the body followed by a full-width colon. */
  addressee?: string;
}

export interface ReportDocument {
  /** Which statutory report; absent = rule_of_law. */
  type?: ReportType;
  /** The type's own JSON for programs (the disclosure report's spec shape); `--format json` writes it instead of this model. */
  data?: unknown;
  title: string;
  orgName: string;
  year: number;
  opening: DocParagraph[];
  sections: DocSection[];
  /** Every warning, those attached to paragraphs and those that are not. */
  warnings: ReportWarning[];
  signature?: ReportSignature;
}
