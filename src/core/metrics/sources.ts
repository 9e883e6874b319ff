/** For each figure, the filter that produced it: what the API returns beside the value. */
import type { MetricCatalog } from './catalog';
import { describeFilters } from './describe';
import { describeRange, shiftRange } from './period';
import type { MetricPlan } from './plan';
import type { DateRange, Filter, MetricType, OrgScope } from './types';

export interface MetricSource {
  type: MetricType;
  label: string;
  unit: string;
  kind?: string;
  filters: Filter[];
  numerator?: Filter[];
  denominator?: Filter[];
  /** Summed, grouped or listed field. */
  field?: string;
  dateField?: string;
  period: DateRange;
  orgScope: OrgScope;
  /** Metrics this one is computed from (yoy, composite). */
  of?: string[];
  /** Chinese sentence: which records, which dates, which condition. */
  explain: string;
}

export function metricSources(plan: MetricPlan, catalog: MetricCatalog, range: DateRange, orgScope: OrgScope): Record<string, MetricSource> {
  const out: Record<string, MetricSource> = {};
  for (const key of plan.keys) {
    const def = catalog.get(key);
    if (!def) continue;
    if (def.type === 'yoy' || def.type === 'composite') {
      const of = def.type === 'yoy' ? [def.of] : def.of;
      const names = of.map((k) => `「${catalog.get(k)?.label ?? k}」`).join('、');
      out[key] = {
        type: def.type,
        label: def.label,
        unit: def.unit,
        filters: [],
        period: range,
        orgScope,
        of,
        explain:
          def.type === 'yoy'
            ? `${names}${describeRange(range)}与${describeRange(shiftRange(range, -1))}相比的变化（本期−上年同期）÷上年同期`
            : `${names}之和`,
      };
      continue;
    }
    const scope = plan.scopes.get(`${key}@0`);
    if (!scope) continue;
    const { ledger } = scope;
    const filters = def.filters ?? [];
    const dateLabel = ledger.fields.find((f) => f.key === scope.dateField)?.label ?? scope.dateField;
    const where = `“${ledger.label}”中${dateLabel}在${describeRange(scope.range)}的记录${filters.length ? `，且${describeFilters(filters, ledger)}` : ''}`;
    const fieldLabel = (k: string): string => ledger.fields.find((f) => f.key === k)?.label ?? k;
    let explain: string;
    let extra: Partial<MetricSource> = {};
    switch (def.type) {
      case 'count':
        explain = `${where}的数量`;
        break;
      case 'sum':
        explain = `${where}的“${fieldLabel(def.field)}”之和`;
        extra = { field: def.field };
        break;
      case 'rate':
        explain = `${where}中，${def.numerator.length ? describeFilters(def.numerator, ledger) : '全部记录'}的数量÷${def.denominator.length ? describeFilters(def.denominator, ledger) : '全部记录'}的数量`;
        extra = { numerator: def.numerator, denominator: def.denominator };
        break;
      case 'by':
        explain = `${where}按“${fieldLabel(def.field)}”分别计数`;
        extra = { field: def.field };
        break;
      case 'list': {
        const f = def.field ?? ledger.titleField ?? ledger.occurredOn;
        explain = `${where}的“${fieldLabel(f)}”列表${def.detail ? `（附“${fieldLabel(def.detail)}”）` : ''}`;
        extra = { field: f };
        break;
      }
    }
    out[key] = {
      type: def.type,
      label: def.label,
      unit: def.unit,
      kind: def.kind,
      filters,
      dateField: scope.dateField,
      period: scope.range,
      orgScope,
      explain,
      ...extra,
    };
  }
  return out;
}
