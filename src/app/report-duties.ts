/**
 * The annual reports as dated duties: which towns still owe the previous year's reports (the
 * 法治办 sees its own, a supervisor the towns below), and the reminder sweep that notifies each
 * town's 法治办 once when a duty opens (1 January) and once when it becomes overdue.
 */
import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { dutyText, openReportDuties, type ReportDuty } from '../core/report';
import { todayShanghai } from '../core/time';

export interface ReportDutyItem extends ReportDuty {
  orgId: number;
  orgName: string;
  /** The latest report of that type and year, if one was created. */
  reportId: number | null;
  reportState: string | null;
}

/** Open duties of the towns (org units other than districts) under `orgPath`, on today's date. */
async function dutiesUnder(ctx: AppContext, orgPath: string): Promise<ReportDutyItem[]> {
  const today = todayShanghai(ctx.now());
  const year = Number(today.slice(0, 4)) - 1;
  const towns = await ctx.storage.db.selectFrom('org_units').select(['id', 'name', 'path']).where('level', '<>', '区').where('path', 'like', `${orgPath}%`).orderBy('path').execute();
  if (!towns.length) return [];
  const reports = await ctx.storage.db
    .selectFrom('reports')
    .select(['id', 'org_id', 'type', 'state', 'version'])
    .where('year', '=', year)
    .where('org_id', 'in', towns.map((t) => t.id))
    .orderBy('version', 'desc')
    .execute();
  const out: ReportDutyItem[] = [];
  for (const t of towns) {
    const mine = reports.filter((r) => r.org_id === t.id);
    const finalised = new Set(mine.filter((r) => r.state === '定稿').map((r) => `${r.type}:${year}`));
    for (const d of openReportDuties(today, finalised)) {
      const latest = mine.find((r) => r.type === d.type);
      out.push({ ...d, orgId: t.id, orgName: t.name, reportId: latest?.id ?? null, reportState: latest?.state ?? null });
    }
  }
  return out;
}

/** The actor's report duties: a 法治办 or leader its org unit's, a supervisor or admin every town below. */
export async function reportDuties(ctx: AppContext, who: Actor): Promise<{ items: ReportDutyItem[] }> {
  if (!['admin', 'office', 'leader', 'supervisor'].includes(who.role)) return { items: [] };
  return { items: await dutiesUnder(ctx, who.role === 'admin' ? '/' : who.orgPath) };
}

/** Creates the in-app reminders of open duties for every town's 法治办 (deduplicated per state). */
export async function sweepReportDuties(ctx: AppContext): Promise<{ due: number; notified: number }> {
  const duties = await dutiesUnder(ctx, '/');
  if (!duties.length) return { due: 0, notified: 0 };
  const users = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'org_id'])
    .where('active', '=', 1)
    .where('role', '=', 'office')
    .where('org_id', 'in', [...new Set(duties.map((d) => d.orgId))])
    .execute();
  const at = ctx.now().toISOString();
  const values = duties.flatMap((d) =>
    users
      .filter((u) => u.org_id === d.orgId)
      .map((u) => ({
        user_id: u.id,
        record_id: null,
        kind: `report:${d.type}`,
        ...dutyText(d.orgName, d),
        dedupe_key: `report:${u.id}:${d.orgId}:${d.type}:${d.year}:${d.state}`,
        created_at: at,
        read_at: null,
      })),
  );
  if (!values.length) return { due: duties.length, notified: 0 };
  const rows = await ctx.storage.db.insertInto('notifications').values(values).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').execute();
  return { due: duties.length, notified: rows.length };
}
