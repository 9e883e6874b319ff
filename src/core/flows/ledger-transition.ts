import { tryParseDate, type IsoDate } from '../calendar/dates';
import type { WorkCalendar } from '../calendar/work-calendar';
import { applyClockEvents } from '../deadlines/clock-events';
import { dateField, fieldLabel } from '../deadlines/rules';
import type { ClockEvents } from '../deadlines/types';
import { validateExtension, validateStop } from '../deadlines/validate';
import type { Duration, LedgerDef } from '../ledgers/types';
import { planTransition, type FlowRecord, type TransitionError, type TransitionOptions, type TransitionPlan } from './transitions';

export interface LedgerTransitionOptions extends Omit<TransitionOptions, 'fields' | 'rules'> {
  events: ClockEvents;
  calendar: WorkCalendar;
  periodOverrides?: Record<string, Duration>;
}

export interface LedgerTransitionPlan extends TransitionPlan {
  /** The record's clock history after the transition (the value to store). */
  events: ClockEvents;
}

/**
 * A transition on a record of a ledger kind: the flow checks of planTransition, plus the legal
 * checks of what it records — a stop needs a reason and may not start before the start date, an
 * extension must be within the legal maximum and approved in time, and a date the transition
 * sets may not precede the date its deadline runs from. Nothing is changed; the caller stores
 * `dataPatch`, `toState` and `events` in one audited write.
 */
export function planLedgerTransition(
  def: LedgerDef,
  record: FlowRecord,
  key: string,
  opts: LedgerTransitionOptions,
): LedgerTransitionPlan | TransitionError {
  if (!def.flow) return { ok: false, code: 'unknown_transition', error: `「${def.label}」没有办理流程` };
  const plan = planTransition(def.flow, record, key, { ...opts, fields: def.fields, rules: def.deadlines ?? [] });
  if (!plan.ok) return plan;

  const merged = { ...record.data, ...plan.dataPatch };
  const errors: string[] = [];
  const stepDates = new Set([...(plan.transition.setsDate ?? []), ...(def.deadlines ?? []).map((r) => r.doneField)]);
  for (const [field, value] of Object.entries(plan.dataPatch)) {
    if (typeof value !== 'string' || Number.isNaN(tryParseDate(value))) continue;
    // The date a step happened (答复日期, 办结日期) cannot lie ahead: it would close the record early.
    if (stepDates.has(field) && value > opts.today) errors.push(`「${fieldLabel(def, field)}」（${value}）不得晚于今天（${opts.today}）`);
    for (const rule of def.deadlines ?? []) {
      if (rule.doneField !== field) continue;
      const startOn = dateField(merged, rule.startField);
      if (startOn !== null && value < startOn) {
        errors.push(`「${fieldLabel(def, field)}」（${value}）不得早于「${fieldLabel(def, rule.startField)}」（${startOn}）`);
      }
    }
  }

  for (const e of plan.clockEvents) {
    if (e.type === 'stop_open') {
      errors.push(
        ...validateStop({
          def,
          record: { data: merged, status: record.status ?? null },
          events: applyClockEvents(opts.events, plan.clockEvents.filter((x) => x.type === 'stop_close')),
          stop: { state: e.state, from: e.on, reason: e.reason, by: e.by },
          today: opts.today,
        }),
      );
    } else if (e.type === 'stop_close') {
      const open = opts.events.stops.find((s) => s.state === e.state && s.to === undefined);
      if (open && e.on < open.from) errors.push(`结束日期（${e.on}）不得早于停止计时开始日期（${open.from}）`);
    } else {
      const check = {
        def,
        // The record as it was: the flag this transition sets must not count as a prior extension.
        record: { data: record.data, status: record.status ?? null },
        events: opts.events,
        extension: { rule: e.rule, on: e.on, by: e.by, reason: e.reason, ...(e.period ? { period: e.period } : {}) },
        role: opts.role,
        calendar: opts.calendar,
        today: opts.today as IsoDate,
      };
      errors.push(...validateExtension(opts.periodOverrides ? { ...check, periodOverrides: opts.periodOverrides } : check));
    }
  }
  // Any step (受理, 开始审核, 延期…) happened on or after the record began: a date before it is a typo.
  const on = opts.on ?? opts.today;
  const recordStart = dateField(record.data, def.occurredOn);
  if (errors.length === 0 && recordStart !== null && on < recordStart) {
    errors.push(`办理日期（${on}）不得早于「${fieldLabel(def, def.occurredOn)}」（${recordStart}）`);
  }
  const unique = [...new Set(errors)];
  if (unique.length) return { ok: false, code: 'invalid', error: unique.join('；') };
  return { ...plan, events: applyClockEvents(opts.events, plan.clockEvents) };
}
