import type { AppContext } from './context';
import { systemActor } from './context';
import { seedOrgsAndUsers, type SeedUser } from './seed';
import { importLines } from './exchange';
import { DEMO_ORG, generateDemoTowns } from '../demo/demo-data';
import { todayShanghai } from '../core/time';

/**
 * Demo logins printed at start-up (for a local trial only). Each must change its password at its first
 * login; the three administrators (三员) also bind a second factor (TOTP) then.
 */
export const DEMO_USERS: SeedUser[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', org: DEMO_ORG.district.code, password: 'guanli123!' },
  { username: 'anquan', displayName: '安全管理员', role: 'security', org: DEMO_ORG.district.code, password: 'safety123!' },
  { username: 'shenji', displayName: '审计管理员', role: 'auditor', org: DEMO_ORG.district.code, password: 'audit123!' },
  { username: 'fazhiban', displayName: '庙行镇法治办', role: 'office', org: 'miaohang', password: 'fazhi123!' },
  { username: 'sifasuo', displayName: '司法所填报员', role: 'clerk', org: 'miaohang', dept: '司法所', password: 'clerk123!' },
  { username: 'zhifadui', displayName: '执法队填报员', role: 'clerk', org: 'miaohang', dept: '综合行政执法队', password: 'clerk123!' },
  { username: 'lingdao', displayName: '镇长', role: 'leader', org: 'miaohang', password: 'leader123!' },
  { username: 'guwen', displayName: '孙律师', role: 'adviser', org: 'miaohang', password: 'adviser123!' },
  { username: 'ducha', displayName: '区级督察', role: 'supervisor', org: DEMO_ORG.district.code, password: 'super123!' },
];

/** What the start prints after seeding the demo: the logins, and that each must change its password. */
export function demoBanner(): string[] {
  return [
    '已写入演示数据。演示账号（用户名 / 初始密码，仅供试用）：',
    ...DEMO_USERS.map((u) => `  ${u.username.padEnd(10)} ${u.password.padEnd(12)} ${u.displayName}`),
    '首次登录时须修改密码；系统管理员、安全管理员、审计管理员还须绑定双因素认证（手机验证器应用的动态验证码）。',
  ];
}

/** A district with two towns, their departments, one user per role and a year and a half of records. */
export async function seedDemo(ctx: AppContext): Promise<{ records: number }> {
  const today = todayShanghai(ctx.now());
  const year = Number(today.slice(0, 4));
  const towns = generateDemoTowns({ year, today });
  await seedOrgsAndUsers(
    ctx,
    [
      { code: DEMO_ORG.district.code, name: DEMO_ORG.district.name, level: '区', depts: ['区司法局'] },
      ...towns.map((t) => ({ code: t.code, name: t.name, level: '镇' as const, parent: DEMO_ORG.district.code, depts: t.depts })),
    ],
    DEMO_USERS,
  );
  let records = 0;
  for (const t of towns) {
    const r = await importLines(ctx, systemActor(), t.code, t.lines.map((value, i) => ({ line: i + 1, value })), { source: 'demo' });
    records += r.imported;
  }
  return { records };
}
