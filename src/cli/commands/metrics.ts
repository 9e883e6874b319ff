import fs from 'node:fs';
import type { CliCommand } from './index';
import { opt, req, UsageError } from '../args';
import { systemActor } from '../../app/context';
import { orgByCode } from '../../app/orgs';
import { computeOrgMetrics, defineMetric, periodOf, type PeriodQuery } from '../../app/metrics-service';
import { describeRange, type MetricSource, type MetricValue } from '../../core/metrics';
import { formatPercent } from '../../core/report';
import { REPORT_COMMANDS } from './report';

/** A figure as the table prints it: percentages for rates and changes, 无数据 for null. */
export function showValue(v: MetricValue | undefined, s: Pick<MetricSource, 'type' | 'unit'> | undefined): string {
  if (v === null || v === undefined) return '无数据';
  if (Array.isArray(v)) return v.length ? v.join('、') : '（无）';
  if (typeof v === 'object') {
    const parts = Object.entries(v).map(([k, n]) => `${k}${n}`);
    return parts.length ? parts.join('，') : '（无）';
  }
  if (s?.type === 'yoy') return v === 0 ? '持平' : `${v > 0 ? '上升' : '下降'}${formatPercent(Math.abs(v), 1)}`;
  if (s?.type === 'rate' || s?.unit === '%') return formatPercent(v);
  return `${v}${s?.unit ?? ''}`;
}

const metricsCommand: CliCommand = {
  usage:
    'metrics --org CODE --year YYYY [--quarter 1-4 | --month 1-12 | --from YYYY-MM-DD --to YYYY-MM-DD] [--json]   计算全部指标（--json：一个 JSON 对象，指标键 → 数值，比率和同比为小数，无数据为 null）',
  matches: (p) => p.positionals[0] === 'metrics' && p.positionals.length === 1,
  async run(ctx, p) {
    const from = opt(p, 'from');
    const to = opt(p, 'to');
    const year = Number(from !== undefined ? from.slice(0, 4) : req(p, 'year'));
    if (!Number.isInteger(year)) throw new UsageError('--year 应为四位年份，如 2023');
    const q: PeriodQuery = { year };
    for (const name of ['quarter', 'month'] as const) {
      const v = opt(p, name);
      if (v === undefined) continue;
      if (!/^\d{1,2}$/.test(v)) throw new UsageError(`--${name} 应为数字`);
      q[name] = Number(v);
    }
    if (from !== undefined) q.from = from;
    if (to !== undefined) q.to = to;
    const period = periodOf(q);
    const org = await orgByCode(ctx.storage.db, req(p, 'org'));
    const m = await computeOrgMetrics(ctx, org.id, period);
    if (p.options.json === true) {
      console.log(JSON.stringify(m.values));
      return;
    }
    console.log(`${org.name}${describeRange(m.period)}指标（共${Object.keys(m.values).length}项）`);
    const rows = Object.entries(m.values).map(([key, v]) => [m.sources[key]?.label ?? key, key, showValue(v, m.sources[key])] as const);
    const width = Math.min(40, Math.max(...rows.map(([label]) => label.length)));
    for (const [label, key, shown] of rows) console.log(`${label.padEnd(width, '　')}  ${shown}  [${key}]`);
    if (m.warnings.length) {
      console.log(`\n一致性提示（${m.warnings.length}条）：`);
      for (const w of m.warnings) console.log(`  · ${w.message}`);
    }
    for (const pr of m.problems) console.log(`自定义指标 ${pr.key} 未计算：${pr.message}`);
  },
};

const defineCommand: CliCommand = {
  usage: 'metric define FILE.json [--org CODE]   定义自定义指标（文件为一个定义或定义数组；--org 只对该单位生效）',
  matches: (p) => p.positionals[0] === 'metric' && p.positionals[1] === 'define',
  async run(ctx, p) {
    const file = p.positionals[2];
    if (!file) throw new UsageError('缺少定义文件：metric define FILE.json');
    let input: unknown;
    try {
      input = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`无法读取 ${file}：${(e as Error).message}`);
    }
    const code = opt(p, 'org');
    const orgId = code ? (await orgByCode(ctx.storage.db, code)).id : null;
    // In array order, so a metric may use one defined earlier in the same file.
    for (const def of Array.isArray(input) ? input : [input]) {
      const saved = await defineMetric(ctx, systemActor(), def, orgId);
      console.log(`已定义指标“${String(saved.label)}”（${String(saved.key)}）`);
    }
  },
};

export const METRIC_COMMANDS: CliCommand[] = [metricsCommand, defineCommand, ...REPORT_COMMANDS];
