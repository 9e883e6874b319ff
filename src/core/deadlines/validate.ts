import { toDayNumber, tryParseDate, type IsoDate } from '../calendar/dates';
import type { WorkCalendar } from '../calendar/work-calendar';
import { ROLE_LABELS, type Duration, type LedgerDef, type Role } from '../ledgers/types';
import { originalDueOn } from './compute';
import { isBlank } from './conditions';
import { dateField, fieldLabel, findRule, periodText, stopStatesOf } from './rules';
import type { ClockEvents, ClockStop, DeadlineRecordInput, ExtensionApproval } from './types';

/** Duration comparable within one unit (months as ~30 days only to compare across units). */
function roughDays(d: Duration): number {
  if (d.unit === 'months') return d.amount * 30;
  if (d.unit === 'working_days') return d.amount * 1.4;
  return d.amount;
}

export interface ExtensionCheckInput {
  def: LedgerDef;
  record: DeadlineRecordInput;
  events: ClockEvents;
  extension: ExtensionApproval;
  role: Role;
  calendar: WorkCalendar;
  today: IsoDate;
  periodOverrides?: Record<string, Duration>;
}

/** Chinese reasons an extension may not be recorded; empty when it may. */
export function validateExtension(input: ExtensionCheckInput): string[] {
  const { def, record, events, extension: ext, role } = input;
  const rule = findRule(def, ext.rule);
  if (!rule) return [`「${def.label}」没有名为「${ext.rule}」的期限`];
  if (!rule.extension) return [`「${rule.label}」依法不得延期`];
  const errors: string[] = [];
  const allowed = rule.extension.approverRoles;
  if (role !== 'admin' && !allowed.includes(role)) {
    errors.push(`延期须由${allowed.map((r) => ROLE_LABELS[r]).join('或')}批准，${ROLE_LABELS[role]}无权批准`);
  }
  if (isBlank(ext.reason)) errors.push('请填写延期理由');
  if (isBlank(ext.by)) errors.push('请填写批准人');
  const flag = rule.extension.flagField;
  if (events.extensions.some((e) => e.rule === rule.key) || (flag && record.data[flag] === true)) {
    errors.push(`「${rule.label}」已延期一次，依法不得再次延期`);
  }
  const max = rule.extension.period;
  if (ext.period) {
    if (!Number.isInteger(ext.period.amount) || ext.period.amount <= 0) errors.push('延期期限应为正整数');
    else if (ext.period.unit === max.unit ? ext.period.amount > max.amount : roughDays(ext.period) > roughDays(max)) {
      errors.push(`延期不得超过${periodText(max)}（法定最长期限）`);
    }
  }
  if (!isBlank(record.data[rule.doneField])) errors.push(`「${rule.label}」已${fieldLabel(def, rule.doneField).replace(/日期$/, '')}，无需延期`);
  const startOn = dateField(record.data, rule.startField);
  if (Number.isNaN(tryParseDate(ext.on))) errors.push(`批准日期「${ext.on}」无效，应为YYYY-MM-DD`);
  else if (startOn === null) errors.push(`请先填写「${fieldLabel(def, rule.startField)}」`);
  else if (ext.on < startOn) errors.push(`批准日期（${ext.on}）不得早于${fieldLabel(def, rule.startField)}（${startOn}）`);
  else {
    const due = originalDueOn(
      { def, record, events, calendar: input.calendar, today: input.today, options: input.periodOverrides ? { periodOverrides: input.periodOverrides } : {} },
      rule.key,
    );
    if (due !== null && ext.on > due) errors.push(`原期限已于${due}届满，届满后不能再批准延期`);
  }
  if (!Number.isNaN(tryParseDate(ext.on)) && ext.on > input.today) errors.push(`批准日期（${ext.on}）不得晚于今天`);
  return errors;
}

export interface StopCheckInput {
  def: LedgerDef;
  record: DeadlineRecordInput;
  events: ClockEvents;
  stop: ClockStop;
  today: IsoDate;
}

/** Chinese reasons a clock stop may not be recorded; empty when it may. */
export function validateStop(input: StopCheckInput): string[] {
  const { def, record, events, stop } = input;
  const errors: string[] = [];
  const rules = (def.deadlines ?? []).filter((r) => stopStatesOf(def, r).has(stop.state));
  if (rules.length === 0) errors.push(`「${stop.state}」不是停止计时的状态`);
  if (isBlank(stop.reason)) errors.push('请填写停止计时的原因');
  if (Number.isNaN(tryParseDate(stop.from))) {
    errors.push(`停止计时开始日期「${stop.from}」无效，应为YYYY-MM-DD`);
    return errors;
  }
  for (const r of rules) {
    const startOn = dateField(record.data, r.startField);
    if (startOn !== null && stop.from < startOn) {
      errors.push(`停止计时开始日期（${stop.from}）不得早于${fieldLabel(def, r.startField)}（${startOn}）`);
      break;
    }
  }
  if (stop.from > input.today) errors.push(`停止计时开始日期（${stop.from}）不得晚于今天`);
  if (stop.to !== undefined) {
    if (Number.isNaN(tryParseDate(stop.to))) errors.push(`停止计时结束日期「${stop.to}」无效，应为YYYY-MM-DD`);
    else if (stop.to < stop.from) errors.push(`停止计时结束日期（${stop.to}）不得早于开始日期（${stop.from}）`);
  }
  const a = toDayNumber(stop.from);
  const b = stop.to !== undefined && !Number.isNaN(tryParseDate(stop.to)) ? toDayNumber(stop.to) : Infinity;
  for (const other of events.stops) {
    if (other === stop) continue;
    const oa = toDayNumber(other.from);
    const ob = other.to !== undefined ? toDayNumber(other.to) : Infinity;
    if (a < ob && oa < b) {
      errors.push(
        other.to === undefined
          ? `已有未结束的停止计时（${other.state}，自${other.from}起），请先结束`
          : `与已有的停止计时（${other.state}，${other.from}至${other.to}）重叠`,
      );
    }
  }
  return errors;
}

/** Chinese reasons an org may not set this period for a rule; empty when it may. */
export function validatePeriodOverride(def: LedgerDef, ruleKey: string, period: Duration): string[] {
  const rule = findRule(def, ruleKey);
  if (!rule) return [`「${def.label}」没有名为「${ruleKey}」的期限`];
  if (!rule.configurable) return [`「${rule.label}」是法定期限，不能修改`];
  const errors: string[] = [];
  if (!['calendar_days', 'working_days', 'months'].includes(period.unit)) errors.push('期限单位应为日、工作日或月');
  if (!Number.isInteger(period.amount) || period.amount <= 0 || period.amount > 366) errors.push('期限应为1至366之间的整数');
  return errors;
}
