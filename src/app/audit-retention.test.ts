import { describe, expect, it } from 'vitest';
import { MIN_RETENTION_DAYS, retentionDaysFrom } from './audit-retention';

describe('audit retention setting', () => {
  it('keeps everything when unset and refuses less than 180 days (网络安全法 art. 21: six months)', () => {
    expect(MIN_RETENTION_DAYS).toBe(180);
    expect(retentionDaysFrom(undefined)).toBeNull();
    expect(retentionDaysFrom('0')).toBeNull();
    expect(retentionDaysFrom('180')).toBe(180);
    expect(retentionDaysFrom('400')).toBe(400);
    expect(() => retentionDaysFrom('179')).toThrow(/不少于180/);
    expect(() => retentionDaysFrom('half a year')).toThrow(/不少于180/);
  });
});
