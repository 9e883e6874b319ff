import type { LedgerDef } from '@core/ledgers/types';
import { readScope } from '../../../src/core/access/policy';
import type { User } from '../api/types';

export interface MenuItem {
  path: string;
  label: string;
  icon?: string;
}

export interface MenuGroup {
  key: string;
  label: string;
  icon: string;
  items: MenuItem[];
}

/** The 安全管理员 and 审计管理员 handle no ledgers: where they land instead of the 工作台. */
export function landingOf(user: User): string {
  if (user.role === 'security') return '/admin/security';
  if (user.role === 'auditor') return '/audit';
  return '/';
}

/** The left menu for a user: only the groups and entries their role allows (the server enforces it again). */
export function buildMenu(user: User, ledgers: readonly LedgerDef[]): MenuGroup[] {
  const mine: MenuGroup = { key: 'account', label: '账号与安全', icon: 'User', items: [{ path: '/account', label: '账号与安全' }] };
  if (user.role === 'security') {
    return [
      { key: 'security', label: '安全管理', icon: 'Lock', items: [{ path: '/admin/security', label: '锁定与安全设置' }, { path: '/admin/users', label: '用户与角色' }] },
      mine,
    ];
  }
  // 三员分立: the 审计管理员 sees the audit log and nothing else.
  if (user.role === 'auditor') return [{ key: 'audit', label: '安全审计', icon: 'Tickets', items: [{ path: '/audit', label: '审计日志' }] }, mine];
  const groups: MenuGroup[] = [{ key: 'home', label: '工作台', icon: 'HomeFilled', items: [{ path: '/', label: '工作台' }] }];
  // Only the ledgers the role may read, decided by the same policy the server applies (an adviser: 合法性审核).
  const actor = { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, orgId: user.orgId, orgPath: '/', deptId: user.deptId };
  const readable = ledgers.filter((d) => readScope(actor, d.kind) !== null);
  if (readable.length) {
    groups.push({
      key: 'ledgers',
      label: '台账',
      icon: 'Notebook',
      items: readable.map((d) => ({ path: `/ledgers/${d.kind}`, label: d.label })),
    });
  }
  if (user.role !== 'adviser') {
    groups.push({ key: 'supervision', label: '督办', icon: 'AlarmClock', items: [{ path: '/supervision', label: '督办' }] });
  }
  if (user.role !== 'clerk') {
    groups.push({ key: 'reports', label: '报告', icon: 'Document', items: [{ path: '/reports', label: '年度报告' }] });
  }
  if (user.can.district) {
    groups.push({ key: 'district', label: '区级对比', icon: 'DataAnalysis', items: [{ path: '/district', label: '区级对比' }] });
  }
  if (user.can.admin) {
    groups.push({
      key: 'admin',
      label: '系统管理',
      icon: 'Setting',
      items: [
        { path: '/admin/orgs', label: '组织与部门' },
        { path: '/admin/users', label: '用户与角色' },
        { path: '/admin/ledgers', label: '台账类型' },
        { path: '/admin/metrics', label: '指标' },
        { path: '/admin/dictionary', label: '字典' },
        { path: '/admin/calendar', label: '工作日历' },
        { path: '/admin/import', label: '数据导入导出' },
        { path: '/admin/tokens', label: 'API令牌' },
      ],
    });
  } else if (user.can.users ?? user.role === 'office') {
    groups.push({ key: 'admin', label: '系统管理', icon: 'Setting', items: [{ path: '/admin/users', label: '用户与角色' }, { path: '/admin/import', label: '数据导入导出' }] });
  }
  return groups;
}
