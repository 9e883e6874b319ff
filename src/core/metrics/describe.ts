/** Chinese wording of a metric's filters, for the "which filter produced this figure" explanation. */
import type { LedgerDef } from '../ledgers/types';
import type { Filter, MetricColumn } from './types';

const COLUMN_LABELS: Record<MetricColumn, string> = {
  status: '状态',
  deadlineState: '期限状态',
  closedOn: '办结日期',
  dueOn: '到期日期',
};

function show(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? '是' : '否') : String(v);
}

export function describeFilter(f: Filter, ledger: LedgerDef): string {
  if ('anyOf' in f) return `（${f.anyOf.map((x) => describeFilter(x, ledger)).join(' 或 ')}）`;
  const name = 'column' in f ? COLUMN_LABELS[f.column] : (ledger.fields.find((x) => x.key === f.field)?.label ?? f.field);
  if ('within' in f) {
    const of = ledger.fields.find((x) => x.key === f.within.of)?.label ?? f.within.of;
    return `${name}在${of}后${f.within.days}日内`;
  }
  if ('eq' in f) return `${name}为“${show(f.eq)}”`;
  if ('in' in f) return `${name}为${f.in.map((v) => `“${show(v)}”`).join('、')}之一`;
  if ('notIn' in f) return `${name}不为${f.notIn.map((v) => `“${show(v)}”`).join('、')}`;
  return f.present ? `已填写${name}` : `未填写${name}`;
}

export function describeFilters(filters: readonly Filter[], ledger: LedgerDef): string {
  return filters.map((f) => describeFilter(f, ledger)).join('，且');
}
