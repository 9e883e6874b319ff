import { describe, expect, it } from 'vitest';
import { summarizeOnTime } from './on-time';

describe('summarizeOnTime', () => {
  it('counts closed on time, late and open states', () => {
    expect(summarizeOnTime(['按期办结', '按期办结', '逾期办结', '正常', '临期', '逾期', '逾期', null, undefined])).toEqual({
      closed: 3,
      closedOnTime: 2,
      closedLate: 1,
      onTimeRate: 2 / 3,
      open: 4,
      dueSoon: 1,
      overdueNow: 2,
    });
  });
  it('no closed records: no rate', () => {
    expect(summarizeOnTime([]).onTimeRate).toBeNull();
  });
});
