const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (headings never go beyond that). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`chineseNumber: ${n} out of 1..99`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** First-level heading number: `一、`. */
export function firstLevelNumber(n: number): string {
  return `${chineseNumber(n)}、`;
}

/** Second-level heading number: `（一）` (full-width brackets, GB/T 9704). */
export function secondLevelNumber(n: number): string {
  return `（${chineseNumber(n)}）`;
}
