/**
 * The 政府信息公开工作年度报告 on the one report machinery (app/reports.ts): what its template needs
 * besides the metric catalog — the three tables, the figures `disclosure.<path>` with the records
 * behind every cell, the warnings naming records the tables cannot place, the JSON of the spec, and
 * the cross-checks that block 定稿.
 */
import type { AppContext } from './context';
import { loadDisclosureInputs, requestTitles, type OrgRef } from './disclosure-data';
import {
  countDisclosure,
  disclosureFigures,
  disclosureJson,
  failedCheckMessages,
  proactiveTable,
  requestTable,
  reviewTable,
  sumIndicator,
  type DisclosureInput,
  type DisclosureTables,
} from '../core/disclosure';
import type { DocTable, MetricValue, ReportWarning } from '../core/report';

/** What a report type adds to a live rendering beyond the metric catalog. */
export interface ReportExtras {
  values: Record<string, MetricValue>;
  /** Figure key → the ids of the records it counts (every table cell too). */
  records: Record<string, number[]>;
  tables: Record<string, DocTable>;
  warnings: ReportWarning[];
  data: unknown;
  /** Problems that refuse 定稿 (the cross-checks), in words. */
  blocking: string[];
}

export interface CountedDisclosure {
  tables: DisclosureTables;
  feesYuan: { value: number; ids: number[] };
}

export function countFrom(input: DisclosureInput, year: number): CountedDisclosure {
  return { tables: countDisclosure(input), feesYuan: sumIndicator(input.indicators, 'disclosure_fees_yuan', year) };
}

export async function countDisclosureFor(ctx: AppContext, orgs: readonly OrgRef[], year: number): Promise<Map<number, CountedDisclosure>> {
  const inputs = await loadDisclosureInputs(ctx.storage, orgs, year);
  const out = new Map([...inputs].map(([id, input]) => [id, countFrom(input, year)]));
  // Warnings name their request by its content, read for those few records only.
  const warned = [...out.values()].flatMap((c) => c.tables.warnings.filter((w) => w.kind === 'disclosure_request').map((w) => w.recordId));
  const titles = await requestTitles(ctx.storage, warned);
  for (const c of out.values()) for (const w of c.tables.warnings) if (w.kind === 'disclosure_request') w.title = titles.get(w.recordId) ?? w.title;
  return out;
}

/** Figures, tables, warnings and JSON of one org unit's report. */
export function disclosureExtrasOf(orgName: string, year: number, c: CountedDisclosure): ReportExtras {
  const { values, records } = disclosureFigures(c.tables, c.feesYuan);
  return {
    values,
    records,
    tables: { proactive: proactiveTable(c.tables), requests: requestTable(c.tables), review: reviewTable(c.tables) },
    warnings: c.tables.warnings.map((w) => ({
      metricKey: `disclosure.${w.kind}`,
      message: `${w.title}（#${w.recordId}）：${w.message}`,
      record: { kind: w.kind, id: w.recordId },
    })),
    data: disclosureJson(orgName, year, c.tables),
    blocking: disclosureFinalizeProblems(c.tables),
  };
}

/** What refuses 定稿 of a disclosure report: every failing cross-check of table 三. */
export function disclosureFinalizeProblems(t: Pick<DisclosureTables, 'checks'>): string[] {
  return failedCheckMessages(t.checks);
}

export async function disclosureExtras(ctx: AppContext, org: { id: number; name: string; path: string }, year: number): Promise<ReportExtras> {
  const c = (await countDisclosureFor(ctx, [org], year)).get(org.id)!;
  return disclosureExtrasOf(org.name, year, c);
}
