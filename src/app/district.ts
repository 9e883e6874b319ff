/**
 * The district roll-up: the report's main figures for every town under a district side by side,
 * with totals (recomputed from summed counts) and ranks, as JSON and as the .xlsx/.docx annex.
 * Open to supervisors (督察) and admins within their org unit.
 */
import type { AppContext } from './context';
import { audit } from './audit';
import { orgById } from './orgs';
import { metricCall } from './metrics-service';
import { capabilities, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { buildMetricCatalog, type MetricDef, type MetricValue } from '../core/metrics';
import type { FigureFormat } from '../core/report';
import { compareTowns } from '../db/metrics-query';
import { loadMetricDefs } from '../db/metrics-defs';
import type { DistrictComparison } from '../documents/district-annex-model';
import { writeDistrictAnnexDocx } from '../documents/district-annex-docx';
import { writeDistrictAnnexXlsx } from '../documents/district-annex-xlsx';

/** The figures compared across towns: those of the report, in its order. */
export const DISTRICT_METRIC_KEYS: readonly string[] = [
  'enforcement_case.major_reviewed',
  'enforcement_case.major_corrected',
  'training.enforcement_sessions',
  'training.enforcement_attendees',
  'legality_review.count',
  'normative_document.count',
  'deputy_suggestion.handled',
  'deputy_suggestion.satisfaction_rate',
  'procuratorial_recommendation.replied',
  'disclosure_request.count',
  'litigation.count',
  'publicity_activity.count',
  'publicity_activity.materials',
  'legal_consultation.persons',
  'beneficiaries',
  'dispute.count',
  'petition.count',
  'indicator.fraud_110_calls_yoy',
  // Deadlines kept and missed: the figures where the direction is clear (ranked).
  'petition.on_time_rate',
  'disclosure_request.on_time_rate',
  'petition.overdue',
];

export interface DistrictMetric {
  key: string;
  label: string;
  unit: string;
  format: FigureFormat;
  /**
   * `asc`: rank 1 is the lowest figure; `desc`: the highest. Absent where the metric does not say
   * which way is better (MetricMeta.better): such a metric is listed without a rank.
   */
  rankOrder?: 'asc' | 'desc';
}

export interface DistrictCompareView {
  districtId: number;
  districtName: string;
  year: number;
  /** Scalar metrics only (counts, sums, rates, changes): a town's figure, or null where it has none. */
  towns: { orgId: number; code: string; name: string; values: Record<string, number | null> }[];
  totals: Record<string, number | null>;
  /** Metric key → town id → rank (1 = best: highest, or lowest where rankOrder is asc); towns without a figure are left out. */
  ranks: Record<string, Record<string, number>>;
  metrics: DistrictMetric[];
}

function formatOf(def: MetricDef | undefined): FigureFormat {
  if (def?.type === 'rate') return { kind: 'pct' };
  if (def?.type === 'yoy') return { kind: 'yoy', style: 'bare' };
  if (def?.type === 'sum' && def.unit === '元') return { kind: 'num', decimals: 2 };
  return { kind: 'int' };
}

export async function compareDistrict(ctx: AppContext, who: Actor, q: { orgId?: number; year: number }): Promise<DistrictCompareView> {
  if (!capabilities(who).district) throw forbidden('只有督察人员和系统管理员可以查看区级对比');
  const district = await orgById(ctx.storage.db, q.orgId ?? who.orgId);
  if (who.role !== 'admin' && !district.path.startsWith(who.orgPath)) throw forbidden(`无权查看“${district.name}”的数据（不在您的数据范围内）`);
  if (district.level !== '区') throw new AppError('BAD_REQUEST', `“${district.name}”不是区级单位，请选择一个区`);
  const ledgers = await ctx.registry.all();
  const { defs } = await loadMetricDefs(ctx.storage, district.id);
  const { catalog } = buildMetricCatalog(ledgers, defs);
  // Lists and breakdowns cannot stand in a table cell beside other towns' figures.
  const keys = DISTRICT_METRIC_KEYS.filter((k) => {
    const t = catalog.get(k)?.type;
    return t !== undefined && t !== 'list' && t !== 'by';
  });
  const c = await metricCall(() => compareTowns(ctx.storage, district.id, { year: q.year }, keys, { ledgers, defs }));
  const ranks: DistrictCompareView['ranks'] = {};
  const order = (k: string): 'asc' | 'desc' | undefined => {
    const better = catalog.get(k)?.better;
    return better === 'lower' ? 'asc' : better === 'higher' ? 'desc' : undefined;
  };
  for (const k of keys) {
    if (order(k) === undefined) continue;
    ranks[k] = {};
    const asc = order(k) === 'asc';
    const nums = c.towns.map((t) => t.values[k]).filter((v): v is number => typeof v === 'number');
    for (const t of c.towns) {
      const v = t.values[k];
      // Ties share a rank.
      if (typeof v === 'number') ranks[k][String(t.orgId)] = 1 + nums.filter((x) => (asc ? x < v : x > v)).length;
    }
  }
  return {
    districtId: district.id,
    districtName: district.name,
    year: q.year,
    towns: c.towns.map((t) => ({ orgId: t.orgId, code: t.code, name: t.name, values: scalars(t.values, keys) })),
    totals: scalars(c.totals, keys),
    ranks,
    metrics: keys.map((k) => ({ key: k, label: c.labels[k]?.label ?? k, unit: c.labels[k]?.unit ?? '', format: formatOf(catalog.get(k)), ...(order(k) ? { rankOrder: order(k)! } : {}) })),
  };
}

/** The compared figures as numbers; a scalar metric that yields anything else is a fault, not a figure. */
function scalars(values: Readonly<Record<string, MetricValue>>, keys: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const k of keys) {
    const v = values[k] ?? null;
    if (v !== null && typeof v !== 'number') throw new Error(`district metric ${k} is not a number`);
    out[k] = v;
  }
  return out;
}

export const DISTRICT_EXPORT_FORMATS = ['xlsx', 'docx'] as const;
export type DistrictExportFormat = (typeof DISTRICT_EXPORT_FORMATS)[number];

export function toAnnex(v: DistrictCompareView): DistrictComparison {
  return {
    districtName: v.districtName,
    year: v.year,
    // A percent or a change carries its unit in the cell; only counts get one in the header.
    metrics: v.metrics.map((m) => ({ key: m.key, label: m.label, format: m.format, ...(m.rankOrder ? { rankOrder: m.rankOrder } : {}), ...(m.unit && m.unit !== '%' && m.format.kind !== 'yoy' ? { unit: m.unit } : {}) })),
    rows: v.towns.map((t) => ({
      orgName: t.name,
      values: t.values,
      ranks: Object.fromEntries(v.metrics.filter((m) => m.rankOrder).map((m) => [m.key, v.ranks[m.key]?.[String(t.orgId)] ?? null])),
    })),
    totals: v.totals,
  };
}

export async function exportDistrict(
  ctx: AppContext,
  who: Actor,
  q: { orgId?: number; year: number; format: DistrictExportFormat },
): Promise<{ body: Buffer; fileName: string; contentType: string }> {
  const v = await compareDistrict(ctx, who, q);
  const annex = toAnnex(v);
  const body = q.format === 'xlsx' ? await writeDistrictAnnexXlsx(annex) : await writeDistrictAnnexDocx(annex);
  await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'export', entity: 'district_compare', entityId: v.districtId, orgId: v.districtId, detail: `${q.year}年 ${q.format}` });
  return {
    body,
    fileName: `${v.districtName}${v.year}年各镇（街道）法治政府建设主要指标对比表.${q.format}`,
    contentType: q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
}
