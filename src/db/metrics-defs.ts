/** A town's own metric definitions, stored in `metric_defs` (validated on save and on load). */
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { LedgerDef } from '../core/ledgers/types';
import { buildMetricCatalog, checkMetricDef, isBuiltinMetricKey, ledgerMap, parseMetricDef, type CatalogProblem, type MetricDef } from '../core/metrics';
import type { Storage } from './connect';

export type SaveMetricResult = { ok: true; def: MetricDef } | { ok: false; errors: string[] };

/**
 * Validates and stores (creates or replaces) a metric definition. `orgId` null = for every org unit.
 * Errors are Chinese, for a 400 response or the CLI.
 */
export async function saveMetricDef(
  storage: Storage,
  input: unknown,
  opts: { orgId?: number | null; userId?: number | null; ledgers?: readonly LedgerDef[]; now?: Date } = {},
): Promise<SaveMetricResult> {
  const parsed = parseMetricDef(input);
  if (!parsed.ok) return parsed;
  const def = parsed.def;
  const ledgers = opts.ledgers ?? BUILTIN_LEDGERS;
  if (isBuiltinMetricKey(def.key, ledgers)) return { ok: false, errors: [`指标键 ${def.key} 是内置指标，请换一个键`] };
  const orgId = opts.orgId ?? null;
  const existing = (await loadMetricDefs(storage, orgId)).defs.filter((d) => d.key !== def.key);
  const { catalog } = buildMetricCatalog(ledgers, existing);
  const errors = checkMetricDef(def, ledgerMap(ledgers), catalog);
  if (errors.length) return { ok: false, errors };
  const row = {
    key: def.key,
    org_id: orgId,
    definition: JSON.stringify(def),
    created_at: (opts.now ?? new Date()).toISOString(),
    created_by: opts.userId ?? null,
  };
  await storage.db
    .insertInto('metric_defs')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ org_id: row.org_id, definition: row.definition, created_at: row.created_at, created_by: row.created_by }))
    .execute();
  return { ok: true, def };
}

/**
 * Metric definitions that apply to an org unit: those for every unit (org_id null) and those of the
 * unit and its ancestors. `orgId` null loads only the global ones. Rows that no longer parse are
 * reported, not thrown.
 */
export async function loadMetricDefs(storage: Storage, orgId: number | null): Promise<{ defs: MetricDef[]; problems: CatalogProblem[] }> {
  let q = storage.db.selectFrom('metric_defs').select(['key', 'definition', 'org_id']).orderBy('key');
  if (orgId === null) q = q.where('org_id', 'is', null);
  else {
    const path = (await storage.db.selectFrom('org_units').select('path').where('id', '=', orgId).executeTakeFirst())?.path ?? '';
    const ancestors = path.split('/').filter(Boolean).map(Number);
    q = q.where((eb) => eb.or([eb('org_id', 'is', null), ...(ancestors.length ? [eb('org_id', 'in', ancestors)] : [])]));
  }
  const defs: MetricDef[] = [];
  const problems: CatalogProblem[] = [];
  for (const row of await q.execute()) {
    let json: unknown;
    try {
      json = JSON.parse(row.definition);
    } catch {
      problems.push({ key: row.key, message: '指标定义不是有效的 JSON' });
      continue;
    }
    const p = parseMetricDef(json);
    if (p.ok) defs.push(p.def);
    else problems.push({ key: row.key, message: p.errors.join('；') });
  }
  return { defs, problems };
}

export async function deleteMetricDef(storage: Storage, key: string): Promise<boolean> {
  const r = await storage.db.deleteFrom('metric_defs').where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
