import type { FieldDef, LedgerDef } from '@core/ledgers/types';
import { buildListQuery, emptyListState, filterKind, type FieldFilter, type ListState } from './listQuery';

/** A route's query as vue-router gives it. */
export type RouteQuery = Record<string, string | null | (string | null)[] | undefined>;

function one(v: RouteQuery[string]): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return x === null || x === undefined || x === '' ? undefined : x;
}

function int(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Blank filters for every field of a kind, as the search form binds them. */
export function blankFilters(def: LedgerDef): Record<string, FieldFilter> {
  const out: Record<string, FieldFilter> = {};
  for (const f of def.fields) {
    const k = filterKind(f.type);
    out[f.key] = k === 'range' ? { from: null, to: null } : k === 'options' ? [] : k === 'contains' ? '' : null;
  }
  return out;
}

/**
 * The list state a URL describes — the inverse of buildListQuery, so filters, sort and page live
 * in the address: Back from a record, a reload or a shared link shows the same view. Unknown or
 * malformed parameters are ignored (the address is not user input the server would refuse).
 */
export function listStateFromQuery(def: LedgerDef, q: RouteQuery): ListState {
  const state: ListState = { ...emptyListState(), filters: blankFilters(def) };
  state.page = Math.max(1, int(one(q.page)) ?? 1);
  const size = int(one(q.pageSize));
  if (size && [10, 20, 50, 100].includes(size)) state.pageSize = size;
  const sort = one(q.sort);
  if (sort) {
    state.sort = sort;
    state.order = one(q.order) === 'asc' ? 'asc' : 'desc';
  }
  state.year = int(one(q.year)) ?? null;
  state.deptId = int(one(q.deptId)) ?? null;
  state.orgId = int(one(q.orgId)) ?? null;
  const status = one(q.status);
  if (status) state.status = status.split(',');
  const dl = one(q.deadlineState);
  if (dl) state.deadlineState = dl.split(',');
  if (one(q.deleted) === 'true') state.deleted = true;
  const kw = one(q.q);
  if (kw) state.keyword = kw;
  for (const f of def.fields) {
    const base = `f.${f.key}`;
    const kind = filterKind(f.type);
    if (kind === 'range') {
      const from = one(q[`${base}.from`]);
      const to = one(q[`${base}.to`]);
      const num = f.type === 'int' || f.type === 'number' || f.type === 'money';
      const val = (v: string | undefined) => (v === undefined ? null : num ? (Number.isFinite(Number(v)) ? Number(v) : null) : v);
      state.filters[f.key] = { from: val(from), to: val(to) };
    } else if (kind === 'options') {
      const v = one(q[base]);
      state.filters[f.key] = v ? v.split(',') : [];
    } else if (kind === 'contains') {
      state.filters[f.key] = one(q[`${base}.contains`]) ?? '';
    } else if (kind === 'bool') {
      const v = one(q[base]);
      state.filters[f.key] = v === 'true' ? true : v === 'false' ? false : null;
    }
  }
  return state;
}

/** The route query for a list state (page 1 and the default size are left out to keep links short). */
export function queryFromListState(def: LedgerDef, state: ListState): Record<string, string> {
  const out = Object.fromEntries(buildListQuery(def, state));
  if (out.page === '1') delete out.page;
  if (out.pageSize === '20') delete out.pageSize;
  return out;
}

/** The export's query: the list's filters and sort without the page, or the selected ids as well. */
export function exportQuery(def: LedgerDef, state: ListState, ids: readonly number[] = []): Record<string, string> {
  const out = Object.fromEntries(buildListQuery(def, state));
  delete out.page;
  delete out.pageSize;
  if (ids.length) out.ids = ids.join(',');
  return out;
}

/**
 * The fields the search form shows open above the table (RuoYi style): the date that puts a record
 * in a year, then choice fields (enum, dept, bool) — at most `max`; the rest sit under 展开.
 */
export function mainFilterFields(def: LedgerDef, max = 3): FieldDef[] {
  const usable = def.fields.filter((f) => filterKind(f.type) !== 'none' && !f.pii);
  const date = usable.find((f) => f.key === def.occurredOn && f.type === 'date');
  const choices = [...usable.filter((f) => f.type === 'enum' || f.type === 'dept'), ...usable.filter((f) => f.type === 'bool')];
  return [...(date ? [date] : []), ...choices].slice(0, max);
}
