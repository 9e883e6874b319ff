/**
 * Consistency checks a report can rely on, over computed figures and their definitions:
 * parts add up to their total, a rate's numerator never exceeds its denominator, and records that
 * lack a field a metric needs are counted (those counts come from the same aggregate queries).
 */
import type { LedgerMap, MetricCatalog } from './catalog';
import type { MetricValue } from './types';

export interface ConsistencyWarning {
  metricKey: string;
  /** Chinese, shown on the report. */
  message: string;
}

export interface ConsistencyInput {
  values: Readonly<Record<string, MetricValue>>;
  rateParts?: Readonly<Record<string, { numerator: number; denominator: number }>>;
  missing?: Readonly<Record<string, Record<string, number>>>;
  catalog: MetricCatalog;
  ledgers: LedgerMap;
}

export function checkConsistency(input: ConsistencyInput): ConsistencyWarning[] {
  const { values, catalog, ledgers } = input;
  const out: ConsistencyWarning[] = [];
  const label = (key: string): string => catalog.get(key)?.label ?? key;
  for (const [key, value] of Object.entries(values)) {
    const def = catalog.get(key);
    if (!def) continue;
    if (def.type === 'by' && def.partsOf && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const total = values[def.partsOf];
      if (typeof total === 'number') {
        const sum = Object.values(value).reduce((a, b) => a + b, 0);
        if (sum !== total)
          out.push({
            metricKey: key,
            message: `「${def.label}」各项之和为${sum}，与「${label(def.partsOf)}」${total}不一致（相差${Math.abs(total - sum)}），请检查是否有记录未填写或填写了无效的“${fieldLabel(ledgers, def.kind, def.field)}”`,
          });
      }
    }
    if (def.type === 'rate') {
      const parts = input.rateParts?.[key];
      const over = parts ? parts.numerator > parts.denominator : typeof value === 'number' && value > 1;
      if (over)
        out.push({
          metricKey: key,
          message: parts
            ? `「${def.label}」的分子（${parts.numerator}）大于分母（${parts.denominator}），请检查指标定义或记录`
            : `「${def.label}」超过100%，请检查指标定义或记录`,
        });
    }
  }
  for (const [key, fields] of Object.entries(input.missing ?? {})) {
    const def = catalog.get(key);
    if (!def || !('kind' in def)) continue;
    for (const [field, n] of Object.entries(fields)) {
      if (n > 0)
        out.push({
          metricKey: key,
          message: `有${n}条“${ledgers.get(def.kind)?.label ?? def.kind}”记录未填写“${fieldLabel(ledgers, def.kind, field)}”，未计入「${def.label}」`,
        });
    }
  }
  return out;
}

function fieldLabel(ledgers: LedgerMap, kind: string, field: string): string {
  return ledgers.get(kind)?.fields.find((f) => f.key === field)?.label ?? field;
}
