import type { FastifyInstance } from 'fastify';
import { BUSINESS_ROLES, ROLE_LABELS, type Role } from '../../core/ledgers/types';

/**
 * Which roles may use which route, checked on every request before its body is read (访问控制,
 * GB/T 22239-2019 8.1.4.2). It is the coarse gate; the commands still decide data scope on the submitted
 * ids (core/access/policy.ts). `public` needs no session; `signed-in` any role (their own account).
 * A route missing here needs a session but no role; test/api/route-access.test.ts fails on it, so a new
 * route is never forgotten.
 */
export type RouteRule = 'public' | 'signed-in' | readonly Role[];

const ALL: readonly Role[] = BUSINESS_ROLES;
const WRITERS: readonly Role[] = ['admin', 'office', 'clerk'];
const REPORT_EDITORS: readonly Role[] = ['admin', 'office'];
const SYSTEM_ADMIN: readonly Role[] = ['admin'];
const SECURITY_ADMIN: readonly Role[] = ['security'];
const ACCOUNT_ADMINS: readonly Role[] = ['admin', 'office', 'security'];

export const ROUTE_ACCESS: Record<string, RouteRule> = {
  'POST /api/auth/login': 'public',
  'GET /api/health': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  // One's own account: everyone signed in.
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/logout': 'signed-in',
  'POST /api/auth/password': 'signed-in',
  'GET /api/auth/sessions': 'signed-in',
  'DELETE /api/auth/sessions': 'signed-in',
  'DELETE /api/auth/sessions/:id': 'signed-in',
  'POST /api/auth/totp/enrol': 'signed-in',
  'POST /api/auth/totp/confirm': 'signed-in',
  'POST /api/auth/totp/verify': 'signed-in',
  'POST /api/auth/totp/disable': 'signed-in',
  // 系统管理员: accounts, org units, settings of the ledgers.
  'GET /api/users': ACCOUNT_ADMINS,
  'POST /api/users': ACCOUNT_ADMINS,
  'PUT /api/users/:id': ACCOUNT_ADMINS,
  'POST /api/users/:id/reset-password': ACCOUNT_ADMINS,
  'GET /api/orgs': [...ALL, 'security', 'auditor'],
  'POST /api/orgs': SYSTEM_ADMIN,
  'POST /api/orgs/:id/depts': REPORT_EDITORS,
  // The issuing name under a report (发文机关署名): the 法治办 of the org unit or the 系统管理员.
  'PUT /api/orgs/:id/issuing-name': REPORT_EDITORS,
  // Definitions (no records) for every role: the 三员 screens name kinds too.
  'GET /api/ledgers': [...ALL, 'security', 'auditor'],
  'GET /api/ledgers/:kind': [...ALL, 'security', 'auditor'],
  'POST /api/ledgers': SYSTEM_ADMIN,
  // The 字典 (Chinese names of option values): every role reads the names it sees; the 系统管理员 sets them.
  'GET /api/dictionary': [...ALL, 'security', 'auditor'],
  'PUT /api/dictionary': SYSTEM_ADMIN,
  'GET /api/metric-defs': REPORT_EDITORS,
  'POST /api/metric-defs': SYSTEM_ADMIN,
  'GET /api/calendar': ALL,
  'PUT /api/calendar/:date': SYSTEM_ADMIN,
  'POST /api/calendar/import': SYSTEM_ADMIN,
  'GET /api/deadline-settings': ALL,
  'PUT /api/deadline-settings/near-days': SYSTEM_ADMIN,
  'PUT /api/deadline-settings/periods/:kind/:rule': SYSTEM_ADMIN,
  // 安全管理员: grants of the administrator roles, locks, second factors, security settings.
  'GET /api/security/locks': SECURITY_ADMIN,
  'DELETE /api/security/locks': SECURITY_ADMIN,
  'GET /api/security/settings': SECURITY_ADMIN,
  'PUT /api/security/settings': SECURITY_ADMIN,
  'POST /api/users/:id/reset-totp': SECURITY_ADMIN,
  // The ledgers: the business roles within their data scope.
  'GET /api/records/:kind': ALL,
  'GET /api/records/:kind/export.xlsx': ALL,
  'POST /api/records/:kind': WRITERS,
  'GET /api/records/:kind/:id': ALL,
  'PUT /api/records/:kind/:id': WRITERS,
  'DELETE /api/records/:kind/:id': WRITERS,
  'POST /api/records/:kind/:id/restore': WRITERS,
  'GET /api/records/:kind/:id/history': ALL,
  // Which transition a role may perform depends on the flow and the record: the command says why not.
  'POST /api/records/:kind/:id/transitions/:key': ALL,
  'POST /api/records/:kind/transitions/:key': ALL,
  'GET /api/records/:kind/:id/attachments': ALL,
  'POST /api/records/:kind/:id/attachments': WRITERS,
  'GET /api/attachments/:id': ALL,
  'DELETE /api/attachments/:id': WRITERS,
  'POST /api/import': WRITERS,
  'POST /api/import.xlsx': WRITERS,
  // An import as a job with progress; only its uploader (or an admin) sees it (app/import-jobs.ts).
  'POST /api/import-jobs': WRITERS,
  'GET /api/import-jobs/:id': WRITERS,
  'GET /api/import-jobs/:id/annotated.xlsx': WRITERS,
  'GET /api/export': ALL,
  'GET /api/export.xlsx': ALL,
  // Big exports as jobs (app/export-jobs.ts): whoever may export; the file only for the job's starter.
  'POST /api/records/:kind/export-jobs': ALL,
  'POST /api/export-jobs': ALL,
  'GET /api/export-jobs/:id': ALL,
  'GET /api/export-jobs/:id/file': ALL,
  'GET /api/templates/:kind.xlsx': ALL,
  'GET /api/metrics': ALL,
  'GET /api/metrics/:key/records': ALL,
  'GET /api/reports': ALL,
  'POST /api/reports': REPORT_EDITORS,
  'GET /api/reports/:id': ALL,
  'GET /api/reports/:id/export': ALL,
  'GET /api/reports/:id/figures/:figure/records': ALL,
  'GET /api/reports/:id/cells/:figure/records': ALL,
  'PUT /api/reports/:id/paragraphs/:pid': REPORT_EDITORS,
  'POST /api/reports/:id/paragraphs': REPORT_EDITORS,
  'POST /api/reports/:id/paragraphs/:pid/move': REPORT_EDITORS,
  'DELETE /api/reports/:id/paragraphs/:pid': REPORT_EDITORS,
  'PUT /api/reports/:id/other-part': REPORT_EDITORS,
  'PUT /api/reports/:id/settings': REPORT_EDITORS,
  'POST /api/reports/:id/state': REPORT_EDITORS,
  'POST /api/reports/:id/new-version': REPORT_EDITORS,
  'GET /api/district/compare': ['admin', 'supervisor'],
  'GET /api/district/compare/export': ['admin', 'supervisor'],
  'GET /api/district/disclosure': ['admin', 'supervisor'],
  'GET /api/district/disclosure/export': ['admin', 'supervisor'],
  'GET /api/dashboard': ALL,
  'GET /api/todo': ALL,
  'GET /api/todo/reports': ALL,
  'GET /api/overdue': ALL,
  // 三员分立: the audit log is the 审计管理员's alone (the command checks canReadAudit again).
  'GET /api/audit': ['auditor'],
  'GET /api/audit/export': ['auditor'],
  'GET /api/audit/verify': ['auditor'],
  // 督办: 临期/逾期 by department and kind; the command narrows it to the role's data scope.
  'GET /api/supervision': ALL,
  'GET /api/supervision.xlsx': ALL,
  // One's own notifications (the bell of every page).
  'GET /api/notifications': 'signed-in',
  'POST /api/notifications/:id/read': 'signed-in',
  'POST /api/notifications/read-all': 'signed-in',
  // API tokens of service accounts: the 系统管理员 opens accounts of the ledger roles, so it issues them.
  'GET /api/tokens': SYSTEM_ADMIN,
  'POST /api/tokens': SYSTEM_ADMIN,
  'DELETE /api/tokens/:id': SYSTEM_ADMIN,
};

/** Refusals that say who may do it instead (the default names only the role refused). */
const REFUSALS: Record<string, string> = {
  'POST /api/ledgers': '只有系统管理员可以定义台账类型',
  'POST /api/orgs': '只有系统管理员可以添加组织',
  'POST /api/orgs/:id/depts': '无权在该组织下添加部门',
  'GET /api/metric-defs': '只有系统管理员和法治办可以查看自定义指标',
  'POST /api/metric-defs': '只有系统管理员可以定义指标',
  'PUT /api/calendar/:date': '只有系统管理员可以修改工作日历',
  'POST /api/calendar/import': '只有系统管理员可以修改工作日历',
  'PUT /api/deadline-settings/near-days': '只有系统管理员可以修改期限设置',
  'PUT /api/deadline-settings/periods/:kind/:rule': '只有系统管理员可以修改期限设置',
  'GET /api/district/compare': '只有督察人员和系统管理员可以查看区级对比',
  'GET /api/district/compare/export': '只有督察人员和系统管理员可以查看区级对比',
  'GET /api/district/disclosure': '只有督察人员和系统管理员可以查看区级汇总',
  'GET /api/district/disclosure/export': '只有督察人员和系统管理员可以查看区级汇总',
  'POST /api/reports': '只有法治办（或系统管理员）可以创建报告',
  'PUT /api/reports/:id/paragraphs/:pid': '只有法治办（或系统管理员）可以修改报告',
  'POST /api/reports/:id/state': '只有法治办（或系统管理员）可以修改报告',
  'POST /api/reports/:id/new-version': '只有法治办（或系统管理员）可以修改报告',
  'GET /api/security/locks': '只有安全管理员可以查看账号锁定',
  'DELETE /api/security/locks': '只有安全管理员可以解除锁定',
  'GET /api/security/settings': '只有安全管理员可以查看安全设置',
  'PUT /api/security/settings': '只有安全管理员可以修改安全设置',
  'POST /api/users/:id/reset-totp': '只有安全管理员可以重置双因素认证',
  'GET /api/tokens': '只有系统管理员可以管理API令牌',
  'POST /api/tokens': '只有系统管理员可以管理API令牌',
  'DELETE /api/tokens/:id': '只有系统管理员可以管理API令牌',
};

const routeKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;

export function routeRule(method: string, url: string): RouteRule | undefined {
  return ROUTE_ACCESS[routeKey(method, url)];
}

export function roleMayUse(rule: RouteRule | undefined, role: Role): boolean {
  return rule === undefined || rule === 'public' || rule === 'signed-in' || rule.includes(role);
}

/** The refusal of a role the route's rule leaves out. */
export const routeRefusal = (method: string, url: string, role: Role) => REFUSALS[routeKey(method, url)] ?? `${ROLE_LABELS[role]}无权使用此功能`;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered (method and URL pattern), for the route-table authorization tests. */
    routeTable: { method: string; url: string }[];
  }
}

/** Records every route as it is registered; call first, before any plugin adds routes. */
export function collectRoutes(app: FastifyInstance): void {
  const table: { method: string; url: string }[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (r) => {
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) table.push({ method: m, url: r.url });
  });
}
