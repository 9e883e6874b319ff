import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { LedgerDef } from '../ledgers/types';
import { buildMetricCatalog, checkMetricDef, ledgerMap } from './catalog';
import { checkConsistency } from './consistency';
import { periodRange } from './period';
import { planMetrics } from './plan';
import { parseMetricDef } from './schema';
import type { MetricDef } from './types';

const SPEC_KEYS = [
  'indicator.fraud_110_calls_yoy',
  'indicator.fraud_criminal_cases_yoy',
  'work_event.honours',
  'enforcement_case.major_reviewed',
  'enforcement_case.major_corrected',
  'training.enforcement_sessions',
  'training.enforcement_attendees',
  'deputy_suggestion.handled',
  'deputy_suggestion.satisfaction_rate',
  'procuratorial_recommendation.replied',
  'publicity_activity.count',
  'publicity_activity.materials',
  'legal_consultation.persons',
  'beneficiaries',
];

describe('metric catalog', () => {
  const { catalog, problems } = buildMetricCatalog(BUILTIN_LEDGERS);

  it('has every metric of the spec table and the generic ones, all valid', () => {
    expect(problems).toEqual([]);
    for (const k of SPEC_KEYS) expect(catalog.has(k), k).toBe(true);
    for (const l of BUILTIN_LEDGERS) expect(catalog.has(`${l.kind}.count`)).toBe(true);
    expect(catalog.get('legality_review.by_reviewType')).toMatchObject({ type: 'by', field: 'reviewType', partsOf: 'legality_review.count' });
    expect(catalog.get('training.sum_attendees')).toMatchObject({ type: 'sum', field: 'attendees' });
    expect(catalog.has('petition.on_time_rate')).toBe(true);
    expect(catalog.has('training.on_time_rate')).toBe(false); // no deadline rule
    for (const k of ['work_event.honour_titles', 'task.next_year_titles', 'litigation.leader_appearance_rate', 'litigation.correction_rate', 'petition.accepted_on_time', 'petition.satisfaction_rate', 'dispute.mediated', 'enterprise_service.issues_found', 'training.leader_sessions', 'training.leader_attendees', 'disclosure_request.by_replyType', 'legality_review.adviser_rate'])
      expect(catalog.has(k), k).toBe(true);
    // Definitions are data: they survive a JSON round trip and the schema.
    for (const def of catalog.values()) expect(parseMetricDef(JSON.parse(JSON.stringify(def)))).toEqual({ ok: true, def });
  });

  it('derives indicator metrics from the codes of the indicator kind, including added codes', () => {
    const indicator = BUILTIN_LEDGERS.find((l) => l.kind === 'indicator') as LedgerDef;
    const v2: LedgerDef = {
      ...indicator,
      version: 2,
      fields: indicator.fields.map((f) => (f.key === 'code' ? { ...f, options: [...(f.options ?? []), 'drug_cases'], help: `${f.help}；drug_cases：涉毒案件数` } : f)),
    };
    const c = buildMetricCatalog(BUILTIN_LEDGERS.map((l) => (l.kind === 'indicator' ? v2 : l))).catalog;
    expect(c.get('indicator.drug_cases')).toMatchObject({ type: 'sum', field: 'value', filters: [{ field: 'code', eq: 'drug_cases' }], label: '涉毒案件数', emptyAs: 'null' });
    expect(c.get('indicator.drug_cases_yoy')).toMatchObject({ type: 'yoy', of: 'indicator.drug_cases' });
  });

  it('rejects bad definitions with Chinese messages', () => {
    const bad = parseMetricDef({ key: 'Bad Key', type: 'count', kind: 'training', label: '', unit: '吨' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join('\n')).toContain('指标键只能由字母');
      expect(bad.errors.join('\n')).toContain('名称不能为空');
      expect(bad.errors.join('\n')).toContain('单位必须是');
    }
    const lm = ledgerMap(BUILTIN_LEDGERS);
    const check = (def: MetricDef) => checkMetricDef(def, lm, catalog);
    expect(check({ key: 'x.a', type: 'sum', kind: 'training', field: 'title', label: '甲', unit: '件' })).toEqual(['求和字段 title 不是台账“培训与学法”的数值字段']);
    expect(check({ key: 'x.b', type: 'count', kind: 'nope', label: '甲', unit: '件' })).toEqual(['台账类型 nope 不存在']);
    expect(check({ key: 'x.c', type: 'count', kind: 'training', filters: [{ field: 'trainingType', eq: '跳舞' }], label: '甲', unit: '件' })).toEqual([
      '筛选条件：“跳舞”不是字段“类型”的可选值',
    ]);
    expect(check({ key: 'x.d', type: 'yoy', of: 'x.none', label: '甲', unit: '%' })).toEqual(['引用的指标 x.none 不存在']);
    expect(check({ key: 'x.e', type: 'count', kind: 'training', dateField: 'title', label: '甲', unit: '件' })).toEqual(['日期字段 title 不是台账“培训与学法”的日期或月份字段']);
  });

  it('keeps custom metrics that refer to each other and reports the ones that no longer fit', () => {
    const a: MetricDef = { key: 'town.a', type: 'composite', of: ['town.b', 'training.count'], label: '甲', unit: '件' };
    const b: MetricDef = { key: 'town.b', type: 'count', kind: 'training', label: '乙', unit: '期' };
    const stale: MetricDef = { key: 'town.c', type: 'sum', kind: 'training', field: 'removedField', label: '丙', unit: '件' };
    const dup: MetricDef = { key: 'training.count', type: 'count', kind: 'training', label: '丁', unit: '期' };
    const r = buildMetricCatalog(BUILTIN_LEDGERS, [a, b, stale, dup]);
    expect(r.catalog.get('town.a')).toEqual(a);
    expect(r.catalog.get('town.b')).toEqual(b);
    expect(r.problems.map((p) => p.key).sort()).toEqual(['town.c', 'training.count']);
  });
});

describe('planner', () => {
  const ledgers = ledgerMap(BUILTIN_LEDGERS);
  const { catalog } = buildMetricCatalog(BUILTIN_LEDGERS);

  it('groups the whole catalog into one query per kind, date field and period', () => {
    const plan = planMetrics([...catalog.keys()], catalog, ledgers, periodRange({ year: 2023 }));
    const ids = plan.groups.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('indicator|period|2022-01-01|2022-12-31'); // last year, for the yoy figures
    expect(ids).toContain('enforcement_case|legalReviewOn|2023-01-01|2023-12-31');
    expect(plan.groups.length).toBeLessThanOrEqual(BUILTIN_LEDGERS.length + 8);
    // Lists (honours, next year's tasks and the narrative lists of narrative.ts) are one query each.
    expect(plan.lists.map((l) => l.id)).toEqual(expect.arrayContaining(['list:work_event.honour_titles@0', 'list:task.next_year_titles@0', 'list:work_event.joint_descriptions@0']));
    expect(plan.lists.find((l) => l.id === 'list:task.next_year_titles@0')?.range).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    // Shared aggregates are computed once: the training group has one plain count.
    const training = plan.groups.find((g) => g.id === 'training|heldOn|2023-01-01|2023-12-31');
    expect(training?.aggs.filter((a) => a.op === 'count' && a.filters.length === 0)).toHaveLength(1);
  });

  it('throws in Chinese for an unknown metric', () => {
    expect(() => planMetrics(['nope.x'], catalog, ledgers, periodRange({ year: 2023 }))).toThrow('指标 nope.x 不存在');
  });
});

describe('consistency checks', () => {
  const ledgers = ledgerMap(BUILTIN_LEDGERS);
  const { catalog } = buildMetricCatalog(BUILTIN_LEDGERS);

  it('finds parts that do not add up, numerators above denominators and missing fields', () => {
    const warnings = checkConsistency({
      values: {
        'legality_review.count': 10,
        'legality_review.by_reviewType': { 重大行政决策: 1, 行政规范性文件: 2, 政府合同: 6, 其他事项: 0 },
        'training.by_trainingType': { 执法人员培训: 3, 领导干部学法: 1, 工作人员培训: 0, 警示教育: 0, 以案释法: 0, 其他: 0 },
        'training.count': 4,
        'deputy_suggestion.satisfaction_rate': 1.2,
      },
      rateParts: { 'deputy_suggestion.satisfaction_rate': { numerator: 6, denominator: 5 } },
      missing: { 'training.enforcement_attendees': { attendees: 2 } },
      catalog,
      ledgers,
    });
    expect(warnings).toEqual([
      {
        metricKey: 'legality_review.by_reviewType',
        message: '「合法性审核按审核类型统计」各项之和为9，与「合法性审核数量」10不一致（相差1），请检查是否有记录未填写或填写了无效的“审核类型”',
      },
      { metricKey: 'deputy_suggestion.satisfaction_rate', message: '「代表委员对办理结果满意率」的分子（6）大于分母（5），请检查指标定义或记录' },
      { metricKey: 'training.enforcement_attendees', message: '有2条“培训与学法”记录未填写“参训人次”，未计入「培训行政执法人员」' },
    ]);
  });
});
