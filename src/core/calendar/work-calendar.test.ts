import { describe, expect, it } from 'vitest';
import { buildWorkCalendar, loadChineseDaysData, WorkCalendar } from './index';

const cal = buildWorkCalendar();

describe('package data', () => {
  it('detects the years chinese-days knows', () => {
    const data = loadChineseDaysData();
    expect(data.years).toContain(2024);
    expect(data.years).toContain(2026);
    expect(data.years).not.toContain(2030);
    expect(cal.hasData(2026)).toBe(true);
    expect(cal.hasData(2099)).toBe(false);
    const last = Math.max(...data.years);
    expect(cal.missingYears(last - 1, last + 2)).toEqual([last + 1, last + 2]);
  });
});

describe('WorkCalendar with chinese-days', () => {
  it('knows 2026 holidays and adjusted working days', () => {
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-07')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // plain Sunday
    expect(cal.isWorkingDay('2026-10-12')).toBe(true);
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // 春节
  });

  it('describes a day', () => {
    expect(cal.dayInfo('2026-10-01')).toEqual({
      date: '2026-10-01', workday: false, status: 'holiday', name: '国庆节', adjusted: false, override: false, hasData: true,
    });
    expect(cal.dayInfo('2026-10-10')).toMatchObject({ workday: true, status: 'adjusted_workday', adjusted: true, name: '国庆节' });
    expect(cal.dayInfo('2026-10-11')).toMatchObject({ workday: false, status: 'rest', adjusted: false });
    expect(cal.dayInfo('2026-10-11').name).toBeUndefined();
    expect(cal.dayInfo('2026-10-12')).toMatchObject({ workday: true, status: 'workday' });
  });

  it('adds working days over 国庆 and 调休', () => {
    expect(cal.addWorkingDays('2026-09-28', 20)).toBe('2026-10-30');
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(cal.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
    expect(cal.addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
    // Starting on a holiday: the next working day is the first one counted.
    expect(cal.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
  });

  it('counts working days in (a, b]', () => {
    expect(cal.workingDaysBetween('2026-09-28', '2026-10-30')).toBe(20);
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-07')).toBe(0);
    expect(cal.workingDaysBetween('2026-10-30', '2026-09-28')).toBe(0);
  });

  it('finds the next working day on or after a date', () => {
    expect(cal.nextWorkingDayOnOrAfter('2026-10-01')).toBe('2026-10-08');
    expect(cal.nextWorkingDayOnOrAfter('2026-10-08')).toBe('2026-10-08');
    expect(cal.nextWorkingDayOnOrAfter('2026-02-15')).toBe('2026-02-24');
    expect(cal.nextWorkingDayOnOrAfter('2026-03-07')).toBe('2026-03-09');
  });

  it('groups holidays and lists adjusted working days', () => {
    expect(cal.holidaysBetween('2026-09-29', '2026-10-30')).toEqual({
      holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-07', days: 7 }],
      adjustedWorkdays: [{ date: '2026-10-10', name: '国庆节' }],
    });
    const feb = cal.holidaysBetween('2026-02-01', '2026-03-10');
    expect(feb.holidays).toEqual([{ name: '春节', from: '2026-02-15', to: '2026-02-23', days: 9 }]);
    expect(feb.adjustedWorkdays.map((d) => d.date)).toEqual(['2026-02-14', '2026-02-28']);
    expect(WorkCalendar.describeHoliday(feb.holidays[0]!)).toBe('2月15日至23日春节假期');
  });

  it('falls back to plain weekdays in years without data', () => {
    expect(cal.isWorkingDay('2035-10-01')).toBe(true); // a Monday, no schedule known
    expect(cal.dayInfo('2035-10-01').hasData).toBe(false);
    expect(cal.isWorkingDay('2035-10-06')).toBe(false); // Saturday
  });

  it('refuses dates outside its table', () => {
    expect(() => cal.isWorkingDay('1980-01-01')).toThrow(/超出工作日历范围/);
  });
});

describe('overrides', () => {
  const withOverrides = buildWorkCalendar(
    [
      { date: '2026-10-09', kind: 'holiday', name: '抗台停工' },
      { date: '2026-10-10', kind: 'holiday' },
      { date: '2026-10-07', kind: 'workday' },
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-01-09', kind: 'workday', name: '元旦' },
    ],
    [],
  );

  it('win over the package data', () => {
    expect(withOverrides.isWorkingDay('2026-10-09')).toBe(false);
    expect(withOverrides.dayInfo('2026-10-09')).toMatchObject({ name: '抗台停工', override: true, status: 'holiday' });
    expect(withOverrides.isWorkingDay('2026-10-10')).toBe(false);
    expect(withOverrides.isWorkingDay('2026-10-07')).toBe(true);
    expect(withOverrides.dayInfo('2026-10-07')).toMatchObject({ status: 'workday', adjusted: false, override: true });
    expect(withOverrides.dayInfo('2027-01-09')).toMatchObject({ status: 'adjusted_workday', adjusted: true });
  });

  it('single overrides do not make a year covered; imported years do', () => {
    expect(withOverrides.hasData(2027)).toBe(false);
    const imported = buildWorkCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027]);
    expect(imported.hasData(2027)).toBe(true);
    expect(imported.missingYears(2026, 2028)).toEqual([2028]);
  });

  it('change counting', () => {
    expect(withOverrides.addWorkingDays('2026-09-28', 20)).toBe('2026-11-02');
  });

  it('works with no base data at all', () => {
    const bare = new WorkCalendar();
    expect(bare.hasData(2026)).toBe(false);
    expect(bare.isWorkingDay('2026-10-01')).toBe(true);
    expect(bare.addWorkingDays('2026-10-02', 1)).toBe('2026-10-05');
  });
});
