import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { canSeePii } from '../core/access/policy';
import type { LedgerDef } from '../core/ledgers/types';
import type { RecView } from './record-view';
import { audit } from './audit';
import { idRanges } from '../core/audit/id-ranges';

/**
 * Audits a read of personal data shown unmasked (GB/T 22239-2019 8.1.4.3: audit covers important
 * user behaviour; 个人信息保护法 art. 51: access to personal information is controlled and
 * traceable). One entry per request (and kind), naming the records whose PII fields held a value;
 * nothing when the reader sees them masked or no record holds any.
 */
export async function auditPiiRead(ctx: AppContext, who: Actor, views: readonly RecView[], how: 'detail' | 'list'): Promise<void> {
  if (!canSeePii(who) || !views.length) return;
  const kinds = [...new Set(views.map((v) => v.kind))];
  for (const kind of kinds) {
    const def = await ctx.registry.get(kind);
    const pii = def.fields.filter((f) => f.pii);
    if (!pii.length) continue;
    const shown = views.filter((v) => v.kind === kind && pii.some((f) => v.data[f.key] !== undefined && v.data[f.key] !== null && v.data[f.key] !== ''));
    if (!shown.length) continue;
    await audit(ctx.storage.db, who, ctx.now().toISOString(), {
      action: 'read_pii',
      entity: 'record',
      entityId: how === 'detail' ? shown[0]!.id : null,
      kind,
      orgId: how === 'detail' ? shown[0]!.orgId : null,
      detail: `${how === 'detail' ? '查看记录' : '列表'}（个人信息字段：${pii.map((f) => f.label).join('、')}）：记录 ${shown.map((v) => v.id).join('、')}`,
    });
  }
}

/**
 * The same for an export, written before its first byte is sent: one entry per kind naming every
 * record the file holds (as id ranges), beside the export entry that states the query.
 */
export async function auditPiiExport(ctx: AppContext, who: Actor, def: LedgerDef, orgId: number | null, ids: readonly number[]): Promise<void> {
  const pii = def.fields.filter((f) => f.pii);
  if (!canSeePii(who) || !pii.length || !ids.length) return;
  await audit(ctx.storage.db, who, ctx.now().toISOString(), {
    action: 'read_pii',
    entity: 'record',
    kind: def.kind,
    orgId,
    detail: `导出（个人信息字段：${pii.map((f) => f.label).join('、')}）：${ids.length}条，记录 ${idRanges(ids)}`,
  });
}
