import type { IsoDate } from '../calendar/dates';
import type { DeadlineState, Duration, RecordData } from '../ledgers/types';

/**
 * A period during which a record's clock stood still because it sat in a clock-stopping flow
 * state (补正中, 征求第三方意见中). Days in (from, to] are not counted: the day the stop began
 * still counts, counting resumes the day after `to`. `to` is absent while the stop is open.
 */
export interface ClockStop {
  /** The flow state, e.g. 补正中. */
  state: string;
  from: IsoDate;
  to?: IsoDate;
  reason: string;
  /** Display name of who opened the stop. */
  by: string;
}

/** An approved extension of one deadline rule (at most one per rule, as the law allows). */
export interface ExtensionApproval {
  /** Deadline rule key, e.g. 'reply'. */
  rule: string;
  on: IsoDate;
  /** Display name of the approver. */
  by: string;
  reason: string;
  /** A shorter extension than the rule's legal maximum; defaults to the maximum. */
  period?: Duration;
}

/** A record's clock history, kept by storage as one JSON column and passed in whole. */
export interface ClockEvents {
  stops: ClockStop[];
  extensions: ExtensionApproval[];
}

/** What a flow transition adds to a record's clock history. */
export type ClockEvent =
  | { type: 'stop_open'; state: string; on: IsoDate; reason: string; by: string }
  | { type: 'stop_close'; state: string; on: IsoDate; by: string }
  | { type: 'extension'; rule: string; on: IsoDate; by: string; reason: string; period?: Duration };

export interface DeadlineOptions {
  /** 临期 when due within this many working days (default 3). */
  nearDays?: number;
  /** Per-org periods for `configurable` rules, by rule key (ignored for other rules). */
  periodOverrides?: Record<string, Duration>;
  /** Build the Chinese explanation (default true; bulk recomputation may skip it). */
  explain?: boolean;
}

export interface DeadlineRecordInput {
  data: RecordData;
  /** Current flow state, if the kind has a flow. */
  status?: string | null;
}

export interface AppliedStop {
  state: string;
  from: IsoDate;
  /** End of the stop used for counting (today for an open stop). */
  to: IsoDate;
  open: boolean;
  reason: string;
  by: string;
  /** Days the due date moved: working days for working-day rules, calendar days otherwise. */
  days: number;
}

export interface RestartResult {
  state: string;
  /** The day the state was entered (the 补正 notice). */
  from: IsoDate;
  /** The day it ended (the corrected request received); absent while open. */
  to?: IsoDate;
  open: boolean;
  reason: string;
  by: string;
  /** The date the period now runs from: `to`, or while open the day counting stands at. */
  startOn: IsoDate;
}

export interface NoticeResult {
  label: string;
  basis: string;
  /** Last day on which the notice was due. */
  dueOn: IsoDate;
  /** The day it was given, if it was. */
  on?: IsoDate;
  /** Given after dueOn. */
  late: boolean;
}

export interface DeadlineResult {
  rule: { key: string; label: string };
  basis: string;
  startOn: IsoDate;
  dueOn: IsoDate;
  /** Period applied (variant or org override), before any extension. */
  period: Duration;
  /** Label of the variant applied, e.g. 紧急. */
  variant?: string;
  extension?: { period: Duration; on?: IsoDate; by?: string; reason?: string };
  stops: AppliedStop[];
  /** The period started again after a restart state (补正), when one was entered. */
  restart?: RestartResult;
  /** The rule's notice limit (补正告知, 7 working days), when it has one. */
  notice?: NoticeResult;
  /** The clock is stopped right now (an open stop). */
  stopped: boolean;
  /** The date that met the rule (its doneField), when done. */
  doneOn?: IsoDate;
  /** null only when the record is closed by its flow but the rule's date was never filled. */
  state: DeadlineState | null;
  /** Some counted day lies in a year with no official schedule: the date may still move. */
  provisional: boolean;
  missingYears: number[];
  explanation: string;
}
