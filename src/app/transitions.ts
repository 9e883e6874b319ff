import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { canRead, canTransition, canWrite } from '../core/access/policy';
import { availableTransitions, planLedgerTransition, roleMayPerform } from '../core/flows';
import { validateRecordData } from '../core/ledgers/validate';
import { isBlank } from '../core/deadlines/conditions';
import { AppError, forbidden } from '../core/errors';
import { todayShanghai } from '../core/time';
import { audit, piiKeys } from './audit';
import { deptNames } from './orgs';
import { deriveColumns, parseClock } from './derive';
import { envFor, loadDeadlineEnv } from './deadline-env';
import { parseData, placeOfRecord, type RecRow } from './record-view';
import { recordRows } from '../db/records-repo';
import { storedData } from './crypto/pii-codec';
import { dataValue } from '../db/json';
import { getRecord } from './records';
import { ROLE_LABELS, type Duration, type LedgerDef } from '../core/ledgers/types';
import type { RecView } from './record-view';


/** An extension's length as given in a request: `{ amount, unit }`, or a 400. */
function durationOf(v: unknown): Duration {
  const o = (v && typeof v === 'object' ? v : {}) as { amount?: unknown; unit?: unknown };
  if (typeof o.amount !== 'number' || !Number.isInteger(o.amount) || o.amount <= 0) throw new AppError('VALIDATION', '延期期限应为正整数');
  if (o.unit !== 'calendar_days' && o.unit !== 'working_days' && o.unit !== 'months') {
    throw new AppError('VALIDATION', '延期期限单位应为日（calendar_days）、工作日（working_days）或月（months）');
  }
  return { amount: o.amount, unit: o.unit };
}

/** Transitions the actor may perform on a record now (for the UI's buttons). */
export function transitionsFor(def: LedgerDef, row: RecRow, who: Actor): { key: string; label: string; needsReason: boolean; requires: string[] }[] {
  if (!def.flow || row.deleted_at) return [];
  const place = placeOfRecord(row);
  return availableTransitions(def.flow, { status: row.status, data: parseData(row.data) }, who.role)
    .filter((t) => canTransition(who, place, t.roles))
    .map((t) => ({ key: t.key, label: t.label, needsReason: t.needsReason === true, requires: t.requires ?? [] }));
}

/**
 * Performs a flow transition: scope and role checks, the flow and legal checks of the core, then
 * the new state, fields and clock history written with an audit entry in one transaction.
 */
export async function performTransition(
  ctx: AppContext,
  who: Actor,
  kind: string,
  id: number,
  key: string,
  input: { data?: Record<string, unknown>; reason?: string; on?: string; period?: unknown },
  /** A batch step: the given values fill only the fields still empty on this record (app/batch-transitions.ts). */
  opts: { fillOnly?: boolean } = {},
): Promise<RecView> {
  const extensionPeriod = input.period === undefined || input.period === null ? undefined : durationOf(input.period);
  const def = await ctx.registry.get(kind);
  if (!def.flow) throw new AppError('BAD_REQUEST', `“${def.label}”没有办理流程`);
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  return ctx.storage.db.transaction().execute(async (trx) => {
    const row = (await recordRows(trx, ctx.storage.dialect).where('records.id', '=', id).where('records.kind', '=', kind).executeTakeFirst()) as RecRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', '记录不存在');
    const place = placeOfRecord(row);
    if (!canRead(who, place)) throw forbidden('无权查看该记录（不在您的数据范围内）');
    if (row.deleted_at) throw new AppError('CONFLICT', '记录已删除，请先恢复');
    const t = def.flow!.transitions.find((x) => x.key === key);
    if (t && !canTransition(who, place, t.roles)) {
      if (!roleMayPerform(t, who.role)) {
        throw forbidden(`${ROLE_LABELS[who.role]}不能执行“${t.label}”，须由${(t.roles ?? []).map((r) => ROLE_LABELS[r]).join('或')}操作`);
      }
      throw forbidden(`无权执行“${t.label}”：只有记录所属部门的填报员、本单位法治办可以办理`);
    }
    const names = await deptNames(trx, row.org_id);
    const before = parseData(row.data);
    // Values given with the transition are validated like any edit before the flow sees them.
    let payload: Record<string, unknown> = {};
    if (input.data && t && !canWrite(who, place)) {
      // An assigned adviser may not edit the record: only the fields the step itself asks for.
      const own = new Set([...(t.requires ?? []), ...(t.setsDate ?? [])]);
      const other = Object.keys(input.data).filter((f) => !own.has(f));
      if (other.length) {
        const label = (f: string) => def.fields.find((x) => x.key === f)?.label ?? f;
        throw forbidden(`执行“${t.label}”只能填写${[...own].map((f) => `“${label(f)}”`).join('、') || '（无字段）'}，无权修改${other.map((f) => `“${label(f)}”`).join('、')}`);
      }
    }
    const given = opts.fillOnly && input.data ? Object.fromEntries(Object.entries(input.data).filter(([k]) => isBlank(before[k]))) : input.data;
    if (given && Object.keys(given).length) {
      const v = validateRecordData(def, given, { deptNames: names, partial: true });
      if (!v.ok) throw new AppError('VALIDATION', v.errors.map((e) => e.message).join('；'), { fields: v.errors });
      payload = v.data;
    }
    const env = await loadDeadlineEnv(trx, today, [row.org_id]);
    const dEnv = envFor(env, row.org_id, kind);
    const plan = planLedgerTransition(def, { status: row.status, data: before }, key, {
      role: who.role,
      data: payload,
      reason: input.reason,
      today,
      on: input.on,
      by: who.displayName,
      events: parseClock(row.clock),
      calendar: dEnv.calendar,
      periodOverrides: dEnv.periodOverrides,
      ...(extensionPeriod ? { extensionPeriod } : {}),
    });
    if (!plan.ok) throw new AppError(plan.code === 'forbidden' ? 'FORBIDDEN' : 'VALIDATION', plan.error);
    const merged = validateRecordData(def, plan.dataPatch, { deptNames: names, previous: before });
    if (!merged.ok) throw new AppError('VALIDATION', merged.errors.map((e) => e.message).join('；'), { fields: merged.errors });
    const clock = JSON.stringify(plan.events);
    const derived = deriveColumns(def, merged.data, plan.toState, clock, dEnv);
    const stored = storedData(def, merged.data);
    const res = await trx
      .updateTable('records')
      .set({
        ...derived,
        status: plan.toState,
        clock,
        data: dataValue(ctx.storage.dialect, stored.data),
        pii_index: stored.pii_index,
        version: row.version + 1,
        updated_by: who.userId || null,
        updated_at: at,
      })
      .where('id', '=', id)
      // Checked against the row this plan was made from: of two concurrent transitions only one applies.
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '该记录刚被他人修改，请刷新后重试');
    await audit(trx, who, at, {
      action: 'transition',
      entity: 'record',
      entityId: id,
      kind,
      orgId: row.org_id,
      before: { status: row.status, data: before },
      after: { status: plan.toState, data: merged.data },
      pii: piiKeys(def),
      detail: `${plan.transition.label}${input.reason ? `：${input.reason}` : ''}`,
    });
    return getRecord(ctx, who, kind, id, trx);
  });
}
