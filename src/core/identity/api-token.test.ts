import { describe, expect, it } from 'vitest';
import { parseBearer, tokenDisplayPrefix, tokenExpiry, tokenRoleProblem, tokenRouteProblem, tokenState } from './api-token';

const TOKEN = `fzt_${'A'.repeat(20)}-_${'b'.repeat(21)}`;

describe('API tokens of service accounts', () => {
  it('reads a bearer header, and names a malformed one instead of ignoring it', () => {
    expect(parseBearer(undefined)).toBeNull();
    expect(parseBearer('')).toBeNull();
    expect(parseBearer(`Bearer ${TOKEN}`)).toEqual({ token: TOKEN });
    expect(parseBearer(`bearer   ${TOKEN} `)).toEqual({ token: TOKEN });
    expect(parseBearer(`Basic ${TOKEN}`)).toEqual({ problem: 'Authorization 请求头格式不正确：应为“Bearer 令牌”' });
    expect(parseBearer('Bearer fzt_short')).toEqual({ problem: 'API令牌格式不正确' });
    expect(parseBearer(`Bearer ${TOKEN}x`)).toEqual({ problem: 'API令牌格式不正确' });
  });

  it('shows only the first characters of a token', () => {
    expect(tokenDisplayPrefix(TOKEN)).toBe('fzt_AAAAAAAA');
  });

  it('never gives a token one of the three administrator roles (三员 stay people with a second factor)', () => {
    expect(tokenRoleProblem('clerk')).toBeNull();
    expect(tokenRoleProblem('supervisor')).toBeNull();
    expect(tokenRoleProblem('admin')).toContain('API令牌不能授予系统管理员');
    expect(tokenRoleProblem('security')).toContain('安全管理员');
    expect(tokenRoleProblem('auditor')).toContain('审计管理员');
    expect(tokenRoleProblem('root')).toMatch(/^角色：必须是/);
  });

  it('expires after 1 to 366 days, and says which number was wrong', () => {
    const now = new Date('2026-12-01T08:00:00.000Z');
    expect(tokenExpiry(now, 30)).toEqual({ expiresAt: '2026-12-31T08:00:00.000Z' });
    expect(tokenExpiry(now, 0)).toEqual({ problem: '有效期：必须是1至366天之间的整数' });
    expect(tokenExpiry(now, 367)).toEqual({ problem: '有效期：必须是1至366天之间的整数' });
    expect(tokenExpiry(now, 1.5)).toEqual({ problem: '有效期：必须是1至366天之间的整数' });
  });

  it('is active until its expiry, and revoked wins over expired', () => {
    const t = { expiresAt: '2026-12-31T08:00:00.000Z', revokedAt: null };
    expect(tokenState(t, new Date('2026-12-31T07:59:59.999Z'))).toBe('active');
    expect(tokenState(t, new Date('2026-12-31T08:00:00.000Z'))).toBe('expired');
    expect(tokenState({ ...t, revokedAt: '2026-12-02T00:00:00.000Z' }, new Date('2027-01-01T00:00:00Z'))).toBe('revoked');
  });

  it('keeps a person’s own-account routes away from tokens, but lets a token ask who it is', () => {
    expect(tokenRouteProblem('GET', '/api/auth/me')).toBeNull();
    expect(tokenRouteProblem('GET', '/api/records/:kind')).toBeNull();
    expect(tokenRouteProblem('POST', '/api/auth/password')).not.toBeNull();
    expect(tokenRouteProblem('POST', '/api/auth/logout')).not.toBeNull();
    expect(tokenRouteProblem('GET', '/api/auth/sessions')).not.toBeNull();
    expect(tokenRouteProblem('POST', '/api/tokens')).not.toBeNull();
  });
});
