import { describe, expect, it } from 'vitest';
import { addDays, buildWorkCalendar } from '../calendar';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { CalendarOverride } from '../calendar/types';
import { calendarChangeFilter, changedOverrideDates } from './affects';
import { computeDeadline } from './compute';

describe('calendarChangeFilter', () => {
  it('flags spans containing a changed day', () => {
    const f = calendarChangeFilter({ dates: ['2026-10-09', '2026-10-12'] });
    expect(f.window).toEqual({ from: '2026-10-09', to: '2026-10-12' });
    expect(f.affects('2026-09-28', '2026-10-30')).toBe(true);
    expect(f.affects('2026-10-12', '2026-10-30')).toBe(false); // start day is not counted
    expect(f.affects('2026-10-09', '2026-10-11')).toBe(false);
    expect(f.affects('2026-09-01', '2026-10-08')).toBe(false);
    expect(f.affects('2026-09-01', '2026-10-09')).toBe(true);
  });

  it('flags spans touching a newly covered year', () => {
    const f = calendarChangeFilter({ dates: [], years: [2027] });
    expect(f.window).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(f.affects('2026-12-10', '2027-01-07')).toBe(true);
    expect(f.affects('2026-11-02', '2026-11-30')).toBe(false);
  });

  it('nothing changed', () => {
    const f = calendarChangeFilter({ dates: [] });
    expect(f.window).toBeNull();
    expect(f.affects('2026-01-01', '2026-12-31')).toBe(false);
  });

  it('never misses a record whose deadline moved (exhaustive over a year of start dates)', () => {
    const overrides: CalendarOverride[] = [
      { date: '2026-10-09', kind: 'holiday', name: '台风停工' },
      { date: '2026-10-10', kind: 'holiday' },
      { date: '2026-03-07', kind: 'workday' },
    ];
    const before = buildWorkCalendar();
    const after = buildWorkCalendar(overrides);
    const f = calendarChangeFilter({ dates: changedOverrideDates([], overrides) });
    let moved = 0;
    let flagged = 0;
    for (const def of BUILTIN_LEDGERS) {
      for (const rule of def.deadlines ?? []) {
        for (let i = 0; i < 365; i++) {
          const data: Record<string, unknown> = { [rule.startField]: addDays('2026-01-01', i) };
          for (const c of rule.when ?? []) if ('in' in c) data[c.field] = c.in[0];
          for (const c of rule.when ?? []) if ('eq' in c) data[c.field] = c.eq;
          const a = computeDeadline({ def, record: { data }, calendar: before, today: '2026-01-01', options: { explain: false } })!;
          const b = computeDeadline({ def, record: { data }, calendar: after, today: '2026-01-01', options: { explain: false } })!;
          const hit = f.affects(a.startOn, a.dueOn);
          if (hit) flagged++;
          if (a.dueOn !== b.dueOn) {
            moved++;
            expect(hit, `${def.kind}.${rule.key} from ${a.startOn}`).toBe(true);
          }
        }
      }
    }
    expect(moved).toBeGreaterThan(50);
    expect(flagged).toBeLessThan(365 * 12); // a real filter, not "everything"
  });
});

describe('changedOverrideDates', () => {
  it('lists added, removed and changed days', () => {
    expect(
      changedOverrideDates(
        [
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-01-02', kind: 'holiday' },
          { date: '2027-01-03', kind: 'holiday' },
        ],
        [
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-01-02', kind: 'workday' },
          { date: '2027-01-04', kind: 'holiday' },
        ],
      ),
    ).toEqual(['2027-01-02', '2027-01-03', '2027-01-04']);
  });
});
