import { z } from 'zod';

/**
 * The security settings the 安全管理员 may change (password, lockout and session rules). Bounds keep a
 * setting from switching a control off: a lockout always locks, a session always ends.
 */
export const ZSecuritySettings = z.object({
  /** Wrong passwords from one address for one account within the window before that pair is locked. */
  maxFailures: z.number().int().min(3).max(10),
  failureWindowMinutes: z.number().int().min(5).max(1440),
  lockMinutes: z.number().int().min(5).max(1440),
  /** Wrong passwords from one address for any accounts within the window before the address is locked. */
  addressMaxFailures: z.number().int().min(10).max(1000),
  passwordMinLength: z.number().int().min(8).max(64),
  /** A new password may not be one of the last N. */
  passwordHistory: z.number().int().min(1).max(24),
  /** Days after which a password must be changed; 0 never. */
  passwordMaxAgeDays: z.number().int().min(0).max(3650),
  idleMinutes: z.number().int().min(5).max(240),
  sessionHours: z.number().int().min(1).max(24),
  /** Open sessions per user; a new login ends the oldest beyond it. */
  maxSessions: z.number().int().min(1).max(50),
  /** Ask every role, not only the three administrators, for the second factor. */
  totpForAll: z.boolean(),
});
export type SecuritySettings = z.infer<typeof ZSecuritySettings>;

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  maxFailures: 5,
  failureWindowMinutes: 15,
  lockMinutes: 15,
  addressMaxFailures: 30,
  passwordMinLength: 8,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  idleMinutes: 30,
  sessionHours: 12,
  maxSessions: 5,
  totpForAll: false,
};

export const SECURITY_SETTING_LABELS: Record<keyof SecuritySettings, string> = {
  maxFailures: '同一账号同一地址连续失败次数上限',
  failureWindowMinutes: '失败计数时间窗（分钟）',
  lockMinutes: '锁定时长（分钟）',
  addressMaxFailures: '同一地址失败次数上限',
  passwordMinLength: '密码最短长度',
  passwordHistory: '不得与最近几次密码相同',
  passwordMaxAgeDays: '密码有效期（天，0为不过期）',
  idleMinutes: '无操作自动退出（分钟）',
  sessionHours: '会话最长时长（小时）',
  maxSessions: '每个用户同时在线会话数',
  totpForAll: '所有角色均须双因素认证',
};
