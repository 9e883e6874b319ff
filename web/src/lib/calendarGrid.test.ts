import { describe, expect, it } from 'vitest';
import { monthGrid } from './calendarGrid';
import type { CalendarDay } from '../api/types';

describe('monthGrid', () => {
  it('lays out October 2024 Monday-first with the National Day holiday and the 调休 Saturday', () => {
    const days = new Map<string, CalendarDay>([
      ['2024-10-01', { date: '2024-10-01', workday: false, name: '国庆节' }],
      ['2024-10-12', { date: '2024-10-12', workday: true, name: '国庆节', adjusted: true }],
    ]);
    const weeks = monthGrid(2024, 10, days);
    expect(weeks[0]![0]).toBeNull(); // 2024-10-01 is a Tuesday
    const oct1 = weeks[0]![1]!;
    expect([oct1.date, oct1.workday, oct1.special, oct1.name]).toEqual(['2024-10-01', false, true, '国庆节']);
    const oct12 = weeks.flat().find((c) => c?.date === '2024-10-12')!;
    expect([oct12.weekday, oct12.workday, oct12.special]).toEqual([5, true, true]);
    const oct13 = weeks.flat().find((c) => c?.date === '2024-10-13')!;
    expect([oct13.workday, oct13.special]).toEqual([false, false]);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
  });
});
