import { formatFigure, type FigureFormat, type MetricValue } from '../core/report';

/** A column of the comparison table. */
export interface AnnexMetric {
  key: string;
  /** Chinese column header, e.g. 法治宣传教育活动. */
  label: string;
  /** Unit shown in the header, e.g. 场次. */
  unit?: string;
  /** Default integer. */
  format?: FigureFormat;
  /**
   * `asc`: the lowest figure ranks first (纠错案件, 诈骗警情同比, 逾期); `desc`: the highest first
   * (按期办结率, 满意率). Absent: the metric does not say which way is better, and is not ranked.
   */
  rankOrder?: 'asc' | 'desc';
}

export interface AnnexRow {
  orgName: string;
  values: Readonly<Record<string, MetricValue>>;
  /** Rank per metric key among the district's towns (1 = best, see AnnexMetric.rankOrder); null = not ranked (no data). */
  ranks?: Readonly<Record<string, number | null>>;
}

/** The district roll-up's comparison table: towns x metrics, totals and ranks. */
export interface DistrictComparison {
  districtName: string;
  year: number;
  metrics: AnnexMetric[];
  rows: AnnexRow[];
  totals: Readonly<Record<string, MetricValue>>;
}

export function annexTitle(c: DistrictComparison): string {
  return `${c.districtName}${c.year}年各镇（街道）法治政府建设主要指标对比表`;
}

export function metricHeader(m: AnnexMetric): string {
  return m.unit ? `${m.label}（${m.unit}）` : m.label;
}

/** Metrics that get a 排名 column: those that say which way is better and for which any town has a rank. */
export function rankedKeys(c: DistrictComparison): Set<string> {
  const directed = new Set(c.metrics.filter((m) => m.rankOrder !== undefined).map((m) => m.key));
  return new Set(c.rows.flatMap((r) => Object.entries(r.ranks ?? {}).filter(([k, v]) => v !== null && directed.has(k)).map(([k]) => k)));
}

export function formatFor(m: AnnexMetric): FigureFormat {
  // In a table a bare 下降12.3% reads better than 同比下降12.3%.
  const f = m.format ?? { kind: 'int' };
  return f.kind === 'yoy' ? { kind: 'yoy', style: 'bare' } : f;
}

/** What a table cell without data shows (a table may say “no data”; a sentence never does). */
export const TABLE_NO_DATA = '—';

/** A cell as printed in the .docx annex (`—` where there is no data). */
export function cellText(m: AnnexMetric, value: MetricValue | undefined): string {
  return formatFigure(m.key, value, formatFor(m), undefined, TABLE_NO_DATA).display;
}

/** The note under the table saying how towns are ranked; names the metrics ranked lowest first. */
export function rankNote(c: DistrictComparison): string {
  const ranked = rankedKeys(c);
  const asc = c.metrics.filter((m) => m.rankOrder === 'asc' && ranked.has(m.key)).map((m) => `“${m.label}”`);
  const unranked = c.metrics.length > ranked.size ? '；未标明优劣方向的指标（如信访、纠纷、诉讼等工作量）只列数值、不排名' : '';
  return `注：排名按数值从高到低（越高越好）${asc.length ? `，其中${asc.join('、')}按数值从低到高（越低越好）` : ''}${unranked}；“—”表示无数据。`;
}

export function rankText(rank: number | null | undefined): string {
  return rank === null || rank === undefined ? '—' : String(rank);
}
