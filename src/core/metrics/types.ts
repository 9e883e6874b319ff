/**
 * The metric definition format. A metric is data (JSON-serialisable): a named, declarative query
 * over one ledger kind for an org unit and a period, or a combination of other metrics. Built-in,
 * generic (derived from any ledger definition) and a town's own metrics share this format.
 */
import type { Condition } from '../ledgers/types';

/** A filter on a field of the kind (same shape as a deadline rule's `Condition`). */
export type FieldFilter = Condition;

/** Common record columns a metric may filter on. */
export const METRIC_COLUMNS = ['status', 'deadlineState', 'closedOn', 'dueOn'] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

export type ColumnFilter =
  | { column: MetricColumn; eq: string }
  | { column: MetricColumn; in: string[] }
  | { column: MetricColumn; notIn: string[] }
  | { column: MetricColumn; present: boolean };

/**
 * A date field at most `days` calendar days after another date field of the same record
 * (e.g. a petition accepted within 15 days of registration). Both must be present.
 */
export interface WithinFilter {
  field: string;
  within: { of: string; days: number };
}

/** Any one of several filters holds (filters in a list otherwise all hold). */
export interface AnyOfFilter {
  anyOf: Filter[];
}

export type Filter = FieldFilter | ColumnFilter | WithinFilter | AnyOfFilter;

/**
 * Units shown after a figure. `notIn` in filters means "absent or not one of", the negation of `in`.
 */
export const METRIC_UNITS = ['件', '人次', '人', '份', '场次', '期', '次', '个', '项', '家', '条', '元', '%', ''] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

export interface MetricMeta {
  /** Stable key, e.g. `enforcement_case.major_reviewed`: [a-z][a-z0-9_]*(.[a-z0-9_]+)*. */
  key: string;
  /** Chinese label shown in reports and the UI. */
  label: string;
  unit: MetricUnit;
  description?: string;
  /**
   * Which way is better, where that is a judgement the metric can make (on-time and satisfaction
   * rates: higher; overdue and corrected matters: lower). Only such metrics are ranked across towns:
   * more petitions, disputes or lawsuits are not "better", so those get no rank.
   */
  better?: 'higher' | 'lower';
  /**
   * Fields a figure needs: records that match the metric's filters in the period but lack one of
   * these are reported by the consistency check ("records missing a field a metric needs").
   */
  requires?: string[];
}

/** The part common to metrics computed from one kind's records. */
export interface KindScope {
  kind: string;
  /** All must hold. */
  filters?: Filter[];
  /** Date field that puts a record in the period; default the kind's occurredOn. */
  dateField?: string;
  /** Compute over the period shifted by this many years (e.g. +1: next year's tasks). */
  shiftYears?: number;
}

export interface CountMetric extends MetricMeta, KindScope {
  type: 'count';
}

export interface SumMetric extends MetricMeta, KindScope {
  type: 'sum';
  /** An int, money or number field. */
  field: string;
  /** Value when no matching record has the field: 0 (default) or null = no data (external indicators). */
  emptyAs?: 'zero' | 'null';
}

/** count(filters ∧ numerator) / count(filters ∧ denominator); null when the denominator is 0. */
export interface RateMetric extends MetricMeta, KindScope {
  type: 'rate';
  numerator: Filter[];
  denominator: Filter[];
}

/** Titles (or another text field) of the matching records, in date order. */
export interface ListMetric extends MetricMeta, KindScope {
  type: 'list';
  /** Default: the kind's titleField. */
  field?: string;
  /**
   * A second text field written after each item, `item：detail` (a task and its 进展情况); the
   * distinct details of records with the same item are joined by ；. Records without it still name
   * their item.
   */
  detail?: string;
}

/** Count per value of an enum, multienum or bool field (bools as 是/否). */
export interface ByMetric extends MetricMeta, KindScope {
  type: 'by';
  field: string;
  /**
   * Key of a count metric the parts must add up to (checked when the field is required; set by the
   * generic `K.by_F` metrics).
   */
  partsOf?: string;
}

/** (this − last) / last against the same period a year before; null when last is 0 or absent. */
export interface YoyMetric extends MetricMeta {
  type: 'yoy';
  of: string;
}

/** Sum of other numeric metrics (null only when all parts are null). */
export interface CompositeMetric extends MetricMeta {
  type: 'composite';
  of: string[];
}

export type MetricDef = CountMetric | SumMetric | RateMetric | ListMetric | ByMetric | YoyMetric | CompositeMetric;
export type MetricType = MetricDef['type'];
export type KindMetricDef = CountMetric | SumMetric | RateMetric | ListMetric | ByMetric;

/** A figure: number; null = no data; per-value counts for `by`; titles for `list`. */
export type MetricValue = number | null | Record<string, number> | string[];

/** Year, quarter, month, or any range of calendar dates (Asia/Shanghai, inclusive). */
export type PeriodSpec =
  | { year: number }
  | { year: number; quarter: 1 | 2 | 3 | 4 }
  | { year: number; month: number }
  | { from: string; to: string };

export interface DateRange {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

export interface OrgScope {
  orgId: number;
  includeDescendants: boolean;
}

export function isKindMetric(def: MetricDef): def is KindMetricDef {
  return def.type !== 'yoy' && def.type !== 'composite';
}
