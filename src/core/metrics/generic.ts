/**
 * Metrics every ledger kind has without code, derived from its definition: `K.count`, `K.by_F` for
 * every enum / multienum / bool field, `K.sum_N` for every int / money / number field, on-time
 * figures for kinds with a deadline, and `indicator.<code>` / `indicator.<code>_yoy` for every
 * indicator code (including codes an admin adds to the indicator kind).
 */
import type { LedgerDef } from '../ledgers/types';
import type { MetricDef, MetricUnit } from './types';

/** Units of a record count for the built-in kinds whose records are not 件. */
const COUNT_UNITS: Record<string, MetricUnit> = {
  task: '项',
  training: '期',
  publicity_activity: '场次',
  legal_consultation: '条',
  enterprise_service: '次',
  indicator: '条',
};

export const INDICATOR_KIND = 'indicator';

/** Indicator codes and their Chinese labels, read from the indicator kind's `code` field. */
export function indicatorCodes(ledger: LedgerDef): { code: string; label: string }[] {
  const field = ledger.fields.find((f) => f.key === 'code');
  if (!field?.options) return [];
  // The help text lists `code：label` pairs separated by `；` (see kinds/indicator.ts).
  const labels = new Map<string, string>();
  for (const part of (field.help ?? '').split('；')) {
    const [code, label] = part.split('：');
    if (code && label) labels.set(code.trim(), label.trim());
  }
  // The definition's optionLabels name the codes; older custom versions named them in the help text.
  return field.options.map((code) => ({ code, label: field.optionLabels?.[code] ?? labels.get(code) ?? code }));
}

export function genericMetrics(ledger: LedgerDef): MetricDef[] {
  const K = ledger.kind;
  const out: MetricDef[] = [{ key: `${K}.count`, type: 'count', kind: K, label: `${ledger.label}数量`, unit: COUNT_UNITS[K] ?? '件' }];
  for (const f of ledger.fields) {
    if (f.type === 'enum' || f.type === 'bool' || f.type === 'multienum') {
      out.push({
        key: `${K}.by_${f.key}`,
        type: 'by',
        kind: K,
        field: f.key,
        label: `${ledger.label}按${f.label}统计`,
        unit: COUNT_UNITS[K] ?? '件',
        // Parts of a required single-valued field add up to the count; that is a consistency rule.
        ...(f.required && f.type !== 'multienum' ? { partsOf: `${K}.count` } : {}),
      });
    }
    if (f.type === 'int' || f.type === 'money' || f.type === 'number') {
      out.push({
        key: `${K}.sum_${f.key}`,
        type: 'sum',
        kind: K,
        field: f.key,
        label: `${ledger.label}${f.label}合计`,
        unit: f.type === 'money' ? '元' : '',
        ...(f.required ? { requires: [f.key] } : {}),
      });
    }
  }
  if (ledger.deadlines?.length) {
    out.push(
      {
        key: `${K}.on_time_rate`,
        type: 'rate',
        kind: K,
        numerator: [{ column: 'deadlineState', eq: '按期办结' }],
        denominator: [{ column: 'deadlineState', in: ['按期办结', '逾期办结'] }],
        label: `${ledger.label}按期办结率`,
        unit: '%',
        better: 'higher',
      },
      { key: `${K}.closed_on_time`, type: 'count', kind: K, filters: [{ column: 'deadlineState', eq: '按期办结' }], label: `${ledger.label}按期办结数`, unit: '件' },
      { key: `${K}.closed_late`, type: 'count', kind: K, filters: [{ column: 'deadlineState', eq: '逾期办结' }], label: `${ledger.label}逾期办结数`, unit: '件', better: 'lower' },
      { key: `${K}.overdue`, type: 'count', kind: K, filters: [{ column: 'deadlineState', eq: '逾期' }], label: `${ledger.label}逾期未办结数`, unit: '件', better: 'lower' },
    );
  }
  if (K === INDICATOR_KIND) {
    for (const { code, label } of indicatorCodes(ledger)) {
      out.push(
        {
          key: `${K}.${code}`,
          type: 'sum',
          kind: K,
          field: 'value',
          filters: [{ field: 'code', eq: code }],
          // An indicator nobody reported is unknown, not zero.
          emptyAs: 'null',
          label,
          unit: '',
        },
        { key: `${K}.${code}_yoy`, type: 'yoy', of: `${K}.${code}`, label: `${label}同比`, unit: '%' },
      );
    }
  }
  return out;
}
