import { z } from 'zod';
import type { SelectQueryBuilder } from 'kysely';
import type { AppContext } from './context';
import type { DB } from '../db/schema';
import { canReadAudit, type Actor } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { isValidDate } from '../core/ledgers/validate';
import { audit } from './audit';

/** Filters of the audit screen: user, action, record (entity + id), date range (Asia/Shanghai days). */
export interface AuditFilter {
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  kind?: string;
  from?: string;
  to?: string;
}

/** One audit entry as the screen and the export show it; before/after are JSON text, personal data masked. */
export const ZAuditRow = z
  .object({
    id: z.number(),
    seq: z.number().nullable(),
    at: z.string(),
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    ip: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    kind: z.string().nullable(),
    orgId: z.number().nullable(),
    orgName: z.string().nullable(),
    before: z.string().nullable(),
    after: z.string().nullable(),
    detail: z.string().nullable(),
    hash: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditRow = z.infer<typeof ZAuditRow>;

export function requireAuditReader(who: Actor): void {
  if (!canReadAudit(who)) throw forbidden('只有审计管理员可以查看和导出审计日志');
}

/** The UTC instant a Shanghai calendar day starts. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();

function checkDate(label: string, d: string | undefined): void {
  if (d !== undefined && !isValidDate(d)) throw new AppError('VALIDATION', `${label}：不是有效日期（YYYY-MM-DD）`, { fields: [{ field: label === '起始日期' ? 'from' : 'to', label, message: `${label}：不是有效日期（YYYY-MM-DD）` }] });
}

function filtered(ctx: AppContext, f: AuditFilter): SelectQueryBuilder<DB, 'audit_log', object> {
  checkDate('起始日期', f.from);
  checkDate('截止日期', f.to);
  let q = ctx.storage.db.selectFrom('audit_log') as SelectQueryBuilder<DB, 'audit_log', object>;
  if (f.username) q = q.where('audit_log.username', '=', f.username);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  if (f.kind) q = q.where('audit_log.kind', '=', f.kind);
  if (f.from) q = q.where('audit_log.at', '>=', dayStart(f.from));
  if (f.to) q = q.where('audit_log.at', '<', new Date(new Date(dayStart(f.to)).getTime() + 86_400_000).toISOString());
  return q;
}

function rows(ctx: AppContext, f: AuditFilter) {
  return filtered(ctx, f)
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .leftJoin('org_units', 'org_units.id', 'audit_log.org_id')
    .select([
      'audit_log.id',
      'audit_log.seq',
      'audit_log.at',
      'audit_log.username',
      'users.display_name as displayName',
      'audit_log.ip',
      'audit_log.action',
      'audit_log.entity',
      'audit_log.entity_id as entityId',
      'audit_log.kind',
      'audit_log.org_id as orgId',
      'org_units.name as orgName',
      'audit_log.before',
      'audit_log.after',
      'audit_log.detail',
      'audit_log.hash',
    ]);
}

export async function listAudit(ctx: AppContext, who: Actor, f: AuditFilter, page: number, pageSize: number): Promise<{ items: AuditRow[]; total: number; page: number; pageSize: number }> {
  requireAuditReader(who);
  const total = Number((await filtered(ctx, f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const items = (await rows(ctx, f).orderBy('audit_log.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute()) as AuditRow[];
  return { items, total, page, pageSize };
}

/** Every matching entry, oldest first, in pages (an export of a year's log stays flat in memory). */
export async function* auditRows(ctx: AppContext, who: Actor, f: AuditFilter, format: string): AsyncGenerator<AuditRow> {
  requireAuditReader(who);
  // Checked before the export is recorded, so a bad date is refused without an entry.
  filtered(ctx, f);
  await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'export', entity: 'audit', orgId: who.orgId || null, detail: JSON.stringify({ format, ...f }) });
  let lastId = 0;
  for (;;) {
    const page = (await rows(ctx, f).where('audit_log.id', '>', lastId).orderBy('audit_log.id').limit(1000).execute()) as AuditRow[];
    if (!page.length) return;
    for (const r of page) yield r;
    lastId = page[page.length - 1]!.id;
  }
}
