import { describe, expect, it } from 'vitest';
import { byDeptOption, byMonthOption, onTimeOption } from './charts';

describe('chart options', () => {
  it('stacks months by kind and drops empty kinds', () => {
    const opt = byMonthOption({ training: [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3], dispute: Array(12).fill(0) }, new Map([['training', '培训与学法']]));
    const series = opt.series as { name: string; data: number[] }[];
    expect(series).toHaveLength(1);
    expect(series[0]!.name).toBe('培训与学法');
    expect(series[0]!.data[11]).toBe(3);
  });
  it('sorts departments so the largest bar is on top', () => {
    const opt = byDeptOption([{ dept: '司法所', count: 5 }, { dept: '执法队', count: 9 }, { dept: '办公室', count: 1 }]);
    expect((opt.yAxis as { data: string[] }).data).toEqual(['办公室', '司法所', '执法队']);
  });
  it('shows rates as percentages and leaves no-data rates empty', () => {
    const opt = onTimeOption([{ kind: 'petition', label: '信访事项', rate: 0.9512 }, { kind: 'dispute', label: '矛盾纠纷', rate: null }]);
    expect((opt.series as { data: (number | null)[] }[])[0]!.data).toEqual([95.1, null]);
  });
});
