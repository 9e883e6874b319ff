import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, generatePassword } from './users';

describe('generatePassword', () => {
  it('always passes the strength rule', () => {
    for (let i = 0; i < 2000; i++) {
      const pw = generatePassword();
      expect(pw).toHaveLength(12);
      expect(() => checkPasswordStrength(pw)).not.toThrow();
    }
  });
});
