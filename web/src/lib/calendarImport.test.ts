import { describe, expect, it } from 'vitest';
import { calendarFileType, decodeCalendarFile, importSummary } from './calendarImport';

describe('calendarFileType', () => {
  it('posts CSV as text/csv and JSON as plain text, refuses other files', () => {
    expect(calendarFileType('2027节假日.CSV')).toBe('text/csv');
    expect(calendarFileType('holidays-2027.json')).toBe('application/json');
    expect(calendarFileType('holidays.xlsx')).toBeNull();
  });
});

describe('decodeCalendarFile', () => {
  it('reads UTF-8, and GBK as saved by Excel on a Chinese Windows', () => {
    const text = '2027-01-01,holiday,元旦';
    expect(decodeCalendarFile(new TextEncoder().encode(text))).toBe(text);
    // 元旦 in GBK: D4 AA B5 A9
    const gbk = new Uint8Array([...new TextEncoder().encode('2027-01-01,holiday,'), 0xd4, 0xaa, 0xb5, 0xa9]);
    expect(decodeCalendarFile(gbk)).toBe(text);
  });
});

describe('importSummary', () => {
  it('names the years, the days and the recomputed deadlines', () => {
    expect(importSummary({ imported: 34, years: [2027], warnings: [], recomputed: 12, recordIds: [], missingYears: [] })).toBe(
      '已导入2027年节假日安排，共34天，重新计算了12件记录的期限。',
    );
    expect(importSummary({ imported: 2, years: [2027], warnings: [], recomputed: 0, recordIds: [], missingYears: [2028] })).toBe(
      '已导入2027年节假日安排，共2天，没有记录的期限因此改变，仍缺少2028年的安排。',
    );
  });
});
