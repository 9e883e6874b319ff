import { describe, expect, it } from 'vitest';
import { addDays, buildWorkCalendar } from '../calendar';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import { computeDeadline } from './compute';
import type { ClockEvents } from './types';

describe('bulk recomputation', () => {
  it('recomputes 100,000 open deadlines with explanations well under 2 s', () => {
    const def = BUILTIN_LEDGERS.find((d) => d.kind === 'disclosure_request')!;
    const cal = buildWorkCalendar([{ date: '2026-10-09', kind: 'holiday', name: '台风停工' }]);
    const events: ClockEvents = {
      stops: [{ state: '补正中', from: '2026-10-12', to: '2026-10-20', reason: '补正', by: '王芳' }],
      extensions: [],
    };
    const records = Array.from({ length: 100_000 }, (_, i) => ({ receivedOn: addDays('2026-01-01', i % 300) }));
    const t0 = performance.now();
    let overdue = 0;
    for (let i = 0; i < records.length; i++) {
      const r = computeDeadline({ def, record: { data: records[i]! }, events: i % 10 === 0 ? events : null, calendar: cal, today: '2026-10-15' });
      if (r?.state === '逾期') overdue++;
    }
    const ms = performance.now() - t0;
    expect(overdue).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2000);
  });
});
