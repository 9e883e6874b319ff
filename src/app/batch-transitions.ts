import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { AppError } from '../core/errors';
import { validateRecordData } from '../core/ledgers/validate';
import { audit } from './audit';
import { performTransition } from './transitions';

export const MAX_BATCH = 500;

export interface BatchResult {
  /** Records the step was performed on. */
  done: number[];
  /** Records it was not, each with the reason in Chinese (the single step's own message). */
  refused: { id: number; message: string }[];
}

/**
 * One flow step on several records (the list's 批量办理): the same date, reason and field values
 * for all. The values are checked once, as the single step checks them, and refused as a whole
 * (400 naming the field, nothing written) when wrong; then each record goes through the single
 * step's own path in its own transaction, so a record where the step does not apply (another
 * state, another department, a date before its start) is refused with the reason and the others
 * are done. A value fills a field only where the record has none, as the single step asks only
 * for what is missing.
 */
export async function performBatchTransition(
  ctx: AppContext,
  who: Actor,
  kind: string,
  key: string,
  input: { ids: number[]; data?: Record<string, unknown>; reason?: string; on?: string },
): Promise<BatchResult> {
  const def = await ctx.registry.get(kind);
  const t = def.flow?.transitions.find((x) => x.key === key);
  if (!t) throw new AppError('BAD_REQUEST', `“${def.label}”没有“${key}”这一办理步骤`);
  const ids = [...new Set(input.ids)];
  if (!ids.length) throw new AppError('VALIDATION', '请选择要办理的记录');
  if (ids.length > MAX_BATCH) throw new AppError('VALIDATION', `一次最多批量办理${MAX_BATCH}条`);
  if (input.data && Object.keys(input.data).length) {
    const v = validateRecordData(def, input.data, { partial: true });
    if (!v.ok) throw new AppError('VALIDATION', v.errors.map((e) => e.message).join('；'), { fields: v.errors });
  }
  const out: BatchResult = { done: [], refused: [] };
  for (const id of ids) {
    try {
      await performTransition(ctx, who, kind, id, key, input, { fillOnly: true });
      out.done.push(id);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // A refusal for want of rights is audited as the single step's would be (GB/T 22239 8.1.4.3).
      if (e.status === 403) {
        await audit(ctx.storage.db, who, ctx.now().toISOString(), { action: 'denied', entity: 'record', entityId: id, kind, detail: e.message.slice(0, 500) });
      }
      out.refused.push({ id, message: e.message });
    }
  }
  return out;
}
