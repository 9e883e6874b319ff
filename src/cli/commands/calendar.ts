import fs from 'node:fs';
import type { CliCommand } from './index';
import { opt, req, UsageError, type Parsed } from '../args';
import { systemActor } from '../../app/context';
import {
  getCalendarYear,
  getDeadlineSettings,
  importCalendar,
  setCalendarDay,
  setNearDays,
  setRulePeriod,
  calendarWarning,
  type CalendarYearView,
  type DeadlineSettingsView,
} from '../../app/calendar-admin';
import { orgByCode } from '../../app/orgs';
import { periodText } from '../../core/deadlines';
import type { DurationUnit } from '../../core/ledgers/types';
import { parseCalendarKind } from '../../core/calendar';
import { todayShanghai } from '../../core/time';
import { OVERDUE_COMMANDS } from './overdue';

const is = (p: Parsed, sub: string) => p.positionals[0] === 'calendar' && p.positionals[1] === sub;

/** Lines of `calendar show`: the year's holidays, adjusted working days and overrides. */
export function formatCalendarYear(v: CalendarYearView): string[] {
  const lines = [`${v.year}年工作日历：${v.hasData ? '已有国务院节假日安排' : '尚无节假日安排（按普通周末推算，涉及的期限为暂定）'}`];
  const special = v.days.filter((d) => d.status === 'holiday' || d.status === 'adjusted_workday' || d.override);
  if (!special.length) lines.push('  （无节假日、调休或人工调整）');
  for (const d of special) {
    const what = d.status === 'holiday' ? '放假' : d.status === 'adjusted_workday' ? '调休上班' : d.workday ? '上班' : '休息';
    lines.push(`  ${d.date}  ${what}${d.name ? `  ${d.name}` : ''}${d.source === 'override' ? '  （人工调整）' : d.source === 'imported' ? '  （导入）' : ''}`);
  }
  const warning = calendarWarning(v.missingYears);
  if (warning) lines.push(`注意：${warning}`);
  return lines;
}

const setCommand: CliCommand = {
  usage: 'calendar set YYYY-MM-DD holiday|workday|clear [--name 名称]   人工调整某天（clear：取消调整），并重算受影响的期限',
  matches: (p) => is(p, 'set'),
  async run(ctx, p) {
    const [, , date, rawKind] = p.positionals;
    if (!date || !rawKind) throw new UsageError('用法：calendar set 2027-01-01 holiday [--name 元旦]');
    const clear = ['clear', 'none', 'null', '取消'].includes(rawKind.toLowerCase());
    const kind = clear ? null : parseCalendarKind(rawKind);
    if (!clear && !kind) throw new UsageError(`类型“${rawKind}”无效，应为 holiday（放假）、workday（上班）或 clear（取消调整）`);
    const r = await setCalendarDay(ctx, systemActor(), date, kind, opt(p, 'name'));
    const what = r.day.workday ? (r.day.adjusted ? '调休上班' : '上班') : '休息/放假';
    console.log(`${date} 已${clear ? '取消人工调整，现为' : '设为'}${what}${r.day.name ? `（${r.day.name}）` : ''}；重新计算期限 ${r.recomputed} 件`);
  },
};

const importCommand: CliCommand = {
  usage: 'calendar import FILE                              导入整年节假日安排（JSON 或 CSV：date,kind,name）',
  matches: (p) => is(p, 'import'),
  async run(ctx, p) {
    const file = p.positionals[2];
    if (!file) throw new UsageError('缺少文件：calendar import FILE');
    const text = fs.readFileSync(file, 'utf8');
    const format = /\.csv$/i.test(file) ? 'csv' : /\.json$/i.test(file) ? 'json' : undefined;
    const r = await importCalendar(ctx, systemActor(), text, format);
    console.log(`已导入 ${r.years.join('、')} 年节假日安排 ${r.imported} 天；重新计算期限 ${r.recomputed} 件`);
    for (const w of r.warnings) console.log(`提示：${w}`);
    const warning = calendarWarning(r.missingYears);
    if (warning) console.log(`注意：${warning}`);
  },
};

const showCommand: CliCommand = {
  usage: 'calendar show [--year YYYY]                       显示某年的节假日、调休和人工调整',
  matches: (p) => is(p, 'show'),
  async run(ctx, p) {
    const y = opt(p, 'year');
    const year = y === undefined ? Number(todayShanghai(ctx.now()).slice(0, 4)) : Number(y);
    if (!Number.isInteger(year)) throw new UsageError(`年份“${y}”无效`);
    for (const l of formatCalendarYear(await getCalendarYear(ctx, year))) console.log(l);
  },
};

const isDeadlines = (p: Parsed, sub: string) => p.positionals[0] === 'deadlines' && p.positionals[1] === sub;

/** Lines of `deadlines show`: the 临期 window and the org unit's configurable periods. */
export function formatDeadlineSettings(v: DeadlineSettingsView): string[] {
  const lines = [`临期提醒：到期前${v.nearDays}个工作日内`, `${v.orgName}可调整的期限：`];
  for (const r of v.rules) {
    lines.push(`  ${r.kind} ${r.rule}  ${r.kindLabel}${r.label}  ${periodText(r.period)}${r.overridden ? `（本组织设置；默认${periodText(r.default)}）` : '（默认）'}`);
  }
  return lines;
}

const UNITS: Record<string, DurationUnit> = {
  calendar_days: 'calendar_days',
  days: 'calendar_days',
  日: 'calendar_days',
  天: 'calendar_days',
  working_days: 'working_days',
  工作日: 'working_days',
  months: 'months',
  月: 'months',
};

const deadlinesShowCommand: CliCommand = {
  usage: 'deadlines show --org CODE                         显示临期提醒天数和该组织可调整的期限',
  matches: (p) => isDeadlines(p, 'show'),
  async run(ctx, p) {
    const org = await orgByCode(ctx.storage.db, req(p, 'org'));
    for (const l of formatDeadlineSettings(await getDeadlineSettings(ctx, systemActor(), org.id))) console.log(l);
  },
};

const nearDaysCommand: CliCommand = {
  usage: 'deadlines near-days N                             设置临期提醒天数（到期前N个工作日内为临期）',
  matches: (p) => isDeadlines(p, 'near-days'),
  async run(ctx, p) {
    const raw = p.positionals[2];
    if (raw === undefined || !/^\d+$/.test(raw)) throw new UsageError('用法：deadlines near-days 5');
    const r = await setNearDays(ctx, systemActor(), Number(raw));
    console.log(`临期提醒天数已设为${r.nearDays}个工作日；重新判定期限状态 ${r.recomputed} 件`);
  },
};

const periodCommand: CliCommand = {
  usage: 'deadlines period KIND RULE N UNIT|default --org CODE  设置某组织可调整期限（UNIT：calendar_days、working_days、months）',
  matches: (p) => isDeadlines(p, 'period'),
  async run(ctx, p) {
    const [, , kind, rule, amount, unit] = p.positionals;
    const usage = '用法：deadlines period legality_review review 10 working_days --org miaohang（或 … review default 恢复默认）';
    if (!kind || !rule || !amount) throw new UsageError(usage);
    const org = await orgByCode(ctx.storage.db, req(p, 'org'));
    let period: { amount: number; unit: DurationUnit } | null = null;
    if (amount !== 'default') {
      const u = unit === undefined ? undefined : UNITS[unit];
      if (!/^\d+$/.test(amount) || !u) throw new UsageError(usage);
      period = { amount: Number(amount), unit: u };
    }
    const r = await setRulePeriod(ctx, systemActor(), { orgId: org.id, kind, rule, period });
    console.log(`${org.name} ${kind}.${rule} 期限为${periodText(r.period)}${r.overridden ? '' : '（默认）'}；重新计算期限 ${r.recomputed} 件`);
  },
};

/** The deadline module's commands: calendar administration, the reminder sweep and the overdue report. */
export const DEADLINE_COMMANDS: CliCommand[] = [setCommand, importCommand, showCommand, deadlinesShowCommand, nearDaysCommand, periodCommand, ...OVERDUE_COMMANDS];
