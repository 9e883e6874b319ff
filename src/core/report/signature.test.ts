import { describe, expect, it } from 'vitest';
import { chineseDate, issuingName, signatureIndents } from './signature';

describe('signature block', () => {
  it('writes the 成文日期 in Arabic numerals without leading zeros (GB/T 9704 §7.3.5.1)', () => {
    expect(chineseDate('2024-03-15')).toBe('2024年3月15日');
    expect(chineseDate('2024-10-01')).toBe('2024年10月1日');
    // An instant is read on the Shanghai calendar: 16:30 UTC on 14 March is 15 March in Shanghai.
    expect(chineseDate('2024-03-14T16:30:00.000Z')).toBe('2024年3月15日');
  });

  it('defaults the issuing name from the org unit, its level and its parent', () => {
    const district = { name: '宝山区', level: '区', issuingName: '上海市宝山区人民政府' };
    expect(issuingName({ name: '庙行镇', level: '镇' }, [district])).toBe('上海市宝山区庙行镇人民政府');
    expect(issuingName({ name: '友谊路街道', level: '街道' }, [district])).toBe('上海市宝山区友谊路街道办事处');
    expect(issuingName({ name: '庙行镇', level: '镇' }, [{ name: '宝山区', level: '区' }])).toBe('宝山区庙行镇人民政府');
    expect(issuingName(district)).toBe('上海市宝山区人民政府');
    expect(issuingName({ name: '宝山区', level: '区' })).toBe('宝山区人民政府');
  });

  it('puts the date two characters right of the 署名’s start, or moves the 署名 when the date is longer', () => {
    // 上海市宝山区庙行镇人民政府 is 13 characters: right-indented 2, it starts 15 from the right; the
    // date starts 2 to its right, 13 from the right edge.
    expect(signatureIndents('上海市宝山区庙行镇人民政府', '2024年3月15日')).toEqual({ issuer: 2, dateStart: 13 });
    // 甲镇政府 (4) over 2024年10月15日 (3 + 8 × 0.55 + 5 × 0.25 = 8.65): the date ends 2 from the right,
    // the 署名 starts 2 before it.
    const short = signatureIndents('甲镇政府', '2024年10月15日');
    expect(short.dateStart).toBeCloseTo(2 + 8.65, 5);
    expect(short.issuer + 4 - 2).toBeCloseTo(short.dateStart, 5);
  });
});
