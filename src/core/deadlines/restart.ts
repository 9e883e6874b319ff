import { toDayNumber, fromDayNumber, tryParseDate, type IsoDate } from '../calendar/dates';
import type { WorkCalendar } from '../calendar/work-calendar';
import type { DeadlineRuleDef } from '../ledgers/types';
import { countPeriod } from './period';
import type { ClockEvents, ClockStop, NoticeResult, RestartResult } from './types';

/**
 * A period that starts again in full when a state ends. 政府信息公开条例 art. 30: when a request
 * is unclear the organ tells the applicant once, within 7 working days of receipt, what to correct,
 * and "答复期限自行政机关收到补正的申请之日起计算" — the 20 working days of art. 33 run again from
 * the day the corrected request arrives (the day itself not counted, as for every period). This
 * differs from a pause (征求第三方意见, art. 32), where the days already spent still count.
 */
function restartStops(rule: DeadlineRuleDef, events: ClockEvents): ClockStop[] {
  const states = new Set(rule.restart?.states ?? []);
  return events.stops
    .filter((s) => states.has(s.state) && !Number.isNaN(tryParseDate(s.from)))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * The start the rule's period counts from: the last ended restart state's end, or, while one is
 * open, `limit` (today, or the day the rule was met) — counting has not begun again yet, so the
 * earliest possible due date is shown and it moves day by day. null when nothing restarted.
 */
export function restartOf(rule: DeadlineRuleDef, startOn: IsoDate, events: ClockEvents, limit: IsoDate): RestartResult | null {
  const last = restartStops(rule, events).at(-1);
  if (!last) return null;
  const closed = last.to !== undefined && !Number.isNaN(tryParseDate(last.to));
  const floor = (d: IsoDate): IsoDate => (d < startOn ? startOn : d);
  const base = { state: last.state, from: last.from, reason: last.reason, by: last.by };
  if (closed) return { ...base, to: last.to!, open: false, startOn: floor(last.to!) };
  return { ...base, open: true, startOn: floor(limit < last.from ? last.from : limit) };
}

/** The notice limit of a restart rule (the 补正 notice within 7 working days, art. 30), or null. */
export function noticeOf(cal: WorkCalendar, rule: DeadlineRuleDef, startOn: IsoDate, events: ClockEvents): NoticeResult | null {
  const notice = rule.restart?.notice;
  if (!notice) return null;
  const due = countPeriod(cal, toDayNumber(startOn), [notice.period], []).due;
  const dueOn = fromDayNumber(due);
  // The notice is given once (一次性告知): the first time the state was entered is the notice.
  const first = restartStops(rule, events)[0];
  const out: NoticeResult = { label: notice.label, basis: notice.basis, dueOn, late: false };
  if (first) {
    out.on = first.from;
    out.late = toDayNumber(first.from) > due;
  }
  return out;
}
