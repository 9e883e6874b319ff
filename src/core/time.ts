/** Calendar dates are those of Asia/Shanghai (UTC+8, no daylight saving) whatever the server's zone. */
export function todayShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}
