import { civilFromDays, formatMonthDay, fromDayNumber, toDayNumber, type IsoDate } from '../calendar/dates';
import { WorkCalendar } from '../calendar/work-calendar';
import type { DeadlineRuleDef, LedgerDef } from '../ledgers/types';
import { fieldLabel, fieldVerb, periodText } from './rules';
import type { DeadlineResult } from './types';

/**
 * Chinese explanation of how a due date was reached, e.g.
 * 2026-09-28 收到申请，按20个工作日计算（10月1日至7日国庆节假期不计，10月10日调休上班计入），应于2026-10-30前答复
 */
export function explainDeadline(
  cal: WorkCalendar,
  def: LedgerDef,
  rule: DeadlineRuleDef,
  r: DeadlineResult,
  extra: { end: number; originalDue: IsoDate | null },
): string {
  // The period counts from the corrected request after a 补正 (art. 30), else from the start date.
  const start = toDayNumber(r.restart ? r.restart.startOn : r.startOn);
  const due = toDayNumber(r.dueOn);
  const refYear = civilFromDays(start)[0];
  const doneVerb = fieldVerb(def, rule.doneField);
  const working = r.period.unit === 'working_days';
  const parts: string[] = [];

  if (r.period.amount === 0 && !r.extension && r.stops.length === 0) {
    parts.push(`${fieldLabel(def, rule.startField)}为${r.startOn}`);
  } else {
    const notes: string[] = [];
    if (r.variant) notes.push(r.variant);
    if (working && due > start) {
      const { holidays, adjustedWorkdays } = cal.holidaysBetweenN(start + 1, due);
      const calendarNotes: string[] = [];
      if (holidays.length) calendarNotes.push(`${holidays.map((h) => WorkCalendar.describeHoliday(h, refYear)).join('、')}不计`);
      if (adjustedWorkdays.length) {
        calendarNotes.push(`${adjustedWorkdays.map((d) => formatMonthDay(toDayNumber(d.date), refYear)).join('、')}调休上班计入`);
      }
      if (calendarNotes.length) notes.push(calendarNotes.join('，'));
    }
    const noteText = notes.length ? `（${notes.join('；')}）` : '';
    if (r.restart) {
      parts.push(`${r.startOn} ${fieldVerb(def, rule.startField)}`, restartNoticeText(r));
      const label = rule.restart?.label ?? '重新起算';
      if (r.restart.open) {
        parts.push(`停止计时，${label}之日起重新计算${periodText(r.period)}，暂按${r.restart.startOn}${label}计算${noteText}`);
      } else {
        parts.push(`${r.restart.startOn} ${label}，重新计算${periodText(r.period)}${noteText}`);
      }
    } else {
      parts.push(`${r.startOn} ${fieldVerb(def, rule.startField)}，按${periodText(r.period)}计算${noteText}`);
    }
  }

  const stopUnit = working ? '个工作日' : '日';
  for (const s of r.stops) {
    if (s.open) {
      parts.push(`自${s.from}起${s.state}（${s.reason}），停止计时，截至${s.to}已停止${s.days}${stopUnit}，期限相应顺延`);
    } else if (s.days > 0) {
      parts.push(`${s.from}至${s.to}${s.state}（${s.reason}），停止计时${s.days}${stopUnit}`);
    }
  }

  if (r.extension) {
    const ext = r.extension;
    const label = rule.extension?.label ?? '延期';
    const who = ext.by && ext.on ? `经${ext.by}于${ext.on}批准` : '经批准';
    const why = ext.reason ? `（理由：${ext.reason}）` : '';
    const was = extra.originalDue ? `，原应于${extra.originalDue}前${doneVerb}` : '';
    parts.push(`${who}${label.replace(/^经批准/, '')}${periodText(ext.period)}${why}${was}`);
  }

  if (extra.end !== due) {
    const endDate = fromDayNumber(extra.end);
    const name = cal.dayNameN(extra.end);
    const what = cal.dayStatusN(extra.end) === 'holiday' ? `${name ?? '法定'}假期` : '休息日';
    parts.push(`期满日${endDate}为${what}，顺延至${r.dueOn}`);
  }

  let text = `${parts.join('，')}，应于${r.dueOn}前${doneVerb}`;
  if (r.doneOn && (r.state === '按期办结' || r.state === '逾期办结')) text += `；${r.doneOn}已${doneVerb}，${r.state}`;
  if (r.provisional) {
    text += `（${r.missingYears.join('、')}年节假日安排尚无数据，暂按周六、周日休息推算，日期为暂定）`;
  }
  return text;
}

/** `2026-03-04起补正中（申请内容不明确；补正告知期限2026-03-11，逾期告知）`. */
function restartNoticeText(r: DeadlineResult): string {
  const rs = r.restart!;
  const notes = [rs.reason];
  if (r.notice?.on !== undefined) notes.push(`${r.notice.label}${r.notice.dueOn}，${r.notice.late ? '逾期告知' : '按期告知'}`);
  const text = notes.filter(Boolean).join('；');
  return `${rs.from}起${rs.state}${text ? `（${text}）` : ''}`;
}
