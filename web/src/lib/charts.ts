import type { Dashboard } from '../api/types';

/** Plain option objects (typed loosely so this file needs no ECharts import and stays unit-testable). */
export interface ChartOption {
  [key: string]: unknown;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
const PALETTE = ['#1f5fbf', '#b3261e', '#e6a23c', '#67c23a', '#909399', '#7b61ff', '#00a2ae', '#f56c6c', '#3d7bd9', '#d48806', '#389e0d', '#531dab', '#c41d7f', '#08979c', '#ad8b00', '#5b8c00'];

/** Records per month, stacked by kind; kinds with no record all year are left out to keep the legend short. */
export function byMonthOption(byMonth: Dashboard['byMonth'], labels: Map<string, string>): ChartOption {
  const series = Object.entries(byMonth)
    .filter(([, counts]) => counts.some((n) => n > 0))
    .map(([kind, counts]) => ({ name: labels.get(kind) ?? kind, type: 'bar', stack: 'total', data: counts, barMaxWidth: 28 }));
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: MONTHS },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
}

export function byDeptOption(byDept: Dashboard['byDept']): ChartOption {
  const sorted = [...byDept].sort((a, b) => a.count - b.count);
  return {
    color: ['#1f5fbf'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 110, right: 30, top: 10, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: sorted.map((d) => d.dept), axisLabel: { width: 100, overflow: 'truncate' } },
    series: [{ type: 'bar', data: sorted.map((d) => d.count), barMaxWidth: 18, label: { show: true, position: 'right' } }],
  };
}

/** On-time rates in percent; kinds without closed records (rate null) show no bar rather than 0%. */
export function onTimeOption(onTime: Dashboard['onTime']): ChartOption {
  return {
    color: ['#67c23a'],
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '无数据') },
    grid: { left: 40, right: 16, top: 16, bottom: 60 },
    xAxis: { type: 'category', data: onTime.map((o) => o.label), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        data: onTime.map((o) => (o.rate === null ? null : Math.round(o.rate * 1000) / 10)),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}
