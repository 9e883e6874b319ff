/**
 * The district view of the 政府信息公开工作年度报告: every town's three tables side by side (the
 * frozen ones of a 定稿 report, live counts otherwise), the district total as the sum of the towns'
 * cells with the cross-checks verified again on the sum, and which towns have not reached 定稿 by
 * the deadline (31 January). Open to supervisors (督察) and admins within their org unit.
 */
import type { AppContext } from './context';
import { audit } from './audit';
import { orgById } from './orgs';
import { countDisclosureFor } from './disclosure-report';
import { capabilities, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import {
  checkRequestTable,
  disclosureJson,
  emptyDisclosureTables,
  sumProactive,
  sumRequestTables,
  sumReview,
  type DisclosureReportJson,
} from '../core/disclosure';
import { reportDueOn } from '../core/report';
import { todayShanghai } from '../core/time';
import { writeDistrictDisclosureXlsx } from '../documents/district-disclosure-xlsx';

export type FinalState = '已定稿' | '逾期定稿' | '未定稿' | '逾期未定稿';

export interface DistrictDisclosureTown {
  orgId: number;
  code: string;
  name: string;
  /** The latest disclosure report of the year, if any. */
  report: { id: number; version: number; state: string; frozenAt: string | null } | null;
  /** `frozen`: the figures of the 定稿 snapshot; `live`: counted now from the ledgers. */
  source: 'frozen' | 'live';
  final: FinalState;
  tables: DisclosureReportJson;
}

export interface DistrictDisclosureView {
  districtId: number;
  districtName: string;
  year: number;
  dueOn: string;
  towns: DistrictDisclosureTown[];
  /** Sum of the towns' cells; `checks` verified again on the sum. */
  total: DisclosureReportJson;
  /** Towns without a 定稿 report (by the deadline, once it has passed). */
  notFinal: { orgId: number; name: string; final: FinalState }[];
}

/** Whether a town's report is final, and whether it was (or is) late, on `today`. */
export function finalState(frozenAt: string | null, dueOn: string, today: string): FinalState {
  if (frozenAt) return frozenAt.slice(0, 10) <= dueOn ? '已定稿' : '逾期定稿';
  return today > dueOn ? '逾期未定稿' : '未定稿';
}

export async function districtDisclosure(ctx: AppContext, who: Actor, q: { orgId?: number; year: number }): Promise<DistrictDisclosureView> {
  if (!capabilities(who).district) throw forbidden('只有督察人员和系统管理员可以查看区级汇总');
  const district = await orgById(ctx.storage.db, q.orgId ?? who.orgId);
  if (who.role !== 'admin' && !district.path.startsWith(who.orgPath)) throw forbidden(`无权查看“${district.name}”的数据（不在您的数据范围内）`);
  if (district.level !== '区') throw new AppError('BAD_REQUEST', `“${district.name}”不是区级单位，请选择一个区`);
  const towns = await ctx.storage.db.selectFrom('org_units').select(['id', 'code', 'name', 'path']).where('parent_id', '=', district.id).orderBy('code').execute();
  const reports = towns.length
    ? await ctx.storage.db
        .selectFrom('reports')
        .select(['id', 'org_id', 'version', 'state', 'snapshot'])
        .where('type', '=', 'disclosure')
        .where('year', '=', q.year)
        .where('org_id', 'in', towns.map((t) => t.id))
        .orderBy('version', 'desc')
        .execute()
    : [];
  const latest = new Map<number, (typeof reports)[number]>();
  for (const r of reports) if (!latest.has(r.org_id)) latest.set(r.org_id, r);
  const live = towns.filter((t) => !latest.get(t.id)?.snapshot);
  const counted = await countDisclosureFor(ctx, live.map((t) => ({ id: t.id, path: t.path })), q.year);
  const dueOn = reportDueOn('disclosure', q.year);
  const today = todayShanghai(ctx.now());
  const out: DistrictDisclosureTown[] = towns.map((t) => {
    const r = latest.get(t.id);
    const snap = r?.snapshot ? (JSON.parse(r.snapshot) as { frozenAt: string; document: { data?: DisclosureReportJson } }) : null;
    const frozenAt = snap?.frozenAt ?? null;
    const tables = snap?.document.data ?? disclosureJson(t.name, q.year, counted.get(t.id)!.tables);
    return {
      orgId: t.id,
      code: t.code,
      name: t.name,
      report: r ? { id: r.id, version: r.version, state: r.state, frozenAt } : null,
      source: snap?.document.data ? 'frozen' : 'live',
      final: finalState(frozenAt, dueOn, today),
      tables,
    };
  });
  const requests = sumRequestTables(out.map((t) => t.tables.requests), emptyDisclosureTables(q.year).requests);
  const total: DisclosureReportJson = {
    type: 'disclosure',
    org: district.name,
    year: q.year,
    proactive: sumProactive(out.map((t) => t.tables.proactive)),
    requests,
    review: sumReview(out.map((t) => t.tables.review)),
    checks: checkRequestTable(requests),
    warnings: [],
  };
  return {
    districtId: district.id,
    districtName: district.name,
    year: q.year,
    dueOn,
    towns: out,
    total,
    notFinal: out.filter((t) => t.final === '未定稿' || t.final === '逾期未定稿').map((t) => ({ orgId: t.orgId, name: t.name, final: t.final })),
  };
}

export async function exportDistrictDisclosure(ctx: AppContext, who: Actor, q: { orgId?: number; year: number }): Promise<{ body: Buffer; fileName: string; contentType: string }> {
  const v = await districtDisclosure(ctx, who, q);
  const body = await writeDistrictDisclosureXlsx(v);
  await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'export', entity: 'district_disclosure', entityId: v.districtId, orgId: v.districtId, detail: `${q.year}年 xlsx` });
  return { body, fileName: `${v.districtName}${v.year}年各镇（街道）政府信息公开工作年度报告汇总表.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
