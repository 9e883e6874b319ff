import { describe, expect, it } from 'vitest';
import { passwordClasses, passwordExpired, passwordProblem } from './password';

describe('the password rule (GB/T 22239-2019 8.1.4.1 a)', () => {
  it('asks for 8 characters and three of four classes', () => {
    expect(passwordProblem('aaaaaaa1', 'zhang')).toBe('密码：须包含大写字母、小写字母、数字、符号中的至少三类');
    expect(passwordProblem('Ab1!', 'zhang')).toBe('密码：至少8位');
    expect(passwordProblem('Abcdefg1', 'zhang')).toBeNull();
    expect(passwordProblem('abcdefg1!', 'zhang')).toBeNull();
    expect(passwordProblem('ABCDEFG1!', 'zhang')).toBeNull();
    expect(passwordProblem('法治台账法治台账1a', 'zhang')).toBeNull(); // CJK counts as a symbol
    expect(passwordClasses('aA1!')).toBe(4);
  });
  it('refuses the user name in any case, forwards or backwards', () => {
    expect(passwordProblem('Zhangsan1!', 'zhangsan')).toBe('密码：不能包含用户名');
    expect(passwordProblem('x-NASGNAHZ-1', 'zhangsan')).toBe('密码：不能包含用户名');
    expect(passwordProblem('Zhangsan1!', 'li')).toBeNull(); // names under 3 characters are not searched for
  });
  it('honours a longer configured minimum', () => {
    expect(passwordProblem('Abcdefg1!', 'zhang', 12)).toBe('密码：至少12位');
  });
  it('expires after the configured number of days, never with 0', () => {
    const set = '2026-01-01T00:00:00.000Z';
    expect(passwordExpired(set, new Date('2026-03-31T23:59:59Z'), 90)).toBe(false);
    expect(passwordExpired(set, new Date('2026-04-01T00:00:00Z'), 90)).toBe(true);
    expect(passwordExpired(set, new Date('2036-01-01T00:00:00Z'), 0)).toBe(false);
  });
});
