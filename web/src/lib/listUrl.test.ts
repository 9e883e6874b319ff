import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { buildListQuery } from './listQuery';
import { exportQuery, listStateFromQuery, mainFilterFields, queryFromListState } from './listUrl';

const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;
const disclosure = BUILTIN_LEDGERS.find((d) => d.kind === 'disclosure_request')!;

describe('list state in the URL', () => {
  it('round-trips filters, keyword, sort and page', () => {
    const q = {
      page: '3',
      pageSize: '50',
      sort: 'registeredOn',
      order: 'asc',
      year: '2026',
      deadlineState: '临期,逾期',
      status: '受理',
      q: '噪声',
      'f.registeredOn.from': '2026-01-01',
      'f.channel': '来信,来访',
      'f.subject.contains': '道路',
      'f.extended': 'true',
    };
    const state = listStateFromQuery(petition, q);
    expect(state).toMatchObject({ page: 3, pageSize: 50, sort: 'registeredOn', order: 'asc', year: 2026, keyword: '噪声', status: ['受理'], deadlineState: ['临期', '逾期'] });
    expect(state.filters.channel).toEqual(['来信', '来访']);
    expect(queryFromListState(petition, state)).toEqual(q);
    expect(Object.fromEntries(buildListQuery(petition, listStateFromQuery(petition, queryFromListState(petition, state))))).toEqual(q);
  });
  it('leaves the defaults out and ignores malformed values', () => {
    const state = listStateFromQuery(petition, { page: 'x', pageSize: '7', year: '二〇二六' });
    expect(queryFromListState(petition, state)).toEqual({});
  });
  it('exports the filters without the page, or the selected ids', () => {
    const state = listStateFromQuery(petition, { page: '2', year: '2026', deadlineState: '逾期' });
    expect(exportQuery(petition, state)).toEqual({ year: '2026', deadlineState: '逾期' });
    expect(exportQuery(petition, state, [4, 9])).toEqual({ year: '2026', deadlineState: '逾期', ids: '4,9' });
  });
});

describe('search form', () => {
  it('opens the record date and the choice fields first', () => {
    expect(mainFilterFields(petition).map((f) => f.key)).toEqual(['registeredOn', 'channel', 'satisfaction']);
  });
});
