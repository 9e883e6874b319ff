/** Plain-JS figures over parsed exchange lines, used by the dataset tests to recompute metrics. */
import type { ExchangeLine } from './exchange';

export function inYear(value: unknown, year: number): boolean {
  return typeof value === 'string' && value.startsWith(`${year}-`);
}

export function ofKind(lines: readonly ExchangeLine[], kind: string): ExchangeLine[] {
  return lines.filter((l) => l.kind === kind);
}

export function sum(lines: readonly ExchangeLine[], field: string): number {
  return lines.reduce((s, l) => s + (typeof l[field] === 'number' ? (l[field] as number) : 0), 0);
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Year-on-year change of the summed indicator `code`, as the spec defines it. */
export function indicatorYoy(lines: readonly ExchangeLine[], code: string, year: number): number {
  const total = (y: number): number => sum(ofKind(lines, 'indicator').filter((l) => l.code === code && inYear(l.period, y)), 'value');
  const last = total(year - 1);
  return (total(year) - last) / last;
}
