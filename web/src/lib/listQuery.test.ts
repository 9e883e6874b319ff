import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { activeFilterCount, applySort, buildListQuery, emptyListState, filterKind } from './listQuery';

const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;

describe('buildListQuery', () => {
  it('always sends page and size, and nothing else for an empty state', () => {
    expect(buildListQuery(petition, emptyListState()).toString()).toBe('page=1&pageSize=20');
  });
  it('turns each filter into the API parameter of its field type', () => {
    const q = buildListQuery(petition, {
      page: 3,
      pageSize: 50,
      sort: 'registeredOn',
      order: 'asc',
      year: 2023,
      deadlineState: ['临期', '逾期'],
      filters: {
        registeredOn: { from: '2023-01-01', to: '2023-06-30' },
        channel: ['来信', '来访'],
        subject: ' 噪音 ',
        extended: true,
        acceptedOn: { from: null, to: '' },
        satisfaction: [],
        unknownField: 'x',
      },
    });
    expect(Object.fromEntries(q)).toEqual({
      page: '3',
      pageSize: '50',
      sort: 'registeredOn',
      order: 'asc',
      year: '2023',
      deadlineState: '临期,逾期',
      'f.registeredOn.from': '2023-01-01',
      'f.registeredOn.to': '2023-06-30',
      'f.channel': '来信,来访',
      'f.subject.contains': '噪音',
      'f.extended': 'true',
    });
    expect(activeFilterCount(petition, { ...emptyListState(), year: 2023, filters: { channel: ['来信'] } })).toBe(2);
  });
  it('classifies field types into filter widgets', () => {
    expect(['date', 'int', 'money', 'month'].map((t) => filterKind(t as 'date'))).toEqual(['range', 'range', 'range', 'range']);
    expect(filterKind('dept')).toBe('options');
    expect(filterKind('person')).toBe('contains');
    expect(filterKind('person', true)).toBe('exact'); // encrypted at rest: whole values only
    expect(filterKind('files')).toBe('none');
  });
});

describe('applySort', () => {
  it('maps table sort events to the API and resets the page', () => {
    const s = applySort({ ...emptyListState(), page: 4 }, 'data.subject', 'ascending');
    expect([s.sort, s.order, s.page]).toEqual(['subject', 'asc', 1]);
    const m = applySort(s, 'dueOn', 'descending');
    expect([m.sort, m.order]).toEqual(['dueOn', 'desc']);
    expect(applySort(m, null, null).sort).toBeUndefined();
  });
});
