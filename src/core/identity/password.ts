/**
 * The password rule of GB/T 22239-2019 8.1.4.1 a) (身份鉴别: 口令复杂度): long enough, several kinds of
 * character, not the account's own name. History and age are checked where the hashes live (app/users).
 */
export const PASSWORD_CLASSES = [
  { label: '小写字母', re: /[a-z]/ },
  { label: '大写字母', re: /[A-Z]/ },
  { label: '数字', re: /[0-9]/ },
  { label: '符号', re: /[^A-Za-z0-9]/ },
] as const;

/** How many of the four classes (lower case, upper case, digits, symbols) a password uses. */
export function passwordClasses(pw: string): number {
  return PASSWORD_CLASSES.filter((c) => c.re.test(pw)).length;
}

/** The first rule a password breaks, as a Chinese message naming the field, or null when it passes. */
export function passwordProblem(pw: string, username: string, minLength = 8): string | null {
  if ([...pw].length < minLength) return `密码：至少${minLength}位`;
  if (passwordClasses(pw) < 3) return '密码：须包含大写字母、小写字母、数字、符号中的至少三类';
  const name = username.trim().toLowerCase();
  if (name.length >= 3) {
    const p = pw.toLowerCase();
    if (p.includes(name) || p.includes([...name].reverse().join(''))) return '密码：不能包含用户名';
  }
  return null;
}

/** Whether a password set on `changedAt` has expired under a maximum age in days (0: never). */
export function passwordExpired(changedAt: string, now: Date, maxAgeDays: number): boolean {
  if (maxAgeDays <= 0) return false;
  return now.getTime() - new Date(changedAt).getTime() >= maxAgeDays * 86_400_000;
}
