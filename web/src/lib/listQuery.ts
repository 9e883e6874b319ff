import type { FieldDef, FieldType, LedgerDef } from '@core/ledgers/types';

/** How a field is filtered in the list page, by its type. */
export type FilterKind = 'range' | 'options' | 'contains' | 'exact' | 'bool' | 'none';

/** A personal field is encrypted at rest: the server matches it only as a whole value (blind index). */
export function filterKind(type: FieldType, pii = false): FilterKind {
  if (pii && type !== 'files') return 'exact';
  switch (type) {
    case 'date':
    case 'month':
    case 'int':
    case 'number':
    case 'money':
      return 'range';
    case 'enum':
    case 'multienum':
    case 'dept':
    case 'depts':
      return 'options';
    case 'text':
    case 'longtext':
    case 'person':
      return 'contains';
    case 'bool':
      return 'bool';
    default:
      return 'none';
  }
}

export interface RangeFilter {
  from?: string | number | null;
  to?: string | number | null;
}

/** The value of one field's filter: a range, a list of options, a text or a yes/no. */
export type FieldFilter = RangeFilter | string[] | string | boolean | null;

export interface ListState {
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
  year?: number | null;
  orgId?: number | null;
  deptId?: number | null;
  status?: string[];
  deadlineState?: string[];
  deleted?: boolean;
  /** The keyword box: words in any text field, or a record number. */
  keyword?: string;
  filters: Record<string, FieldFilter>;
}

export function emptyListState(pageSize = 20): ListState {
  return { page: 1, pageSize, filters: {} };
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function appendFieldFilter(params: URLSearchParams, field: FieldDef, value: FieldFilter): void {
  const kind = filterKind(field.type, field.pii);
  const base = `f.${field.key}`;
  if (kind === 'range' && value && typeof value === 'object' && !Array.isArray(value)) {
    if (present(value.from)) params.set(`${base}.from`, String(value.from));
    if (present(value.to)) params.set(`${base}.to`, String(value.to));
  } else if (kind === 'options' && Array.isArray(value) && value.length) {
    params.set(base, value.join(','));
  } else if (kind === 'contains' && typeof value === 'string' && value.trim()) {
    params.set(`${base}.contains`, value.trim());
  } else if (kind === 'exact' && typeof value === 'string' && value.trim()) {
    params.set(base, value.trim());
  } else if (kind === 'bool' && typeof value === 'boolean') {
    params.set(base, String(value));
  }
}

/** The `/api/records/:kind` query for a list state; filters on fields the definition lacks are dropped. */
export function buildListQuery(def: LedgerDef, state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  params.set('page', String(Math.max(1, state.page)));
  params.set('pageSize', String(state.pageSize));
  if (state.sort) {
    params.set('sort', state.sort);
    params.set('order', state.order ?? 'desc');
  }
  if (present(state.year)) params.set('year', String(state.year));
  if (present(state.orgId)) params.set('orgId', String(state.orgId));
  if (present(state.deptId)) params.set('deptId', String(state.deptId));
  if (state.status?.length) params.set('status', state.status.join(','));
  if (state.deadlineState?.length) params.set('deadlineState', state.deadlineState.join(','));
  if (state.deleted) params.set('deleted', 'true');
  if (state.keyword?.trim()) params.set('q', state.keyword.trim());
  for (const field of def.fields) {
    const value = state.filters[field.key];
    if (value !== undefined && value !== null) appendFieldFilter(params, field, value);
  }
  return params;
}

/** Number of active filters (shown as a badge on the filter button). */
export function activeFilterCount(def: LedgerDef, state: ListState): number {
  const all = buildListQuery(def, state);
  let n = 0;
  for (const key of all.keys()) {
    if (key.startsWith('f.') || ['year', 'deptId', 'status', 'deadlineState', 'deleted', 'orgId', 'q'].includes(key)) n++;
  }
  return n;
}

/** Element Plus table sort event -> list state sort (field keys are prefixed for the API only when not meta columns). */
export const META_SORTS = new Set(['occurredOn', 'dueOn', 'createdAt', 'updatedAt']);

export function applySort(state: ListState, prop: string | null, order: 'ascending' | 'descending' | null): ListState {
  if (!prop || !order) return { ...state, sort: undefined, order: undefined, page: 1 };
  const sort = prop.startsWith('data.') ? prop.slice(5) : prop;
  return { ...state, sort, order: order === 'ascending' ? 'asc' : 'desc', page: 1 };
}
