import { describe, expect, it } from 'vitest';
import { chineseNumber, firstLevelNumber, secondLevelNumber } from './numbering';

describe('chinese heading numbers', () => {
  it('writes 1..99', () => {
    expect([1, 2, 9, 10, 11, 20, 21, 99].map(chineseNumber)).toEqual(['一', '二', '九', '十', '十一', '二十', '二十一', '九十九']);
    expect(firstLevelNumber(4)).toBe('四、');
    expect(secondLevelNumber(6)).toBe('（六）');
    expect(() => chineseNumber(0)).toThrow(RangeError);
  });
});
