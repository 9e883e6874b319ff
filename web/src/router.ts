import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';
import type { User } from './api/types';
import { landingOf } from './lib/menu';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    public?: boolean;
    /** Who may open the page; the menu hides it for others and the guard sends them home. */
    allow?: (user: User) => boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
  { path: '/signin', name: 'signin', component: () => import('./pages/SignInStepsPage.vue'), meta: { title: '完成登录' } },
  {
    path: '/',
    component: () => import('./components/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./pages/DashboardPage.vue'), meta: { title: '工作台' } },
      { path: 'ledgers/:kind', name: 'ledger-list', component: () => import('./pages/LedgerListPage.vue'), meta: { title: '台账' } },
      { path: 'ledgers/:kind/new', name: 'record-new', component: () => import('./pages/RecordEditPage.vue'), meta: { title: '新建记录' } },
      { path: 'ledgers/:kind/:id(\\d+)', name: 'record', component: () => import('./pages/RecordDetailPage.vue'), meta: { title: '记录详情' } },
      { path: 'ledgers/:kind/:id(\\d+)/edit', name: 'record-edit', component: () => import('./pages/RecordEditPage.vue'), meta: { title: '编辑记录' } },
      { path: 'reports', name: 'reports', component: () => import('./pages/ReportListPage.vue'), meta: { title: '年度报告', allow: (u) => u.role !== 'clerk' } },
      { path: 'reports/:id(\\d+)', name: 'report', component: () => import('./pages/ReportEditorPage.vue'), meta: { title: '报告编辑', allow: (u) => u.role !== 'clerk' } },
      { path: 'notifications', name: 'notifications', component: () => import('./pages/NotificationsPage.vue'), meta: { title: '全部通知' } },
      { path: 'supervision', name: 'supervision', component: () => import('./pages/SupervisionPage.vue'), meta: { title: '督办', allow: (u) => u.role !== 'adviser' } },
      { path: 'district', name: 'district', component: () => import('./pages/DistrictPage.vue'), meta: { title: '区级对比', allow: (u) => u.can.district } },
      { path: 'audit', name: 'audit', component: () => import('./pages/AuditLogPage.vue'), meta: { title: '审计日志', allow: (u) => !!u.can.audit } },
      { path: 'district/disclosure', name: 'district-disclosure', component: () => import('./pages/DistrictDisclosurePage.vue'), meta: { title: '政务公开年报汇总', allow: (u) => u.can.district } },
      { path: 'password', name: 'password', component: () => import('./pages/PasswordPage.vue'), meta: { title: '修改密码' } },
      { path: 'account', name: 'account', component: () => import('./pages/AccountPage.vue'), meta: { title: '账号与安全' } },
      { path: 'admin/security', name: 'admin-security', component: () => import('./pages/admin/SecurityPage.vue'), meta: { title: '安全管理', allow: (u) => Boolean(u.can.security) } },
      { path: 'admin/orgs', name: 'admin-orgs', component: () => import('./pages/admin/OrgsPage.vue'), meta: { title: '组织与部门', allow: (u) => u.can.admin } },
      { path: 'admin/users', name: 'admin-users', component: () => import('./pages/admin/UsersPage.vue'), meta: { title: '用户与角色', allow: (u) => u.can.admin || Boolean(u.can.security) || (u.can.users ?? u.role === 'office') } },
      { path: 'admin/ledgers', name: 'admin-ledgers', component: () => import('./pages/admin/LedgerKindsPage.vue'), meta: { title: '台账类型', allow: (u) => u.can.admin } },
      { path: 'admin/dictionary', name: 'admin-dictionary', component: () => import('./pages/admin/DictionaryPage.vue'), meta: { title: '字典', allow: (u) => u.can.admin } },
      { path: 'admin/metrics', name: 'admin-metrics', component: () => import('./pages/admin/MetricsPage.vue'), meta: { title: '指标', allow: (u) => u.can.admin } },
      { path: 'admin/calendar', name: 'admin-calendar', component: () => import('./pages/admin/CalendarPage.vue'), meta: { title: '工作日历', allow: (u) => u.can.admin } },
      { path: 'admin/tokens', name: 'admin-tokens', component: () => import('./pages/admin/ApiTokensPage.vue'), meta: { title: 'API令牌', allow: (u) => u.can.admin } },
      { path: 'admin/import', name: 'admin-import', component: () => import('./pages/admin/ImportPage.vue'), meta: { title: '数据导入导出', allow: (u) => u.can.admin || u.role === 'office' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  let user: User | null = null;
  try {
    user = await session.probe();
  } catch {
    // Server unreachable: let the login page show the error rather than a blank screen.
    user = null;
  }
  if (to.meta.public) return user && to.name === 'login' ? (session.signedIn() ? { name: 'home' } : { name: 'signin' }) : true;
  if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  // Second factor and required password change come before any page.
  if (!session.signedIn()) return to.name === 'signin' ? true : { name: 'signin', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (to.name === 'signin') return { name: 'home' };
  // The 安全管理员 and 审计管理员 handle no ledgers: their own landing page instead of the 工作台.
  const landing = landingOf(user);
  if (to.name === 'home' && landing !== '/') return landing;
  if (to.meta.allow && !to.meta.allow(user)) return { name: 'home' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 法治台账` : '法治台账';
});
