import { describe, expect, it } from 'vitest';
import { applyClockEvents, normalizeClockEvents } from './clock-events';
import type { ClockEvents } from './types';

describe('applyClockEvents', () => {
  it('opens, closes and records extensions without mutating the input', () => {
    const start: ClockEvents = { stops: [], extensions: [] };
    const opened = applyClockEvents(start, [{ type: 'stop_open', state: '补正中', on: '2026-10-12', reason: '申请不明确', by: '王芳' }]);
    expect(start.stops).toEqual([]);
    expect(opened.stops).toEqual([{ state: '补正中', from: '2026-10-12', reason: '申请不明确', by: '王芳' }]);
    const closed = applyClockEvents(opened, [
      { type: 'stop_close', state: '补正中', on: '2026-10-20', by: '王芳' },
      { type: 'extension', rule: 'reply', on: '2026-10-21', by: '李主任', reason: '需调档', period: { amount: 10, unit: 'working_days' } },
    ]);
    expect(opened.stops[0]!.to).toBeUndefined();
    expect(closed).toEqual({
      stops: [{ state: '补正中', from: '2026-10-12', to: '2026-10-20', reason: '申请不明确', by: '王芳' }],
      extensions: [{ rule: 'reply', on: '2026-10-21', by: '李主任', reason: '需调档', period: { amount: 10, unit: 'working_days' } }],
    });
  });

  it('a close with no open stop of that state changes nothing', () => {
    const e = applyClockEvents({ stops: [], extensions: [] }, [{ type: 'stop_close', state: '补正中', on: '2026-10-20', by: 'x' }]);
    expect(e).toEqual({ stops: [], extensions: [] });
  });
});

describe('normalizeClockEvents', () => {
  it('reads stored JSON leniently', () => {
    expect(normalizeClockEvents(null)).toEqual({ stops: [], extensions: [] });
    expect(normalizeClockEvents({ stops: 'x' })).toEqual({ stops: [], extensions: [] });
    expect(normalizeClockEvents({ stops: [{ state: 'a', from: '2026-01-01', reason: 'r', by: 'b' }] }).stops).toHaveLength(1);
  });
});
