import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { isAdmin } from '../core/access/policy';
import { AppError, forbidden } from '../core/errors';
import { checkDictionaryEntry, dictionaryRows, searchDictionary, type DictionaryRow } from '../core/ledgers/dictionary';
import { audit } from './audit';

export interface DictionaryItem extends DictionaryRow {
  updatedAt: string | null;
  /** Display name of who last changed the name (null for a built-in name never changed). */
  updatedByName: string | null;
}

export interface DictionaryPage {
  items: DictionaryItem[];
  total: number;
  /** The kinds that have enum fields, for the screen's kind filter. */
  kinds: { kind: string; label: string }[];
}

/**
 * The 字典: every option of every enum field with its built-in and its current name, searched and
 * paged. Names are no secret (every role sees them on its pages), so every signed-in role may read it.
 */
export async function listDictionary(
  ctx: AppContext,
  input: { q?: string; kind?: string; overridden?: boolean; page: number; pageSize: number },
): Promise<DictionaryPage> {
  const applied = await ctx.registry.all();
  const all = dictionaryRows(ctx.registry.raw(), applied);
  let rows = searchDictionary(all, input.q, input.kind);
  if (input.overridden !== undefined) rows = rows.filter((r) => r.overridden === input.overridden);
  const slice = rows.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
  const stamps = new Map<string, { at: string; by: string | null }>();
  if (slice.length) {
    const found = await ctx.storage.db
      .selectFrom('dictionary_entries as e')
      .leftJoin('users as u', 'u.id', 'e.updated_by')
      .select(['e.kind', 'e.field', 'e.value', 'e.updated_at', 'u.display_name'])
      .where('e.kind', 'in', [...new Set(slice.map((r) => r.kind))])
      .execute();
    for (const f of found) stamps.set(`${f.kind}\u0000${f.field}\u0000${f.value}`, { at: f.updated_at, by: f.display_name ?? null });
  }
  const kinds = [...new Map(all.map((r) => [r.kind, r.kindLabel])).entries()].map(([kind, label]) => ({ kind, label }));
  return {
    items: slice.map((r) => {
      const s = stamps.get(`${r.kind}\u0000${r.field}\u0000${r.value}`);
      return { ...r, updatedAt: s?.at ?? null, updatedByName: s?.by ?? null };
    }),
    total: rows.length,
    kinds,
  };
}

/**
 * Sets the name of one value (or, with `label` null, restores its built-in name): the 系统管理员
 * only; the entry and its audit entry in one transaction. Every page, export and metric name
 * shows it from then on (the registry lays the dictionary over the definitions).
 */
export async function setDictionaryLabel(
  ctx: AppContext,
  who: Actor,
  input: { kind: string; field: string; value: string; label: string | null },
): Promise<DictionaryItem> {
  if (!isAdmin(who)) throw forbidden('只有系统管理员可以维护字典');
  const def = await ctx.registry.get(input.kind);
  const checked = checkDictionaryEntry(def, input, ctx.registry.raw().find((d) => d.kind === input.kind));
  if (!checked.ok) {
    const labels = { field: '字段', value: '取值', label: '名称' } as const;
    throw new AppError('VALIDATION', checked.error, { fields: [{ field: checked.field, label: labels[checked.field], message: checked.error }] });
  }
  const e = checked.entry;
  const at = ctx.now().toISOString();
  const fieldLabel = def.fields.find((f) => f.key === e.field)!.label;
  const before = def.fields.find((f) => f.key === e.field)!.optionLabels?.[e.value] ?? e.value;
  await ctx.storage.db.transaction().execute(async (trx) => {
    const { rev } = await trx
      .selectFrom('dictionary_entries')
      .select((eb) => eb.fn.max<number | null>('rev').as('rev'))
      .executeTakeFirstOrThrow();
    const row = { label: e.label, rev: Number(rev ?? 0) + 1, updated_at: at, updated_by: who.userId > 0 ? who.userId : null };
    const exists = await trx
      .selectFrom('dictionary_entries')
      .select('rev')
      .where('kind', '=', e.kind)
      .where('field', '=', e.field)
      .where('value', '=', e.value)
      .executeTakeFirst();
    if (exists) {
      await trx.updateTable('dictionary_entries').set(row).where('kind', '=', e.kind).where('field', '=', e.field).where('value', '=', e.value).execute();
    } else {
      await trx.insertInto('dictionary_entries').values({ kind: e.kind, field: e.field, value: e.value, ...row }).execute();
    }
    await audit(trx, who, at, {
      action: 'dictionary_set',
      entity: 'dictionary',
      entityId: `${e.kind}.${e.field}:${e.value}`,
      kind: e.kind,
      before: { label: before },
      after: { label: e.label },
      detail: `${def.label}「${fieldLabel}」${def.fields.find((f) => f.key === e.field)!.options!.includes(e.value) ? '' : '新增'}选项“${e.value}”${e.label === null ? '恢复默认名称' : `名称设为“${e.label}”`}`,
    });
  });
  // After the commit: a failed write never shows its name.
  await ctx.registry.refresh(true);
  const page = await listDictionary(ctx, { kind: e.kind, page: 1, pageSize: 100000 });
  return page.items.find((r) => r.field === e.field && r.value === e.value)!;
}
