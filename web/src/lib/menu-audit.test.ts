import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import type { User } from '../api/types';
import { buildMenu } from './menu';

describe('buildMenu for the 审计管理员', () => {
  it('shows the audit log and their own account, nothing else (三员分立)', () => {
    const auditor: User = {
      id: 9, username: 'shenji', displayName: '审计员', role: 'auditor', roleLabel: '审计管理员', orgId: 1, orgName: '宝山区', orgCode: 'bs',
      deptId: null, deptName: null, can: { write: false, review: false, admin: false, district: false, users: false, audit: true },
    };
    // The audit log, and their own account (password, second factor: required of the three administrators).
    expect(buildMenu(auditor, BUILTIN_LEDGERS)).toEqual([
      { key: 'audit', label: '安全审计', icon: 'Tickets', items: [{ path: '/audit', label: '审计日志' }] },
      { key: 'account', label: '账号与安全', icon: 'User', items: [{ path: '/account', label: '账号与安全' }] },
    ]);
  });
});
