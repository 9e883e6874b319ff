/**
 * The metric catalog of a town: generic metrics of every ledger kind, the built-ins, and the town's
 * own metrics, each checked against the ledger definitions it reads.
 */
import type { FieldDef, LedgerDef } from '../ledgers/types';
import { BETTER_DIRECTION, BUILTIN_METRICS } from './builtins';
import { genericMetrics } from './generic';
import type { Filter, MetricDef } from './types';

export type LedgerMap = ReadonlyMap<string, LedgerDef>;
export type MetricCatalog = ReadonlyMap<string, MetricDef>;

export function ledgerMap(ledgers: readonly LedgerDef[]): LedgerMap {
  return new Map(ledgers.map((l) => [l.kind, l]));
}

const NUMERIC = new Set(['int', 'money', 'number']);
const DATES = new Set(['date', 'month']);
const BY_TYPES = new Set(['enum', 'multienum', 'bool', 'dept', 'text', 'person']);
const LIST_TYPES = new Set(['text', 'longtext', 'person', 'dept', 'enum', 'date', 'month']);

function fieldOf(ledger: LedgerDef, key: string): FieldDef | undefined {
  return ledger.fields.find((f) => f.key === key);
}

function checkFilters(filters: readonly Filter[], ledger: LedgerDef, where: string, errors: string[]): void {
  for (const f of filters) {
    if ('anyOf' in f) {
      checkFilters(f.anyOf, ledger, where, errors);
      continue;
    }
    if ('column' in f) continue; // shape already checked by the schema
    const field = fieldOf(ledger, f.field);
    if (!field) {
      errors.push(`${where}：台账“${ledger.label}”没有字段 ${f.field}`);
      continue;
    }
    if (field.pii) {
      // Personal fields are encrypted at rest (SECURITY.md, 数据保密性): SQL cannot compare their values.
      errors.push(`${where}：字段“${field.label}”是个人信息（加密存储），不能用作指标的筛选条件`);
      continue;
    }
    if ('within' in f) {
      const of = fieldOf(ledger, f.within.of);
      if (field.type !== 'date' || of?.type !== 'date') errors.push(`${where}：${f.field} 和 ${f.within.of} 都必须是日期字段`);
      continue;
    }
    const values = 'eq' in f ? [f.eq] : 'in' in f ? f.in : 'notIn' in f ? f.notIn : [];
    for (const v of values) {
      if (field.type === 'bool' && typeof v !== 'boolean') errors.push(`${where}：字段“${field.label}”是是/否字段，取值必须是 true 或 false`);
      else if ((field.type === 'enum' || field.type === 'multienum') && !(field.options ?? []).includes(String(v)))
        errors.push(`${where}：“${String(v)}”不是字段“${field.label}”的可选值`);
      else if (NUMERIC.has(field.type) && typeof v !== 'number') errors.push(`${where}：字段“${field.label}”是数值字段，取值必须是数字`);
    }
  }
}

/**
 * Checks a (shape-valid) definition against the ledgers and the metrics it refers to.
 * Returns Chinese messages; empty when the metric can be computed.
 */
export function checkMetricDef(def: MetricDef, ledgers: LedgerMap, known: MetricCatalog): string[] {
  const errors: string[] = [];
  if (def.type === 'yoy' || def.type === 'composite') {
    const refs = def.type === 'yoy' ? [def.of] : def.of;
    for (const r of refs) {
      const m = known.get(r);
      if (!m) errors.push(`引用的指标 ${r} 不存在`);
      else if (m.type !== 'count' && m.type !== 'sum' && m.type !== 'composite')
        errors.push(`引用的指标 ${r} 必须是计数、求和或合计指标`);
      if (r === def.key) errors.push('指标不能引用自身');
    }
    if (errors.length === 0 && def.type === 'composite' && dependsOn(def.of, def.key, known)) errors.push('指标之间存在循环引用');
    return errors;
  }
  const ledger = ledgers.get(def.kind);
  if (!ledger) return [`台账类型 ${def.kind} 不存在`];
  if (def.dateField) {
    const f = fieldOf(ledger, def.dateField);
    if (!f || !DATES.has(f.type)) errors.push(`日期字段 ${def.dateField} 不是台账“${ledger.label}”的日期或月份字段`);
  }
  checkFilters(def.filters ?? [], ledger, '筛选条件', errors);
  for (const r of def.requires ?? []) if (!fieldOf(ledger, r)) errors.push(`必填检查：台账“${ledger.label}”没有字段 ${r}`);
  if (def.type === 'sum') {
    const f = fieldOf(ledger, def.field);
    if (!f || !NUMERIC.has(f.type)) errors.push(`求和字段 ${def.field} 不是台账“${ledger.label}”的数值字段`);
  } else if (def.type === 'rate') {
    checkFilters(def.numerator, ledger, '分子条件', errors);
    checkFilters(def.denominator, ledger, '分母条件', errors);
  } else if (def.type === 'by') {
    const f = fieldOf(ledger, def.field);
    if (!f || !BY_TYPES.has(f.type)) errors.push(`分组字段 ${def.field} 不是台账“${ledger.label}”的枚举、是/否、部门或文本字段`);
    // Figures are shown to leaders and supervisors, who may not see personal names.
    else if (f.pii) errors.push(`分组字段 ${def.field}（${f.label}）是个人信息，不能用于指标`);
    if (def.partsOf && !known.has(def.partsOf)) errors.push(`合计指标 ${def.partsOf} 不存在`);
  } else if (def.type === 'list') {
    const key = def.field ?? ledger.titleField;
    const f = key ? fieldOf(ledger, key) : undefined;
    if (!f || !LIST_TYPES.has(f.type)) errors.push(`列表字段 ${key ?? '（未指定）'} 不是台账“${ledger.label}”的文本字段`);
    else if (f.pii) errors.push(`列表字段 ${key}（${f.label}）是个人信息，不能用于指标`);
    if (def.detail !== undefined) {
      const d = fieldOf(ledger, def.detail);
      if (!d || !LIST_TYPES.has(d.type)) errors.push(`说明字段 ${def.detail} 不是台账“${ledger.label}”的文本字段`);
      else if (d.pii) errors.push(`说明字段 ${def.detail}（${d.label}）是个人信息，不能用于指标`);
    }
  }
  return errors;
}

function dependsOn(refs: readonly string[], target: string, known: MetricCatalog, seen = new Set<string>()): boolean {
  for (const r of refs) {
    if (r === target) return true;
    if (seen.has(r)) continue;
    seen.add(r);
    const m = known.get(r);
    if (m && (m.type === 'composite' || m.type === 'yoy') && dependsOn(m.type === 'yoy' ? [m.of] : m.of, target, known, seen)) return true;
  }
  return false;
}

export interface CatalogProblem {
  key: string;
  message: string;
}

/** Keys of generic and built-in metrics for these ledgers (a town's own metric may not reuse them). */
export function isBuiltinMetricKey(key: string, ledgers: readonly LedgerDef[]): boolean {
  return BUILTIN_METRICS.some((m) => m.key === key) || ledgers.some((l) => genericMetrics(l).some((m) => m.key === key));
}

/**
 * All metrics for these ledgers: generic ones first, then built-ins (whose kinds exist), then the
 * town's own. A custom metric that no longer fits the ledgers (a field was removed) is left out and
 * reported, so one stale definition never breaks a report.
 */
export function buildMetricCatalog(
  ledgers: readonly LedgerDef[],
  custom: readonly MetricDef[] = [],
): { catalog: MetricCatalog; problems: CatalogProblem[] } {
  const lm = ledgerMap(ledgers);
  const catalog = new Map<string, MetricDef>();
  for (const l of ledgers) for (const m of genericMetrics(l)) catalog.set(m.key, m);
  for (const m of BUILTIN_METRICS) {
    if (checkMetricDef(m, lm, catalog).length === 0) catalog.set(m.key, m);
  }
  for (const [key, better] of Object.entries(BETTER_DIRECTION)) {
    const m = catalog.get(key);
    if (m && m.better === undefined) catalog.set(key, { ...m, better });
  }
  const problems: CatalogProblem[] = [];
  // Custom metrics may refer to each other: add in dependency order by retrying until no progress.
  let pending = custom.filter((m) => {
    if (catalog.has(m.key)) {
      problems.push({ key: m.key, message: `指标键 ${m.key} 与内置指标重复` });
      return false;
    }
    return true;
  });
  for (let progress = true; progress && pending.length; ) {
    progress = false;
    const next: MetricDef[] = [];
    for (const m of pending) {
      if (checkMetricDef(m, lm, catalog).length === 0) {
        catalog.set(m.key, m);
        progress = true;
      } else next.push(m);
    }
    pending = next;
  }
  for (const m of pending) problems.push({ key: m.key, message: checkMetricDef(m, lm, catalog).join('；') });
  return { catalog, problems };
}
