import { PRIVILEGED_ROLES, type Role } from '../ledgers/types';

/**
 * Who may see and change what. Declared once here and used by every route, export and list query,
 * so the UI can also be told what the user may do. Data scope is decided on the submitted ids
 * (org unit, department, record), never only on the route.
 */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  /** Materialised path of the actor's org unit, e.g. '/1/4/'. */
  orgPath: string;
  deptId: number | null;
  ip?: string | null;
  /** The CLI, seeding and jobs: the host's operator, outside the 三员 split. */
  system?: boolean;
}

/** Where a record or a target lives. */
export interface Place {
  orgPath: string;
  deptId: number | null;
  kind?: string;
  /** For legality reviews: the adviser named on the record. */
  adviser?: string | null;
}

/** A read scope turned into list filters by the storage layer. */
export interface ReadScope {
  /** Records whose org unit path starts with this (the org unit and everything below). */
  orgPathPrefix: string;
  deptId?: number;
  /** Only records of this kind naming this adviser. */
  adviser?: { kind: string; name: string };
}

const within = (path: string, prefix: string) => path.startsWith(prefix);

export function readScope(a: Actor, kind: string): ReadScope | null {
  switch (a.role) {
    case 'admin':
      return { orgPathPrefix: '/' };
    case 'office':
    case 'leader':
    case 'supervisor':
      return { orgPathPrefix: a.orgPath };
    case 'clerk':
      return a.deptId === null ? null : { orgPathPrefix: a.orgPath, deptId: a.deptId };
    case 'adviser':
      return kind === 'legality_review' ? { orgPathPrefix: a.orgPath, adviser: { kind, name: a.displayName } } : null;
    case 'security':
    case 'auditor':
      return null;
  }
}

export function canRead(a: Actor, p: Place): boolean {
  const s = readScope(a, p.kind ?? '');
  if (!s || !within(p.orgPath, s.orgPathPrefix)) return false;
  if (s.deptId !== undefined && p.deptId !== s.deptId) return false;
  if (s.adviser && p.adviser !== s.adviser.name) return false;
  return true;
}

/** Create, update, delete and restore records at a place. */
export function canWrite(a: Actor, p: Place): boolean {
  switch (a.role) {
    case 'admin':
      return true;
    case 'office':
      return within(p.orgPath, a.orgPath);
    case 'clerk':
      return a.deptId !== null && p.deptId === a.deptId && within(p.orgPath, a.orgPath);
    case 'adviser':
    case 'leader':
    case 'supervisor':
    case 'security':
    case 'auditor':
      return false;
  }
}

/** Flow transitions: writers, plus an assigned adviser on the transitions that name the role. */
export function canTransition(a: Actor, p: Place, allowedRoles: readonly Role[] | undefined): boolean {
  if (allowedRoles && allowedRoles.length && a.role !== 'admin' && !allowedRoles.includes(a.role)) return false;
  if (a.role === 'adviser') return canRead(a, p);
  return canWrite(a, p);
}

/** Personal information (当事人, 申请人, 信访人) is shown unmasked only to those who handle it. */
export function canSeePii(a: Actor): boolean {
  return a.role === 'admin' || a.role === 'office' || a.role === 'clerk';
}

/** Reports: the 法治办 drafts and finalises; leaders and supervisors read. */
export function canEditReports(a: Actor, orgPath: string): boolean {
  return a.role === 'admin' || (a.role === 'office' && within(orgPath, a.orgPath));
}

export function canReadReports(a: Actor, orgPath: string): boolean {
  return (
    a.role === 'admin' ||
    ((a.role === 'office' || a.role === 'leader' || a.role === 'supervisor') && within(orgPath, a.orgPath))
  );
}

/** 系统管理员, 安全管理员 and 审计管理员: granted, reset and unlocked only by the 安全管理员. */
export function isPrivilegedRole(role: Role): boolean {
  return (PRIVILEGED_ROLES as readonly string[]).includes(role);
}

/** The third level asks for two kinds of authentication for administrators (GB/T 22239-2019 8.1.4.1 d). */
export function requiresSecondFactor(role: Role): boolean {
  return isPrivilegedRole(role);
}

const TOWN_GRANTS: readonly Role[] = ['clerk', 'adviser', 'leader'];

/**
 * Opening and running an account (create it with its first role, rename, disable, reset its password):
 * the 系统管理员 for the ledger roles anywhere, the 法治办 for clerks, advisers and leaders of its own
 * org unit, the 安全管理员 for the three administrator accounts. Never one's own account.
 */
export function canManageAccount(a: Actor, role: Role, target: Place, targetUserId?: number): boolean {
  if (targetUserId !== undefined && targetUserId === a.userId && !a.system) return false;
  if (a.system) return true;
  if (a.role === 'admin') return !isPrivilegedRole(role);
  if (a.role === 'security') return isPrivilegedRole(role);
  if (a.role === 'office') return TOWN_GRANTS.includes(role) && within(target.orgPath, a.orgPath);
  return false;
}

/**
 * Changing what an existing account may do (its role or department) is a grant: the 安全管理员's work
 * for every role, and the 法治办's for clerks, advisers and leaders of its own org unit. Never oneself.
 */
export function canGrant(a: Actor, role: Role, target: Place, targetUserId?: number): boolean {
  if (targetUserId !== undefined && targetUserId === a.userId && !a.system) return false;
  if (a.system || a.role === 'security') return true;
  if (a.role === 'office') return TOWN_GRANTS.includes(role) && within(target.orgPath, a.orgPath);
  return false;
}

/** Locks, second factors and the security settings (password, lockout and session rules). */
export function canAdministerSecurity(a: Actor): boolean {
  return a.system === true || a.role === 'security';
}

/** Reading and exporting the audit log: the 审计管理员 only. */
export function canReadAudit(a: Actor): boolean {
  return a.system === true || a.role === 'auditor';
}

export function isAdmin(a: Actor): boolean {
  return a.role === 'admin';
}

/** What the UI may show; the server still checks every request. */
export function capabilities(a: Actor): {
  write: boolean;
  review: boolean;
  admin: boolean;
  district: boolean;
  users: boolean;
  grant: boolean;
  security: boolean;
  audit: boolean;
} {
  return {
    write: a.role === 'admin' || a.role === 'office' || a.role === 'clerk',
    review: a.role === 'admin' || a.role === 'office',
    admin: a.role === 'admin',
    district: a.role === 'admin' || a.role === 'supervisor',
    users: a.role === 'admin' || a.role === 'office' || a.role === 'security',
    grant: a.role === 'security' || a.role === 'office',
    security: a.role === 'security',
    audit: a.role === 'auditor',
  };
}

/** Masks a person's name: 张三 -> 张*, 欧阳娜娜 -> 欧***. */
export function maskName(v: unknown): unknown {
  if (typeof v !== 'string' || v.length === 0) return v;
  return v[0] + '*'.repeat(Math.max(1, v.length - 1));
}
