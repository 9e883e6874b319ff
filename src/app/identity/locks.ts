import { z } from 'zod';
import type { AppContext } from '../context';
import { canAdministerSecurity, type Actor } from '../../core/access/policy';
import { AppError, forbidden } from '../../core/errors';
import { audit } from '../audit';
import { accountKey } from './throttle';

export const ZLockView = z
  .object({
    key: z.string(),
    /** 'account': one account from one address; 'address': one address for every account; 'totp': wrong codes. */
    scope: z.enum(['account', 'address', 'totp']),
    username: z.string().nullable(),
    ip: z.string().nullable(),
    attempts: z.number(),
    lockedUntil: z.string(),
  })
  .meta({ id: 'Lock' });
export type LockView = z.infer<typeof ZLockView>;

const scopeOf = (key: string): LockView['scope'] => (key.startsWith('acct:') ? 'account' : key.startsWith('addr:') ? 'address' : 'totp');

/** The locks in force now (the 安全管理员's screen). */
export async function listLocks(ctx: AppContext, who: Actor): Promise<LockView[]> {
  if (!canAdministerSecurity(who)) throw forbidden('只有安全管理员可以查看账号锁定');
  const rows = await ctx.storage.db
    .selectFrom('login_throttle')
    .selectAll()
    .where('locked_until', '>', ctx.now().toISOString())
    .orderBy('locked_until', 'desc')
    .execute();
  const totpUsers = rows.filter((r) => r.key.startsWith('totp:')).map((r) => Number(r.key.slice(5)));
  const names = new Map(
    totpUsers.length ? (await ctx.storage.db.selectFrom('users').select(['id', 'username']).where('id', 'in', totpUsers).execute()).map((u) => [u.id, u.username]) : [],
  );
  return rows.map((r) => ({
    key: r.key,
    scope: scopeOf(r.key),
    username: r.username ?? names.get(Number(r.key.slice(5))) ?? null,
    ip: r.ip,
    attempts: r.attempts,
    lockedUntil: r.locked_until!,
  }));
}

/**
 * Lifts locks: one by its key, or every lock of a user name (each address, and its second factor).
 * The 安全管理员's work, or the host operator's from the CLI; audited. Returns how many were lifted.
 */
export async function unlock(ctx: AppContext, who: Actor, target: { key?: string; username?: string; ip?: string }): Promise<number> {
  if (!canAdministerSecurity(who)) throw forbidden('只有安全管理员可以解除锁定');
  const db = ctx.storage.db;
  const at = ctx.now().toISOString();
  return db.transaction().execute(async (trx) => {
    let keys: string[];
    if (target.key) keys = [target.key];
    else if (target.username) {
      const name = target.username.trim().toLowerCase();
      const rows = await trx.selectFrom('login_throttle').select(['key', 'username']).where('key', 'like', 'acct:%').execute();
      keys = rows.filter((r) => r.key.slice(5, r.key.lastIndexOf('|')) === name).map((r) => r.key);
      if (target.ip) keys = keys.filter((k) => k === accountKey(name, target.ip!));
      const u = await trx.selectFrom('users').select('id').where('username', '=', target.username).executeTakeFirst();
      if (u && !target.ip) keys.push(`totp:${u.id}`);
    } else if (target.ip) keys = [`addr:${target.ip}`];
    else throw new AppError('VALIDATION', '请指定要解除的锁定（用户名或地址）');
    if (!keys.length) return 0;
    const r = await trx.deleteFrom('login_throttle').where('key', 'in', keys).executeTakeFirst();
    const n = Number(r.numDeletedRows);
    await audit(trx, who, at, { action: 'unlock', entity: 'session', detail: `解除锁定：${keys.join('，')}` });
    return n;
  });
}
