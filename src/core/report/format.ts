import type { FigureFormat, MetricValue, YoyStyle } from './types';

/**
 * What a figure without data shows as, in the editor only: a sentence holding one is left out of
 * every output (render.ts), so no output ever prints a dash or a mark in place of a figure.
 */
export const NO_DATA_MARK = '【无数据】';

export const FORMAT_LABELS: Record<FigureFormat['kind'], string> = {
  int: '整数',
  num: '小数',
  pct: '百分比',
  yoy: '同比',
  list: '列表',
};

export type FormattedFigure =
  | { noData: false; display: string }
  | { noData: true; display: string; reason: string };

/** Round half away from zero at `decimals`, immune to binary artefacts like 0.125*100 = 12.500000000000002. */
function roundAbs(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(Number((Math.abs(x) * f).toPrecision(12))) / f;
}

function fixed(x: number, decimals: number): string {
  const r = roundAbs(x, decimals);
  const sign = x < 0 && r !== 0 ? '-' : '';
  return sign + r.toFixed(decimals);
}

/** Percent of a fraction: fixed decimals, or trimmed to at most one decimal (`100%`, `12.5%`). */
export function formatPercent(fraction: number, decimals?: number): string {
  const pct = fraction * 100;
  if (decimals !== undefined) return `${fixed(pct, decimals)}%`;
  return `${fixed(pct, 1).replace(/\.0$/, '')}%`;
}

/** -1 down, 0 unchanged (at one decimal), 1 up. */
export function yoyDirection(fraction: number): -1 | 0 | 1 {
  if (roundAbs(fraction * 100, 1) === 0) return 0;
  return fraction < 0 ? -1 : 1;
}

/**
 * Year-on-year wording, one decimal as the spec requires. `previous` is the direction of the
 * paragraph's previous yoy figure, used by style `same` to write `下降12.3%、11.0%`.
 */
export function formatYoy(fraction: number, style: YoyStyle, previous?: -1 | 0 | 1): string {
  const dir = yoyDirection(fraction);
  const magnitude = `${roundAbs(fraction * 100, 1).toFixed(1)}%`;
  if (dir === 0) return style === 'full' ? '与上年持平' : '持平';
  if (style === 'same' && previous === dir) return magnitude;
  return `${style === 'full' ? '同比' : ''}${dir < 0 ? '下降' : '上升'}${magnitude}`;
}

/** Quotes inside a quoted item become single quotes, as Chinese nesting requires: “开展‘法治体检’”. */
const nestQuotes = (s: string) => s.replace(/“/g, '‘').replace(/”/g, '’');

export function formatList(items: string[], plain: boolean, sentences = false): string {
  // Each item a sentence of its own (record descriptions): its closing punctuation becomes 。.
  if (sentences) return items.map((s) => `${s.trim().replace(/[。；，、.;,\s]+$/u, '')}。`).join('');
  return items.map((s) => (plain ? s : `“${nestQuotes(s)}”`)).join('、');
}

function isRecord(v: MetricValue): v is Record<string, number> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Writes a metric value in a format. Absent and null values, empty lists and values of the wrong
 * shape render as the no-data mark with a Chinese reason, so a report never prints a made-up figure.
 */
export function formatFigure(
  key: string,
  value: MetricValue | undefined,
  format: FigureFormat,
  entry?: string,
  noDataMark: string = NO_DATA_MARK,
  previousYoy?: -1 | 0 | 1,
  /** The metric's Chinese name, used in the reasons instead of its key. */
  name: string = key,
): FormattedFigure {
  const label = entry === undefined ? name : `${name}[${entry}]`;
  const none = (reason: string): FormattedFigure => ({ noData: true, display: noDataMark, reason });
  if (value === undefined) return none(`未提供指标“${label}”的数值`);
  if (value === null) return none(`指标“${label}”无数据`);
  let v: MetricValue = value;
  if (entry !== undefined) {
    if (!isRecord(value)) return none(`指标“${name}”不是分类统计，不能取“${entry}”一项`);
    // A by_ metric lists only the values that occur: a missing value was counted zero times.
    v = value[entry] ?? 0;
  }
  if (format.kind === 'list') {
    if (!Array.isArray(v)) return none(`指标“${label}”不是列表，不能按“列表”格式显示`);
    if (v.length === 0) return none(`指标“${label}”没有任何条目`);
    return { noData: false, display: formatList(v, format.plain, format.sentences) };
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return none(`指标“${label}”不是数值，不能按“${FORMAT_LABELS[format.kind]}”格式显示`);
  }
  switch (format.kind) {
    case 'int':
      return { noData: false, display: fixed(v, 0) };
    case 'num':
      return { noData: false, display: fixed(v, format.decimals) };
    case 'pct':
      return { noData: false, display: formatPercent(v, format.decimals) };
    case 'yoy':
      return { noData: false, display: formatYoy(v, format.style, previousYoy) };
  }
}

/** Whether a metric value counts as data for a paragraph's `when` condition. */
export function hasData(value: MetricValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  return Object.keys(value).length > 0;
}
