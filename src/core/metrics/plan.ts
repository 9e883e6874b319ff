/**
 * The query planner: turns the requested metrics into a handful of aggregate queries — one per
 * (kind, date field, period) using conditional aggregation, plus a list query per list metric and a
 * group-by query only for a `by` over a field without fixed values — and evaluates their raw
 * results into figures. Pure: the SQL for these descriptions is written in src/db/metrics-sql.ts.
 */
import type { FieldDef, LedgerDef } from '../ledgers/types';
import type { LedgerMap, MetricCatalog } from './catalog';
import { shiftRange } from './period';
import type { DateRange, Filter, KindMetricDef, MetricDef, MetricValue } from './types';

/** One aggregate column: count of records matching `filters`, or sum of a numeric field over them. */
export interface AggSpec {
  alias: string;
  op: 'count' | 'sum';
  filters: Filter[];
  field?: string;
}

/** How the period applies: the indexed `occurred_on` column, or a date / month field of the data. */
export type DateColumn = 'occurred' | 'date' | 'month';

export interface RecordScope {
  ledger: LedgerDef;
  dateField: string;
  dateColumn: DateColumn;
  range: DateRange;
}

export interface QueryGroup extends RecordScope {
  id: string;
  aggs: AggSpec[];
}

export interface ListQuery extends RecordScope {
  id: string;
  filters: Filter[];
  field: string;
  /** ListMetric.detail. */
  detail?: string;
}

/** One record's entry of a list query: its item, and its detail where the list has one. */
export type ListEntry = string | { text: string; detail: string | null };

export interface GroupByQuery extends RecordScope {
  id: string;
  filters: Filter[];
  field: FieldDef;
}

/** Raw results: per query group, per alias; per list query, values; per group-by query, counts. */
export interface RawResults {
  aggs: Map<string, Record<string, number | null>>;
  lists: Map<string, ListEntry[]>;
  groupBys: Map<string, Record<string, number>>;
}

type Planned =
  | { type: 'count'; group: string; n: string }
  | { type: 'sum'; group: string; s: string; present: string; emptyAs: 'zero' | 'null' }
  | { type: 'rate'; group: string; num: string; den: string }
  | { type: 'by'; group: string; options: [string, string][]; unknown: string | null; groupBy: GroupByQuery | null }
  | { type: 'list'; list: string }
  | { type: 'yoy'; cur: string; last: string }
  | { type: 'composite'; parts: string[] };

export interface MetricPlan {
  /** Requested keys, in order. */
  keys: string[];
  groups: QueryGroup[];
  lists: ListQuery[];
  /** Group-by queries that must always run (by over fields without fixed values). */
  groupBys: GroupByQuery[];
  /** Instances by `${key}@${shiftYears}`. */
  planned: Map<string, Planned>;
  /** Per requested kind metric: fields it requires → alias counting records missing them. */
  missing: Map<string, { field: string; group: string; alias: string }[]>;
  /** Scope of each requested metric instance (for sources and record lists). */
  scopes: Map<string, RecordScope>;
}

const BOOL_KEYS: [string, boolean][] = [
  ['是', true],
  ['否', false],
];

export function recordScope(def: KindMetricDef, ledger: LedgerDef, range: DateRange, shift: number): RecordScope {
  const dateField = def.dateField ?? ledger.occurredOn;
  const type = ledger.fields.find((f) => f.key === dateField)?.type;
  const dateColumn: DateColumn = dateField === ledger.occurredOn ? 'occurred' : type === 'month' ? 'month' : 'date';
  return { ledger, dateField, dateColumn, range: shiftRange(range, shift + (def.shiftYears ?? 0)) };
}

function scopeId(s: RecordScope): string {
  return `${s.ledger.kind}|${s.dateField}|${s.range.from}|${s.range.to}`;
}

/**
 * Plans the computation of `keys` (every key must be in the catalog) for a period.
 * Throws with a Chinese message for an unknown key.
 */
export function planMetrics(keys: readonly string[], catalog: MetricCatalog, ledgers: LedgerMap, range: DateRange): MetricPlan {
  const groups = new Map<string, { group: QueryGroup; bySig: Map<string, string> }>();
  const lists: ListQuery[] = [];
  const groupBys: GroupByQuery[] = [];
  const planned = new Map<string, Planned>();
  const missing = new Map<string, { field: string; group: string; alias: string }[]>();
  const scopes = new Map<string, RecordScope>();

  const agg = (scope: RecordScope, op: 'count' | 'sum', filters: Filter[], field?: string): [string, string] => {
    const id = scopeId(scope);
    let g = groups.get(id);
    if (!g) {
      g = { group: { ...scope, id, aggs: [] }, bySig: new Map() };
      groups.set(id, g);
    }
    // Identical aggregates (the count of all records is needed by many metrics) share one column.
    const sig = JSON.stringify([op, field ?? null, filters]);
    let alias = g.bySig.get(sig);
    if (!alias) {
      alias = `a${g.group.aggs.length}`;
      g.group.aggs.push({ alias, op, filters, ...(field ? { field } : {}) });
      g.bySig.set(sig, alias);
    }
    return [id, alias];
  };

  const plan = (key: string, shift: number): string => {
    const inst = `${key}@${shift}`;
    if (planned.has(inst)) return inst;
    const def = catalog.get(key);
    if (!def) throw new Error(`指标 ${key} 不存在`);
    if (def.type === 'yoy') {
      planned.set(inst, { type: 'yoy', cur: plan(def.of, shift), last: plan(def.of, shift - 1) });
      return inst;
    }
    if (def.type === 'composite') {
      planned.set(inst, { type: 'composite', parts: def.of.map((k) => plan(k, shift)) });
      return inst;
    }
    const ledger = ledgers.get(def.kind);
    if (!ledger) throw new Error(`指标 ${key} 的台账类型 ${def.kind} 不存在`);
    const scope = recordScope(def, ledger, range, shift);
    scopes.set(inst, scope);
    const base = def.filters ?? [];
    switch (def.type) {
      case 'count': {
        const [group, n] = agg(scope, 'count', base);
        planned.set(inst, { type: 'count', group, n });
        break;
      }
      case 'sum': {
        const [group, s] = agg(scope, 'sum', base, def.field);
        const [, present] = agg(scope, 'count', [...base, { field: def.field, present: true }]);
        planned.set(inst, { type: 'sum', group, s, present, emptyAs: def.emptyAs ?? 'zero' });
        break;
      }
      case 'rate': {
        const [group, num] = agg(scope, 'count', [...base, ...def.numerator]);
        const [, den] = agg(scope, 'count', [...base, ...def.denominator]);
        planned.set(inst, { type: 'rate', group, num, den });
        break;
      }
      case 'by': {
        const field = ledger.fields.find((f) => f.key === def.field);
        if (!field) throw new Error(`指标 ${key} 的分组字段 ${def.field} 不存在`);
        const [group] = agg(scope, 'count', base);
        const fixed: [string, string | boolean][] =
          field.type === 'bool' ? BOOL_KEYS : (field.options ?? []).map((o) => [o, o]);
        if (field.type === 'bool' || field.type === 'enum' || field.type === 'multienum') {
          const options = fixed.map(([label, v]): [string, string] => [label, agg(scope, 'count', [...base, { field: field.key, eq: v }])[1]]);
          // Values outside the options (an option renamed in a later version of the kind) are rare:
          // counted here, and fetched by a group-by query only when there are some.
          const unknown =
            field.type === 'bool' || field.type === 'multienum'
              ? null
              : agg(scope, 'count', [...base, { field: field.key, present: true }, { field: field.key, notIn: fixed.map(([, v]) => v) }])[1];
          const gb = unknown ? { ...scope, id: `by:${inst}`, filters: base, field } : null;
          planned.set(inst, { type: 'by', group, options, unknown, groupBy: gb });
        } else {
          const gb: GroupByQuery = { ...scope, id: `by:${inst}`, filters: base, field };
          groupBys.push(gb);
          planned.set(inst, { type: 'by', group, options: [], unknown: null, groupBy: gb });
        }
        break;
      }
      case 'list': {
        const id = `list:${inst}`;
        lists.push({ ...scope, id, filters: base, field: def.field ?? ledger.titleField ?? ledger.occurredOn, ...(def.detail ? { detail: def.detail } : {}) });
        planned.set(inst, { type: 'list', list: id });
        break;
      }
    }
    if (shift === 0 && def.requires?.length) {
      missing.set(
        key,
        def.requires.map((field) => {
          const [group, alias] = agg(scope, 'count', [...base, { field, present: false }]);
          return { field, group, alias };
        }),
      );
    }
    return inst;
  };

  for (const k of keys) plan(k, 0);
  return { keys: [...keys], groups: [...groups.values()].map((g) => g.group), lists, groupBys, planned, missing, scopes };
}

/** The `by` metrics whose known-value counts left some records out: their group-by queries. */
export function followUpGroupBys(plan: MetricPlan, raw: RawResults): GroupByQuery[] {
  const out: GroupByQuery[] = [];
  for (const p of plan.planned.values()) {
    if (p.type === 'by' && p.unknown && p.groupBy && (raw.aggs.get(p.group)?.[p.unknown] ?? 0) > 0) out.push(p.groupBy);
  }
  return out;
}

export interface Evaluated {
  values: Record<string, MetricValue>;
  /** Numerator and denominator of each rate (for "19件中19件" wording and the consistency check). */
  rateParts: Record<string, { numerator: number; denominator: number }>;
  /** Metric key → field → number of records in its scope lacking that required field. */
  missing: Record<string, Record<string, number>>;
}

function num(raw: RawResults, group: string, alias: string): number {
  return Number(raw.aggs.get(group)?.[alias] ?? 0);
}

/** Computes the figures from raw results (one org unit, or the sum of several for district totals). */
export function evaluatePlan(plan: MetricPlan, raw: RawResults): Evaluated {
  const cache = new Map<string, MetricValue>();
  const rateParts: Evaluated['rateParts'] = {};
  const value = (inst: string): MetricValue => {
    const hit = cache.get(inst);
    if (hit !== undefined) return hit;
    const p = plan.planned.get(inst);
    if (!p) throw new Error(`internal: unplanned metric ${inst}`);
    let v: MetricValue;
    switch (p.type) {
      case 'count':
        v = num(raw, p.group, p.n);
        break;
      case 'sum':
        v = p.emptyAs === 'null' && num(raw, p.group, p.present) === 0 ? null : roundMoney(num(raw, p.group, p.s));
        break;
      case 'rate': {
        const n = num(raw, p.group, p.num);
        const d = num(raw, p.group, p.den);
        rateParts[inst.slice(0, inst.lastIndexOf('@'))] = { numerator: n, denominator: d };
        v = d === 0 ? null : n / d;
        break;
      }
      case 'by': {
        const counts: Record<string, number> = {};
        for (const [label, alias] of p.options) counts[label] = num(raw, p.group, alias);
        const extra = p.groupBy ? raw.groupBys.get(p.groupBy.id) : undefined;
        for (const [k, n] of Object.entries(extra ?? {})) if (!(k in counts) || p.options.length === 0) counts[k] = n;
        v = counts;
        break;
      }
      case 'list':
        v = listItems(raw.lists.get(p.list) ?? []);
        break;
      case 'yoy': {
        const cur = value(p.cur);
        const last = value(p.last);
        v = typeof cur === 'number' && typeof last === 'number' && last !== 0 ? (cur - last) / last : null;
        break;
      }
      case 'composite': {
        const parts = p.parts.map(value).filter((x): x is number => typeof x === 'number');
        v = parts.length ? roundMoney(parts.reduce((a, b) => a + b, 0)) : null;
        break;
      }
    }
    cache.set(inst, v);
    return v;
  };
  const values: Record<string, MetricValue> = {};
  for (const k of plan.keys) values[k] = value(`${k}@0`);
  const missing: Evaluated['missing'] = {};
  for (const [key, list] of plan.missing) {
    const m: Record<string, number> = {};
    for (const { field, group, alias } of list) m[field] = num(raw, group, alias);
    missing[key] = m;
  }
  return { values, rateParts, missing };
}

/**
 * A list names each item once: two records of the same task title (a task re-entered, or kept by
 * two departments) must not print it twice in a report (issue 10, part 四); with a detail, the item
 * is written `item：detail` with the distinct details of its records joined by ；, in record order.
 */
export function listItems(entries: readonly ListEntry[]): string[] {
  const details = new Map<string, string[]>();
  for (const e of entries) {
    const text = (typeof e === 'string' ? e : e.text).trim();
    if (text === '') continue;
    const list = details.get(text) ?? [];
    details.set(text, list);
    const d = typeof e === 'string' ? '' : (e.detail ?? '').trim().replace(/[。；;.\s]+$/u, '');
    if (d !== '' && !list.includes(d)) list.push(d);
  }
  return [...details].map(([text, ds]) => (ds.length ? `${text}：${ds.join('；')}` : text));
}

/** Sums over JSON numbers can pick up binary noise (0.1 + 0.2): money has 2 decimals at most. */
function roundMoney(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Adds raw results of several org units (district totals): counts and sums are additive. */
export function addRaw(parts: readonly RawResults[]): RawResults {
  const out: RawResults = { aggs: new Map(), lists: new Map(), groupBys: new Map() };
  for (const r of parts) {
    for (const [g, row] of r.aggs) {
      const acc = out.aggs.get(g) ?? {};
      for (const [a, v] of Object.entries(row)) acc[a] = Number(acc[a] ?? 0) + Number(v ?? 0);
      out.aggs.set(g, acc);
    }
    for (const [l, vals] of r.lists) out.lists.set(l, [...(out.lists.get(l) ?? []), ...vals]);
    for (const [g, counts] of r.groupBys) {
      const acc = out.groupBys.get(g) ?? {};
      for (const [k, n] of Object.entries(counts)) acc[k] = (acc[k] ?? 0) + n;
      out.groupBys.set(g, acc);
    }
  }
  return out;
}

export type { MetricDef };
