import type { AppContext } from './context';
import { systemActor } from './context';
import { addDept, addOrg } from './orgs';
import { createUser } from './users';

export interface SeedOrg {
  code: string;
  name: string;
  level: '区' | '镇' | '街道';
  parent?: string;
  depts: string[];
}

export interface SeedUser {
  username: string;
  displayName: string;
  role: string;
  org: string;
  dept?: string;
  password: string;
  /** false: an account that need not change its password at the first login (test fixtures only). */
  mustChangePassword?: boolean;
}

/** Creates org units, departments and users (idempotence is the caller's: used on an empty database). */
export async function seedOrgsAndUsers(ctx: AppContext, orgs: SeedOrg[], users: SeedUser[]): Promise<void> {
  const sys = systemActor();
  const ids = new Map<string, number>();
  for (const o of orgs) {
    const v = await addOrg(ctx, sys, { code: o.code, name: o.name, level: o.level, parentCode: o.parent });
    ids.set(o.code, v.id);
    for (const d of o.depts) await addDept(ctx, sys, v.id, d);
  }
  for (const u of users) {
    await createUser(ctx, sys, {
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      orgCode: u.org,
      deptName: u.dept,
      password: u.password,
      mustChangePassword: u.mustChangePassword,
    });
  }
}

export async function isEmpty(ctx: AppContext): Promise<boolean> {
  const r = await ctx.storage.db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  return !r;
}
