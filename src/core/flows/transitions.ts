import { tryParseDate, type IsoDate } from '../calendar/dates';
import { isBlank } from '../deadlines/conditions';
import { canonicalOption } from '../ledgers/validate';
import type { ClockEvent } from '../deadlines/types';
import { ROLE_LABELS, type DeadlineRuleDef, type Duration, type FieldDef, type FlowDef, type FlowTransitionDef, type RecordData, type Role } from '../ledgers/types';

export interface FlowRecord {
  /** Current flow state; null/absent for a record that never entered the flow (= initial). */
  status?: string | null;
  data: RecordData;
}

export interface TransitionOptions {
  role: Role;
  /** Field values given with the transition (e.g. replyType for 答复). */
  data?: RecordData;
  reason?: string;
  today: IsoDate;
  /** Date the step happened (back-dating a paper file); default today. */
  on?: IsoDate;
  /** Display name of the user, recorded in clock events. */
  by?: string;
  /** The kind's fields, for Chinese labels in messages. */
  fields?: readonly FieldDef[];
  /** The kind's deadline rules, to tell which flags are extensions of which rule. */
  rules?: readonly DeadlineRuleDef[];
  /** For an extension: a shorter one than the rule's legal maximum (checked against it later). */
  extensionPeriod?: Duration;
}

export type TransitionErrorCode = 'unknown_transition' | 'bad_state' | 'forbidden' | 'missing_reason' | 'missing_field' | 'invalid';

export interface TransitionError {
  ok: false;
  code: TransitionErrorCode;
  /** Chinese message for the user. */
  error: string;
}

export interface TransitionPlan {
  ok: true;
  transition: FlowTransitionDef;
  fromState: string;
  toState: string;
  /** Field values to write: the payload, plus dates and flags the transition sets. */
  dataPatch: RecordData;
  /** What to add to the record's clock history (see applyClockEvents). */
  clockEvents: ClockEvent[];
}

export function currentState(flow: FlowDef, record: FlowRecord): string {
  return record.status || flow.initial;
}

export function roleMayPerform(t: FlowTransitionDef, role: Role): boolean {
  return role === 'admin' || !t.roles || t.roles.length === 0 || t.roles.includes(role);
}

/** Transitions the role may perform from the record's current state, in definition order. */
export function availableTransitions(flow: FlowDef, record: FlowRecord, role: Role): FlowTransitionDef[] {
  const state = currentState(flow, record);
  return flow.transitions.filter(
    (t) =>
      t.from.includes(state) &&
      roleMayPerform(t, role) &&
      // A step whose only effect is a flag already set (an extension granted once) is not offered again.
      !(t.setsFlag?.length && t.from.includes(t.to) && t.setsFlag.every((f) => record.data[f] === true)),
  );
}

/** Why a step cannot leave from a record's state (null when it can); the list's batch dialog says it too. */
export function stateRefusal(flow: FlowDef, t: FlowTransitionDef, status: string | null | undefined): string | null {
  const from = status || flow.initial;
  return t.from.includes(from) ? null : `当前状态为「${from}」，不能执行「${t.label}」（仅限${t.from.map((s) => `「${s}」`).join('、')}状态）`;
}

function fail(code: TransitionErrorCode, error: string): TransitionError {
  return { ok: false, code, error };
}

function label(fields: readonly FieldDef[] | undefined, key: string): string {
  return fields?.find((f) => f.key === key)?.label ?? key;
}

/**
 * Checks a transition and works out its effects, without performing it. Entering a
 * clock-stopping state opens a stop, leaving one closes it; setting a rule's extension flag
 * records an extension approval.
 */
export function planTransition(flow: FlowDef, record: FlowRecord, key: string, opts: TransitionOptions): TransitionPlan | TransitionError {
  const t = flow.transitions.find((x) => x.key === key);
  if (!t) return fail('unknown_transition', `没有名为「${key}」的办理操作`);
  const refused = stateRefusal(flow, t, record.status);
  if (refused) return fail('bad_state', refused);
  const from = currentState(flow, record);
  if (!roleMayPerform(t, opts.role)) {
    const who = (t.roles ?? []).map((r) => ROLE_LABELS[r]).join('或');
    return fail('forbidden', `${ROLE_LABELS[opts.role]}不能执行「${t.label}」，须由${who}操作`);
  }
  const reason = opts.reason?.trim() ?? '';
  if (t.needsReason && !reason) return fail('missing_reason', `执行「${t.label}」须填写理由`);

  const payload = opts.data ?? {};
  const merged: RecordData = { ...record.data, ...payload };
  const missing = (t.requires ?? []).filter((f) => isBlank(merged[f]) && appliesTo(opts.fields, f, merged));
  if (missing.length) {
    return fail('missing_field', `执行「${t.label}」须填写${missing.map((f) => `「${label(opts.fields, f)}」`).join('、')}`);
  }

  const on = opts.on ?? opts.today;
  if (Number.isNaN(tryParseDate(on))) return fail('invalid', `办理日期「${on}」无效，应为YYYY-MM-DD`);
  if (on > opts.today) return fail('invalid', `办理日期（${on}）不得晚于今天`);

  const dataPatch: RecordData = { ...payload };
  for (const f of t.setsDate ?? []) {
    if (isBlank(payload[f]) && isBlank(record.data[f])) dataPatch[f] = on;
  }
  for (const f of t.setsFlag ?? []) dataPatch[f] = true;

  const by = opts.by ?? ROLE_LABELS[opts.role];
  const clockEvents: ClockEvent[] = [];
  const stops = new Set(flow.states.filter((s) => s.stopsClock).map((s) => s.key));
  if (t.to !== from) {
    if (stops.has(from)) clockEvents.push({ type: 'stop_close', state: from, on, by });
    if (stops.has(t.to)) clockEvents.push({ type: 'stop_open', state: t.to, on, reason, by });
  }
  for (const flag of t.setsFlag ?? []) {
    const rule = opts.rules?.find((r) => r.extension?.flagField === flag);
    if (!rule) continue;
    const ext: ClockEvent = { type: 'extension', rule: rule.key, on, by, reason };
    if (opts.extensionPeriod) ext.period = opts.extensionPeriod;
    clockEvents.push(ext);
  }
  if (opts.extensionPeriod) {
    if (!clockEvents.some((e) => e.type === 'extension')) return fail('invalid', `「${t.label}」不是延期操作，不能指定延期期限`);
    const p = opts.extensionPeriod;
    if (!['calendar_days', 'working_days', 'months'].includes(p.unit)) return fail('invalid', '延期期限单位应为日（calendar_days）、工作日（working_days）或月（months）');
  }
  return { ok: true, transition: t, fromState: from, toState: t.to, dataPatch, clockEvents };
}

/** A field a step requires is asked for only where it applies: a sub-item only under a type that has sub-items. */
function appliesTo(fields: readonly FieldDef[] | undefined, key: string, data: RecordData): boolean {
  const f = fields?.find((x) => x.key === key);
  if (!f?.optionsBy) return true;
  const ctrl = fields?.find((x) => x.key === f.optionsBy!.field);
  const raw = data[f.optionsBy.field];
  if (typeof raw !== 'string') return false;
  return Object.hasOwn(f.optionsBy.options, ctrl ? canonicalOption(ctrl, raw) : raw);
}
