import { civilFromDays, fromDayNumber, toDayNumber, tryParseDate, type IsoDate } from '../calendar/dates';
import type { WorkCalendar } from '../calendar/work-calendar';
import type { DeadlineRuleDef, DeadlineState, Duration, LedgerDef } from '../ledgers/types';
import { explainDeadline } from './explain';
import { countPeriod, type StopSpan } from './period';
import { noticeOf, restartOf } from './restart';
import { dateField, effectivePeriod, EMPTY_CLOCK_EVENTS, extensionOf, selectRule, stopsFor } from './rules';
import type { AppliedStop, ClockEvents, DeadlineOptions, DeadlineRecordInput, DeadlineResult } from './types';

export const DEFAULT_NEAR_DAYS = 3;

export interface DeadlineInput {
  def: LedgerDef;
  record: DeadlineRecordInput;
  /** The record's clock history (stops, extensions); absent = none. */
  events?: ClockEvents | null;
  calendar: WorkCalendar;
  today: IsoDate;
  options?: DeadlineOptions;
}

interface Counted {
  due: number;
  end: number;
  stops: AppliedStop[];
  stopped: boolean;
}

function countRule(
  cal: WorkCalendar,
  def: LedgerDef,
  rule: DeadlineRuleDef,
  start: number,
  segments: Duration[],
  events: ClockEvents,
  stopLimit: number,
): Counted {
  const raw = stopsFor(def, rule, events)
    .map((s) => {
      const from = Math.max(toDayNumber(s.from), start);
      const end = s.to !== undefined && !Number.isNaN(tryParseDate(s.to)) ? toDayNumber(s.to) : null;
      return { stop: s, from, to: end === null ? Math.max(stopLimit, from) : end, open: end === null };
    })
    .filter((s) => s.to > s.from || s.open)
    .sort((a, b) => a.from - b.from);
  // Overlapping stops (which validation refuses) would count days twice: clip each to the previous.
  const spans: StopSpan[] = [];
  let prevTo = -Infinity;
  for (const s of raw) {
    const from = Math.max(s.from, prevTo);
    spans.push({ from, to: Math.max(s.to, from) });
    prevTo = Math.max(prevTo, s.to);
  }
  const counted = countPeriod(cal, start, segments, spans);
  const stops: AppliedStop[] = raw.map((s, i) => ({
    state: s.stop.state,
    from: s.stop.from,
    to: fromDayNumber(s.to),
    open: s.open,
    reason: s.stop.reason,
    by: s.stop.by,
    days: counted.stopDays[i] ?? 0,
  }));
  return { due: counted.due, end: counted.end, stops, stopped: raw.some((s) => s.open) };
}

function stateOf(
  cal: WorkCalendar,
  due: number,
  doneOn: IsoDate | null,
  closedByFlow: boolean,
  today: number,
  nearDays: number,
): DeadlineState | null {
  if (doneOn !== null) return toDayNumber(doneOn) <= due ? '按期办结' : '逾期办结';
  if (closedByFlow) return null;
  if (today > due) return '逾期';
  return due <= cal.addWorkingDaysN(today, nearDays) ? '临期' : '正常';
}

/**
 * The deadline now running for a record (or the outcome of the last one), with its state and
 * a Chinese explanation. null when the kind has no rule applying to the record or the start
 * date is not filled in yet.
 */
export function computeDeadline(input: DeadlineInput): DeadlineResult | null {
  try {
    return compute(input);
  } catch (e) {
    // A date outside the calendar's years (e.g. a mistyped 0202-01-01) has no computable deadline.
    if (e instanceof RangeError) return null;
    throw e;
  }
}

function compute(input: DeadlineInput): DeadlineResult | null {
  const { def, record, calendar: cal, options } = input;
  const events = input.events ?? EMPTY_CLOCK_EVENTS;
  const data = record.data;
  const picked = selectRule(def, data);
  if (!picked) return null;
  const { rule, done } = picked;
  const startOn = dateField(data, rule.startField);
  if (startOn === null) return null;
  const today = toDayNumber(input.today);
  const doneOn = done ? dateField(data, rule.doneField) : null;
  // A stop still open when the rule was met ends on that day; otherwise it runs until today.
  const stopLimit = doneOn !== null ? toDayNumber(doneOn) : today;
  // After a 补正 the whole period runs again from the corrected request (政府信息公开条例 art. 30).
  const restart = restartOf(rule, startOn, events, fromDayNumber(stopLimit));
  const start = toDayNumber(restart ? restart.startOn : startOn);

  const { period, variant } = effectivePeriod(rule, data, options?.periodOverrides);
  const ext = extensionOf(rule, data, events);
  const segments = ext ? [period, ext.period] : [period];
  const counted = countRule(cal, def, rule, start, segments, events, stopLimit);
  const original = ext ? countRule(cal, def, rule, start, [period], events, stopLimit) : null;

  const closedByFlow = !!record.status && !!def.flow?.states.find((s) => s.key === record.status)?.final;
  const state = stateOf(cal, counted.due, doneOn, closedByFlow, today, options?.nearDays ?? DEFAULT_NEAR_DAYS);
  // The counted days (start, due]; a zero-length period (a user-set date) counts the due day itself.
  const spanFrom = Math.min(start + 1, counted.due);
  const spanTo = counted.due;
  const provisional = !cal.hasDataForSpanN(spanFrom, spanTo);
  const missingYears = provisional ? cal.missingYears(civilFromDays(spanFrom)[0], civilFromDays(spanTo)[0]) : [];

  const result: DeadlineResult = {
    rule: { key: rule.key, label: rule.label },
    basis: restart && rule.restart ? `${rule.basis}；${rule.restart.basis}` : rule.basis,
    startOn,
    dueOn: fromDayNumber(counted.due),
    period,
    stops: counted.stops,
    stopped: (counted.stopped || restart?.open === true) && doneOn === null,
    state,
    provisional,
    missingYears,
    explanation: '',
  };
  if (variant !== undefined) result.variant = variant;
  if (restart) result.restart = restart;
  const notice = noticeOf(cal, rule, startOn, events);
  if (notice) result.notice = notice;
  if (ext) {
    result.extension = { period: ext.period };
    if (ext.approval) Object.assign(result.extension, { on: ext.approval.on, by: ext.approval.by, reason: ext.approval.reason });
  }
  if (doneOn !== null) result.doneOn = doneOn;
  if (options?.explain !== false) {
    result.explanation = explainDeadline(cal, def, rule, result, {
      end: counted.end,
      originalDue: original ? fromDayNumber(original.due) : null,
    });
  }
  return result;
}

/** The due date a rule would have without its extension (for validating an extension request). */
export function originalDueOn(input: DeadlineInput, ruleKey: string): IsoDate | null {
  const { def, record, calendar: cal } = input;
  const rule = def.deadlines?.find((r) => r.key === ruleKey);
  if (!rule) return null;
  const startOn = dateField(record.data, rule.startField);
  if (startOn === null) return null;
  const events = input.events ?? EMPTY_CLOCK_EVENTS;
  const { period } = effectivePeriod(rule, record.data, input.options?.periodOverrides);
  try {
    const restart = restartOf(rule, startOn, events, input.today);
    const start = toDayNumber(restart ? restart.startOn : startOn);
    const counted = countRule(cal, def, rule, start, [period], events, toDayNumber(input.today));
    return fromDayNumber(counted.due);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
