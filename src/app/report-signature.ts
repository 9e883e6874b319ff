/**
 * The signature block of every report type: the org unit's full issuing name (发文机关署名), the
 * report's 成文日期 (default: the day of 定稿) and optional 主送机关, kept in `reports.settings`
 * with the report's no-data mode. GB/T 9704 §7.3.3 and §7.3.5.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import type { AppContext } from './context';
import { audit } from './audit';
import { orgById } from './orgs';
import { canEditReports, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { chineseDate, issuingName, NO_DATA_MODES, type NoDataMode, type ReportSignature } from '../core/report';

type Db = Kysely<DB> | Transaction<DB>;

export interface ReportSettings {
  /** 主送机关 (printed before the text with a full-width colon). */
  addressee?: string;
  /** 成文日期 as YYYY-MM-DD; absent = the day of 定稿. */
  signedOn?: string;
  /** What a sentence with a figure without data does (see core/report/render.ts). Default omit. */
  noData?: NoDataMode;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One schema for the stored JSON and the API body: what a town may set. */
export const reportSettingsSchema = z.strictObject({
  addressee: z.string().trim().max(200, { error: '主送机关不能超过200字' }).optional(),
  signedOn: z
    .string()
    .regex(ISO_DAY, { error: '成文日期应为YYYY-MM-DD格式的日期' })
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: '成文日期不是有效的日期' })
    .optional(),
  noData: z.enum(NO_DATA_MODES, { error: '无数据处理方式必须是omit（删去该句）或mark（标注【无数据】）' }).optional(),
});

export function parseSettings(json: string | null): ReportSettings {
  if (!json) return {};
  const r = reportSettingsSchema.safeParse(JSON.parse(json));
  // Settings are only written through the schema; anything else is ignored rather than trusted.
  if (!r.success) return {};
  const out: ReportSettings = {};
  if (r.data.addressee) out.addressee = r.data.addressee;
  if (r.data.signedOn) out.signedOn = r.data.signedOn;
  if (r.data.noData) out.noData = r.data.noData;
  return out;
}

/** The org unit's issuing name: its own, or derived from its name, level and parents (core/report/signature.ts). */
export async function orgIssuingName(db: Db, orgId: number): Promise<string> {
  const org = await orgById(db, orgId);
  const ids = org.path.split('/').filter(Boolean).map(Number).filter((id) => id !== org.id);
  const rows = ids.length ? await db.selectFrom('org_units').select(['id', 'name', 'level', 'issuing_name']).where('id', 'in', ids).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ancestors = ids.map((id) => byId.get(id)).filter((r) => r !== undefined).map((r) => ({ name: r.name, level: r.level, issuingName: r.issuing_name }));
  // Each ancestor's own name is derived the same way, so a district's name carries down.
  const named: { name: string; level: string; issuingName: string }[] = [];
  for (const a of ancestors) named.push({ ...a, issuingName: issuingName(a, named) });
  return issuingName({ name: org.name, level: org.level, issuingName: org.issuing_name }, named);
}

/** The signature block of a report: date from the settings, else the day of 定稿 (`frozenAt`), else none yet. */
export async function reportSignature(db: Db, orgId: number, settings: ReportSettings, frozenAt?: string): Promise<ReportSignature> {
  const sig: ReportSignature = { issuer: await orgIssuingName(db, orgId) };
  const date = settings.signedOn ?? frozenAt;
  if (date) sig.date = chineseDate(date);
  if (settings.addressee) sig.addressee = settings.addressee;
  return sig;
}

/** Sets (or, with null, clears back to the derived one) an org unit's issuing name; audited. */
export async function setOrgIssuingName(ctx: AppContext, who: Actor, orgId: number, name: string | null): Promise<{ orgId: number; issuingName: string }> {
  const org = await orgById(ctx.storage.db, orgId);
  if (!canEditReports(who, org.path)) throw forbidden('只有法治办（或系统管理员）可以设置发文机关署名');
  const value = name?.trim() || null;
  if (value !== null && value.length > 100) throw new AppError('VALIDATION', '发文机关署名不能超过100字', { fields: [{ field: 'issuingName', label: '发文机关署名', message: '发文机关署名不能超过100字' }] });
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('org_units').set({ issuing_name: value }).where('id', '=', orgId).execute();
    await audit(trx, who, at, { action: 'update', entity: 'org', entityId: orgId, orgId, before: { issuingName: org.issuing_name }, after: { issuingName: value } });
  });
  return { orgId, issuingName: await orgIssuingName(ctx.storage.db, orgId) };
}
