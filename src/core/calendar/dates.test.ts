import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  civilFromDays,
  daysBetween,
  daysFromCivil,
  formatDaySpan,
  fromDayNumber,
  isIsoDate,
  toDayNumber,
  tryParseDate,
  weekdayOf,
} from './dates';

describe('date arithmetic', () => {
  it('round-trips every day from 1990 to 2150', () => {
    const from = daysFromCivil(1990, 1, 1);
    const to = daysFromCivil(2150, 12, 31);
    for (let d = from; d <= to; d++) expect(toDayNumber(fromDayNumber(d))).toBe(d);
  });

  it('agrees with UTC Date on known days', () => {
    for (const s of ['1970-01-01', '2000-02-29', '2024-02-29', '2026-10-01', '2100-03-01']) {
      expect(toDayNumber(s)).toBe(Date.parse(`${s}T00:00:00Z`) / 86_400_000);
    }
    expect(civilFromDays(0)).toEqual([1970, 1, 1]);
  });

  it('rejects malformed and impossible dates', () => {
    for (const s of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-2-3', '2026/02/03', '', 'abcd-ef-gh', '2100-02-29']) {
      expect(isIsoDate(s)).toBe(false);
      expect(Number.isNaN(tryParseDate(s))).toBe(true);
    }
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(() => toDayNumber('2026-02-30')).toThrow(/日期格式无效/);
  });

  it('knows weekdays', () => {
    expect(weekdayOf(toDayNumber('2026-02-14'))).toBe(6); // Saturday
    expect(weekdayOf(toDayNumber('2026-09-20'))).toBe(0); // Sunday
    expect(weekdayOf(toDayNumber('2026-10-01'))).toBe(4); // Thursday
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-09-28', '2026-10-30')).toBe(32);
  });

  it('adds months clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-12-15', 2)).toBe('2027-02-15');
    expect(addMonths('2026-05-15', -5)).toBe('2025-12-15');
  });

  it('formats spans in Chinese', () => {
    expect(formatDaySpan(toDayNumber('2026-10-01'), toDayNumber('2026-10-07'))).toBe('10月1日至7日');
    expect(formatDaySpan(toDayNumber('2026-09-30'), toDayNumber('2026-10-02'))).toBe('9月30日至10月2日');
    expect(formatDaySpan(toDayNumber('2026-04-05'), toDayNumber('2026-04-05'))).toBe('4月5日');
    expect(formatDaySpan(toDayNumber('2026-12-31'), toDayNumber('2027-01-02'), 2026)).toBe('12月31日至2027年1月2日');
  });
});
