/**
 * The 政府信息公开工作年度报告 on the one report machinery (app/reports.ts): what its template needs
 * besides the metric catalog — the three tables, the figures `disclosure.<path>` with the records
 * behind every cell, the warnings naming records the tables cannot place, the JSON of the spec, and
 * the cross-checks that block 定稿.
 */
import type { AppContext } from './context';
import { loadDisclosureInputs, requestTitles, type OrgRef } from '../db/disclosure-records';
import { loadGroupedInputs, requestsOfGroups, type OrgRequestGroup } from '../db/disclosure-groups';
import {
  countDisclosure,
  countDisclosureGroups,
  disclosureFigures,
  disclosureJson,
  failedCheckMessages,
  proactiveTable,
  requestTable,
  reviewTable,
  sortWarnings,
  sumIndicator,
  type DisclosureCounts,
  type DisclosureTables,
} from '../core/disclosure';
import type { DocTable, MetricValue, ReportWarning } from '../core/report';

/** What a report type adds to a live rendering beyond the metric catalog. */
export interface ReportExtras {
  values: Record<string, MetricValue>;
  /** Figure key → the ids of the records it counts (every table cell too); empty unless traced. */
  records: Record<string, number[]>;
  tables: Record<string, DocTable>;
  warnings: ReportWarning[];
  data: unknown;
  /** Problems that refuse 定稿 (the cross-checks), in words. */
  blocking: string[];
}

export interface CountedDisclosure {
  /** With the records behind every cell when traced. */
  tables: DisclosureCounts | DisclosureTables;
  feesYuan: { value: number; ids: number[] };
}

/**
 * The three tables of each given org unit (records of the units below it count for it).
 * Untraced: the requests and enforcement decisions are counted by the database as groups, and only
 * the records the tables cannot place are read (to name them). Traced: every record is read, so
 * that each cell lists its records — for a cell's list, the JSON/HTML trace and the 定稿 snapshot.
 * Both give the same tables (src/app/disclosure-report.test.ts).
 */
export async function countDisclosureFor(ctx: AppContext, orgs: readonly OrgRef[], year: number, opts: { traced?: boolean } = {}): Promise<Map<number, CountedDisclosure>> {
  if (opts.traced) return countTraced(ctx, orgs, year);
  const { scope, inputs } = await loadGroupedInputs(ctx.storage, orgs, year);
  const out = new Map<number, CountedDisclosure>();
  const unplacedAll: OrgRequestGroup[] = [];
  const warningOf = new Map<OrgRequestGroup, string>();
  const counts = new Map<number, DisclosureCounts>();
  for (const [id, input] of inputs) {
    const c = countDisclosureGroups(input);
    counts.set(id, c.counts);
    for (const u of c.unplaced) {
      unplacedAll.push(u.group as OrgRequestGroup);
      warningOf.set(u.group as OrgRequestGroup, u.warning);
    }
    out.set(id, { tables: c.counts, feesYuan: sumIndicator(input.indicators, 'disclosure_fees_yuan', year) });
  }
  for (const r of await requestsOfGroups(ctx.storage, scope, year, unplacedAll)) {
    const owner = scope.owner.get(r.group.orgId)!;
    counts.get(owner)!.warnings.push({ recordId: r.id, kind: 'disclosure_request', title: r.title, message: warningOf.get(r.group)! });
  }
  for (const c of counts.values()) sortWarnings(c.warnings);
  return out;
}

async function countTraced(ctx: AppContext, orgs: readonly OrgRef[], year: number): Promise<Map<number, CountedDisclosure>> {
  const inputs = await loadDisclosureInputs(ctx.storage, orgs, year);
  const out = new Map([...inputs].map(([id, input]) => [id, { tables: countDisclosure(input), feesYuan: sumIndicator(input.indicators, 'disclosure_fees_yuan', year) }]));
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
export function disclosureFinalizeProblems(t: Pick<DisclosureCounts, 'checks'>): string[] {
  return failedCheckMessages(t.checks);
}

export async function disclosureExtras(ctx: AppContext, org: { id: number; name: string; path: string }, year: number, opts: { traced?: boolean } = {}): Promise<ReportExtras> {
  const c = (await countDisclosureFor(ctx, [org], year, opts)).get(org.id)!;
  return disclosureExtrasOf(org.name, year, c);
}
