/** Stable, diff-friendly order for generated files: catalog order of kinds, then by date. */
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { ExchangeLine } from './exchange';

export function sortLines(lines: readonly ExchangeLine[]): ExchangeLine[] {
  const order = new Map(BUILTIN_LEDGERS.map((d, i) => [d.kind, i]));
  const dateOf = (l: ExchangeLine): string => {
    const def = BUILTIN_LEDGERS.find((d) => d.kind === l.kind);
    return def ? String(l[def.occurredOn] ?? '') : '';
  };
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => (order.get(a.line.kind) ?? 99) - (order.get(b.line.kind) ?? 99) || dateOf(a.line).localeCompare(dateOf(b.line)) || a.i - b.i)
    .map(({ line }) => line);
}
