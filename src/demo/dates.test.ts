import { describe, expect, it } from 'vitest';
import { addMonths, addWorkdays, dueAfter, isValidIsoDate, workdaysBetween } from './dates';
import { createRng, partition } from './prng';

describe('dates', () => {
  it('counts working days across the 2026 National Day holiday and its 调休 Saturday', () => {
    // The spec's example: received 2026-09-28, 20 working days → 2026-10-30.
    expect(dueAfter('2026-09-28', { amount: 20, unit: 'working_days' })).toBe('2026-10-30');
    expect(addWorkdays('2026-10-09', 1)).toBe('2026-10-10');
    expect(addWorkdays('2026-10-12', -2)).toBe('2026-10-09');
    expect(workdaysBetween('2026-09-30', '2026-10-09')).toBe(2);
  });

  it('moves calendar and month periods that end on a rest day to the next working day', () => {
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    // 15 days from 16 Sept end on 1 Oct (国庆): the next working day is 8 Oct.
    expect(dueAfter('2026-09-16', { amount: 15, unit: 'calendar_days' })).toBe('2026-10-08');
    expect(dueAfter('2023-03-04', { amount: 2, unit: 'months' })).toBe('2023-05-04');
  });

  it('validates real calendar dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2023-02-29')).toBe(false);
    expect(isValidIsoDate('2023-2-1')).toBe(false);
  });
});

describe('prng', () => {
  it('is reproducible per seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('partitions an exact total with a minimum per part', () => {
    const parts = partition(createRng(1), 751, [1, 2, 3, 0.5, 1.5], 8);
    expect(parts.reduce((s, x) => s + x, 0)).toBe(751);
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(8);
    expect(() => partition(createRng(1), 10, [1, 1, 1], 5)).toThrow();
  });
});
