import { describe, expect, it } from 'vitest';
import { idRanges } from './id-ranges';

describe('idRanges', () => {
  it('names runs as ranges, pairs and single ids in order, without duplicates', () => {
    expect(idRanges([12, 3, 4, 5, 6, 7, 9, 13, 5])).toBe('3–7、9、12、13');
    expect(idRanges([42])).toBe('42');
    expect(idRanges([])).toBe('');
  });
});
