/** Chinese names of audit actions and entities, for the audit screen and the assessor's export. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  restore: '恢复',
  transition: '流转',
  import: '导入',
  export: '导出',
  login: '登录',
  login_failed: '登录失败',
  logout: '退出登录',
  password: '修改密码',
  grant: '授权',
  define: '定义',
  attach: '上传附件',
  detach: '删除附件',
  download: '下载附件',
  denied: '拒绝访问',
  read_pii: '查看个人信息',
  prune: '清理审计记录',
  new_version: '新版本',
  token_issue: '签发API令牌',
  token_revoke: '吊销API令牌',
  token_use: '使用API令牌',
  dictionary_set: '修改字典',
  calendar_import: '导入工作日历',
  lock: '锁定账号',
  unlock: '解除锁定',
  login_2fa: '双因素认证登录',
  security_settings: '修改安全设置',
  settings_set: '修改设置',
  session_end: '结束会话',
  state: '变更报告状态',
  totp_enrol: '绑定双因素认证',
  totp_disable: '关闭双因素认证',
  totp_reset: '重置双因素认证',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  record: '记录',
  records: '记录（批量）',
  user: '用户',
  session: '会话',
  ledger_def: '台账类型',
  metric_def: '指标',
  report: '报告',
  calendar: '工作日历',
  settings: '设置',
  org_unit: '组织',
  department: '部门',
  district_compare: '区级对比',
  request: '请求',
  audit: '审计日志',
  api_token: 'API令牌',
  dictionary: '字典',
  org: '组织',
  district_disclosure: '区级公开年报汇总',
  supervision: '督办',
};

export function auditActionLabel(a: string): string {
  return AUDIT_ACTION_LABELS[a] ?? a;
}

export function auditEntityLabel(e: string): string {
  return AUDIT_ENTITY_LABELS[e] ?? e;
}
