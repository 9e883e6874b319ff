import { tryParseDate } from '../calendar/dates';
import type { DeadlineRuleDef, Duration, LedgerDef, RecordData } from '../ledgers/types';
import { isBlank, matchesConditions } from './conditions';
import type { ClockEvents, ClockStop, ExtensionApproval } from './types';

export const EMPTY_CLOCK_EVENTS: ClockEvents = Object.freeze({ stops: [], extensions: [] }) as ClockEvents;

/** Rules whose `when` holds for the record, in definition order. */
export function applicableRules(def: LedgerDef, data: RecordData): DeadlineRuleDef[] {
  return (def.deadlines ?? []).filter((r) => matchesConditions(r.when, data));
}

/**
 * The rule that decides the record's deadline: the first applicable rule whose `doneField` is
 * empty (running), or when all are done the last applicable one (its outcome is the record's).
 */
export function selectRule(def: LedgerDef, data: RecordData): { rule: DeadlineRuleDef; done: boolean } | null {
  const rules = applicableRules(def, data);
  const running = rules.find((r) => isBlank(data[r.doneField]));
  if (running) return { rule: running, done: false };
  const last = rules[rules.length - 1];
  return last ? { rule: last, done: true } : null;
}

export function findRule(def: LedgerDef, key: string): DeadlineRuleDef | undefined {
  return def.deadlines?.find((r) => r.key === key);
}

/** Period and variant label in force for a record (variant, else org override if configurable). */
export function effectivePeriod(
  rule: DeadlineRuleDef,
  data: RecordData,
  overrides?: Record<string, Duration>,
): { period: Duration; variant?: string } {
  const variant = rule.variants?.find((v) => matchesConditions(v.when, data));
  if (variant) return { period: variant.period, variant: variant.label };
  const own = rule.configurable ? overrides?.[rule.key] : undefined;
  return { period: own ?? rule.period };
}

/** The approved extension of a rule, or a bare flag (e.g. an imported record with 延期答复=是). */
export function extensionOf(
  rule: DeadlineRuleDef,
  data: RecordData,
  events: ClockEvents,
): { period: Duration; approval?: ExtensionApproval } | null {
  if (!rule.extension) return null;
  const approval = events.extensions.find((e) => e.rule === rule.key);
  if (approval) return { period: approval.period ?? rule.extension.period, approval };
  const flag = rule.extension.flagField;
  if (flag && data[flag] === true) return { period: rule.extension.period };
  return null;
}

/** Flow states that stop this rule's clock: its own list, else every stopsClock state of the flow. */
export function stopStatesOf(def: LedgerDef, rule: DeadlineRuleDef): Set<string> {
  if (rule.stopStates) return new Set(rule.stopStates);
  return new Set((def.flow?.states ?? []).filter((s) => s.stopsClock).map((s) => s.key));
}

/** Pauses of this rule's clock; stops of its restart states are not pauses (see restart.ts). */
export function stopsFor(def: LedgerDef, rule: DeadlineRuleDef, events: ClockEvents): ClockStop[] {
  const states = stopStatesOf(def, rule);
  const restarts = new Set(rule.restart?.states ?? []);
  return events.stops.filter((s) => states.has(s.state) && !restarts.has(s.state) && !Number.isNaN(tryParseDate(s.from)));
}

/** 'YYYY-MM-DD' value of a date field, or null. */
export function dateField(data: RecordData, field: string): string | null {
  const v = data[field];
  return typeof v === 'string' && !Number.isNaN(tryParseDate(v)) ? v : null;
}

export function fieldLabel(def: LedgerDef, key: string): string {
  return def.fields.find((f) => f.key === key)?.label ?? key;
}

/** What happens on a date field, as a verb: 收到申请日期 -> 收到申请, 答复日期 -> 答复. */
export function fieldVerb(def: LedgerDef, key: string): string {
  const label = fieldLabel(def, key);
  const stripped = label.replace(/(日期|时间|之日|日)$/, '');
  return stripped || label;
}

export function periodText(p: Duration): string {
  if (p.unit === 'working_days') return `${p.amount}个工作日`;
  if (p.unit === 'months') return `${p.amount}个月`;
  return `${p.amount}日`;
}
