import { describe, expect, it } from 'vitest';
import {
  canAdministerSecurity,
  canGrant,
  canManageAccount,
  canRead,
  canReadAudit,
  canSeePii,
  canTransition,
  canWrite,
  maskName,
  readScope,
  requiresSecondFactor,
  type Actor,
} from './policy';

const town = '/1/2/';
const other = '/1/3/';
const mk = (role: Actor['role'], deptId: number | null = null, orgPath = town): Actor => ({
  userId: 10, username: 'u', displayName: '王律师', role, orgId: 2, orgPath, deptId,
});

describe('data scope', () => {
  const clerk = mk('clerk', 5);
  it('a clerk reads and writes only its own department', () => {
    expect(canRead(clerk, { orgPath: town, deptId: 5 })).toBe(true);
    expect(canRead(clerk, { orgPath: town, deptId: 6 })).toBe(false);
    expect(canWrite(clerk, { orgPath: town, deptId: 6 })).toBe(false);
    expect(canWrite(clerk, { orgPath: other, deptId: 5 })).toBe(false);
    expect(readScope(clerk, 'training')).toEqual({ orgPathPrefix: town, deptId: 5 });
  });
  it('a clerk without a department sees nothing', () => {
    expect(readScope(mk('clerk', null), 'training')).toBeNull();
  });
  it('leaders and supervisors read their subtree and never write', () => {
    const sup = mk('supervisor', null, '/1/');
    expect(canRead(sup, { orgPath: town, deptId: 9 })).toBe(true);
    expect(canWrite(sup, { orgPath: town, deptId: 9 })).toBe(false);
    expect(canRead(mk('leader'), { orgPath: other, deptId: 9 })).toBe(false);
  });
  it('an adviser sees only legality reviews assigned to them', () => {
    const adv = mk('adviser');
    expect(canRead(adv, { orgPath: town, deptId: 1, kind: 'legality_review', adviser: '王律师' })).toBe(true);
    expect(canRead(adv, { orgPath: town, deptId: 1, kind: 'legality_review', adviser: '李律师' })).toBe(false);
    expect(canRead(adv, { orgPath: town, deptId: 1, kind: 'training' })).toBe(false);
    const p = { orgPath: town, deptId: 1, kind: 'legality_review', adviser: '王律师' };
    expect(canTransition(adv, p, ['office', 'adviser'])).toBe(true);
    expect(canTransition(adv, p, ['office'])).toBe(false);
  });
  it('nobody grants a role to themselves; the office grants only lower roles in its org unit', () => {
    expect(canGrant(mk('clerk', 5), 'admin', { orgPath: town, deptId: 5 })).toBe(false);
    expect(canGrant(mk('admin'), 'admin', { orgPath: town, deptId: null }, 10)).toBe(false);
    expect(canGrant(mk('office'), 'clerk', { orgPath: town, deptId: 5 })).toBe(true);
    expect(canGrant(mk('office'), 'office', { orgPath: town, deptId: null })).toBe(false);
    expect(canGrant(mk('office'), 'clerk', { orgPath: other, deptId: 5 })).toBe(false);
  });
  it('masks names', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });
});

describe('三员分立: the administrator powers split in three', () => {
  const town = '/1/2/';
  const place = { orgPath: town, deptId: null };
  const actor = (role: Actor['role'], userId = 1): Actor => ({ userId, username: role, displayName: role, role, orgId: 1, orgPath: '/1/', deptId: null });
  it('the 系统管理员 runs the ledger roles accounts but grants nothing and opens no administrator account', () => {
    const a = actor('admin');
    expect(canManageAccount(a, 'clerk', place, 9)).toBe(true);
    expect(canManageAccount(a, 'security', place, 9)).toBe(false);
    expect(canManageAccount(a, 'auditor', place, 9)).toBe(false);
    expect(canManageAccount(a, 'admin', place, 9)).toBe(false);
    expect(canGrant(a, 'clerk', place, 9)).toBe(false);
    expect(canAdministerSecurity(a)).toBe(false);
    expect(canReadAudit(a)).toBe(false);
  });
  it('the 安全管理员 grants every role and runs the administrator accounts, never its own, and reads no record', () => {
    const s = actor('security');
    expect(canGrant(s, 'admin', place, 9)).toBe(true);
    expect(canGrant(s, 'clerk', place, 9)).toBe(true);
    expect(canGrant(s, 'auditor', place, 1)).toBe(false);
    expect(canManageAccount(s, 'auditor', place, 9)).toBe(true);
    expect(canManageAccount(s, 'clerk', place, 9)).toBe(false);
    expect(canAdministerSecurity(s)).toBe(true);
    expect(canReadAudit(s)).toBe(false);
    expect(readScope(s, 'petition')).toBeNull();
    expect(canWrite(s, { orgPath: town, deptId: 5 })).toBe(false);
  });
  it('the 审计管理员 reads the audit log and nothing else', () => {
    const au = actor('auditor');
    expect(canReadAudit(au)).toBe(true);
    expect(canAdministerSecurity(au)).toBe(false);
    expect(canGrant(au, 'clerk', place, 9)).toBe(false);
    expect(canManageAccount(au, 'clerk', place, 9)).toBe(false);
    expect(readScope(au, 'petition')).toBeNull();
    expect(canSeePii(au)).toBe(false);
  });
  it('asks the three administrators for a second factor', () => {
    expect((['admin', 'security', 'auditor'] as const).every(requiresSecondFactor)).toBe(true);
    expect((['office', 'clerk', 'leader', 'adviser', 'supervisor'] as const).some(requiresSecondFactor)).toBe(false);
  });
});
