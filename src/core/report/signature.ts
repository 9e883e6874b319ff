/**
 * The signature block of a report (GB/T 9704-2012 §7.3.5.2, 不加盖印章的公文): below the text, one
 * empty line, then the 发文机关署名 right-indented two characters, and on the next line the 成文日期,
 * its first character two characters right of the 署名's first; a date longer than that moves the
 * 署名 left instead, the date then right-indented two characters. The date is written in Arabic
 * numerals with year, month and day in full and no leading zeros (§7.3.5.1: 2024年3月15日).
 */

/** 2024-03-15 (or an ISO timestamp, read in Asia/Shanghai) → 2024年3月15日. */
export function chineseDate(iso: string): string {
  const day = iso.length > 10 ? shanghaiDay(iso) : iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`chineseDate: ${iso}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The calendar day of an instant in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDay(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);
}

const SUFFIX: Record<string, string> = { 区: '人民政府', 镇: '人民政府', 乡: '人民政府', 市: '人民政府', 县: '人民政府', 街道: '办事处' };
const SUFFIXES = ['人民政府', '办事处'];

export interface IssuerOrg {
  name: string;
  level: string;
  /** The org unit's own full issuing name, when one is set. */
  issuingName?: string | null;
}

/**
 * An org unit's issuing name: its own when set; otherwise its parent's issuing name without the
 * organ (上海市宝山区人民政府 → 上海市宝山区) or, without one, the parents' names, then its name and the
 * organ of its level (镇 → 人民政府, 街道 → 办事处): 上海市宝山区庙行镇人民政府.
 */
export function issuingName(org: IssuerOrg, ancestors: readonly IssuerOrg[] = []): string {
  if (org.issuingName?.trim()) return org.issuingName.trim();
  const parent = ancestors[ancestors.length - 1];
  let prefix: string;
  if (parent?.issuingName?.trim()) {
    const p = parent.issuingName.trim();
    const s = SUFFIXES.find((x) => p.endsWith(x));
    prefix = s ? p.slice(0, -s.length) : p;
  } else prefix = ancestors.map((a) => a.name).join('');
  const name = org.name.startsWith(prefix) ? org.name : prefix + org.name;
  return name + (SUFFIX[org.level] ?? '');
}

/**
 * Width in characters of 三号, as typeset: a Chinese character is one, a digit or Latin letter a
 * little over half of one, and Word and LibreOffice put a quarter character between Chinese and
 * Latin text (autospace): 2024年3月15日 is about 7.9 characters wide.
 */
export function textWidthChars(s: string): number {
  const chars = [...s];
  let w = 0;
  chars.forEach((c, i) => {
    const latin = c.charCodeAt(0) < 0x2e80;
    w += latin ? 0.55 : 1;
    const prev = chars[i - 1];
    if (prev !== undefined && prev.charCodeAt(0) < 0x2e80 !== latin) w += 0.25;
  });
  return w;
}

/**
 * Where the 署名 and the date go (GB/T 9704 §7.3.5.2), in characters from the right edge of the
 * text: `issuer` is the 署名's right indent, `dateStart` where the date's first character starts
 * (the date is set from there, left-aligned, so its start is exact whatever its digits' widths).
 */
export function signatureIndents(issuer: string, date: string): { issuer: number; dateStart: number } {
  const a = textWidthChars(issuer);
  const b = textWidthChars(date);
  // The date starts two characters right of the 署名's first, the 署名 right-indented 2.
  if (2 + a - 2 >= b + 2) return { issuer: 2, dateStart: a };
  // The date is too long: it ends two characters from the right, the 署名 starts two before it.
  return { issuer: b + 4 - a, dateStart: b + 2 };
}

/** 主送机关 ends with a full-width colon (GB/T 9704 §7.3.3). */
export function addresseeLine(addressee: string): string {
  const a = addressee.trim();
  return /[：:]$/.test(a) ? a.replace(/:$/, '：') : `${a}：`;
}
