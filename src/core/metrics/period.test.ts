import { describe, expect, it } from 'vitest';
import { describeRange, periodRange, shiftRange, todayInShanghai } from './period';

describe('periods', () => {
  it('turns years, quarters, months and ranges into inclusive calendar dates', () => {
    expect(periodRange({ year: 2023 })).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(periodRange({ year: 2024, quarter: 1 })).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(periodRange({ year: 2023, quarter: 4 })).toEqual({ from: '2023-10-01', to: '2023-12-31' });
    expect(periodRange({ year: 2024, month: 2 })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange({ from: '2023-03-05', to: '2023-04-01' })).toEqual({ from: '2023-03-05', to: '2023-04-01' });
    expect(() => periodRange({ from: '2023-02-30', to: '2023-04-01' })).toThrow('期间日期无效');
    expect(() => periodRange({ from: '2023-05-01', to: '2023-04-01' })).toThrow('起始日期晚于结束日期');
    expect(() => periodRange({ year: 2023, month: 13 })).toThrow('月份无效');
    // A quarter from outside (JSON, a query string) is checked, not turned into month 13.
    expect(() => periodRange({ year: 2023, quarter: 5 as 1 })).toThrow('季度无效');
  });

  it('shifts a period by a year, keeping month ends', () => {
    expect(shiftRange({ from: '2024-02-01', to: '2024-02-29' }, -1)).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(shiftRange({ from: '2023-02-01', to: '2023-02-28' }, 1)).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(shiftRange({ from: '2023-03-05', to: '2023-04-10' }, -1)).toEqual({ from: '2022-03-05', to: '2022-04-10' });
  });

  it('takes the calendar date in Asia/Shanghai', () => {
    // 16:30 UTC on 31 December is already 1 January in Shanghai.
    expect(todayInShanghai(new Date('2023-12-31T16:30:00Z'))).toBe('2024-01-01');
    expect(todayInShanghai(new Date('2023-12-31T15:59:59Z'))).toBe('2023-12-31');
  });

  it('describes a period in Chinese', () => {
    expect(describeRange(periodRange({ year: 2023 }))).toBe('2023年');
    expect(describeRange(periodRange({ year: 2023, quarter: 2 }))).toBe('2023年第二季度');
    expect(describeRange(periodRange({ year: 2023, month: 7 }))).toBe('2023年7月');
    expect(describeRange({ from: '2023-03-05', to: '2023-04-01' })).toBe('2023-03-05至2023-04-01');
  });
});
