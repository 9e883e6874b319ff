import fs from 'node:fs';
import type { CliCommand } from './index';
import { opt, UsageError, type Parsed } from '../args';
import { systemActor } from '../../app/context';
import { getCalendarYear, importCalendar, setCalendarDay, calendarWarning, type CalendarYearView } from '../../app/calendar-admin';
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
    lines.push(`  ${d.date}  ${what}${d.name ? `  ${d.name}` : ''}${d.override ? '  （人工调整）' : ''}`);
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

/** The deadline module's commands: calendar administration, the reminder sweep and the overdue report. */
export const DEADLINE_COMMANDS: CliCommand[] = [setCommand, importCommand, showCommand, ...OVERDUE_COMMANDS];
