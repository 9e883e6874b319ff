import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { AppContext } from '../context';
import { canAdministerSecurity, isPrivilegedRole, requiresSecondFactor, type Actor } from '../../core/access/policy';
import type { Role } from '../../core/ledgers/types';
import { AppError, forbidden, notFound } from '../../core/errors';
import { audit } from '../audit';
import { loadSecuritySettings } from './settings';
import { attemptFailed, clearAttempts, reserveAttempt, totpKey } from './throttle';
import { completeSession, endAllSessions } from './sessions';
import { openText, sealText, totpAad } from '../crypto/sealed-text';

/**
 * The second factor (GB/T 22239-2019 8.1.4.1 d: 两种或两种以上组合的鉴别技术): RFC 6238 TOTP, 6 digits every
 * 30 seconds, one step of clock drift either way; a code is never accepted twice (the last step used is
 * kept); ten single-use recovery codes, stored as SHA-256 (they are random, 50 bits each). The secret
 * itself is a shared key both sides must read, so it is sealed under the data key, not hashed.
 */
const ISSUER = '法治台账';
const RECOVERY_CODES = 10;

function totpOf(secret: string, username: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: username, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

export const hashRecoveryCode = (code: string) => crypto.createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  // 256 % 31 leaves a bias under 1%; 10 characters from 31 are ~49.5 bits.
  const chars = Array.from(crypto.randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Whether this user must present a second factor: the three administrators always, others when configured. */
export async function secondFactorRequired(ctx: AppContext, role: Role): Promise<boolean> {
  return requiresSecondFactor(role) || (await loadSecuritySettings(ctx.storage.db)).totpForAll;
}

async function userRow(ctx: AppContext, id: number) {
  const u = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'totp_secret', 'totp_enabled', 'totp_last_step'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!u) throw notFound('用户');
  return u;
}

/** Starts (or restarts) enrolment: a new secret, not in use until a code from it is confirmed. */
export async function startTotpEnrolment(ctx: AppContext, who: Actor): Promise<{ secret: string; uri: string }> {
  const u = await userRow(ctx, who.userId);
  if (u.totp_enabled === 1) throw new AppError('CONFLICT', '已启用双因素认证；如需更换，请先停用或请安全管理员重置');
  const secret = new Secret({ size: 20 }).base32;
  // Sealed under the data key (crypto/sealed-text.ts): a copy of the database does not give the factor away.
  await ctx.storage.db.updateTable('users').set({ totp_secret: sealText(secret, totpAad(u.id)), totp_last_step: null }).where('id', '=', u.id).execute();
  return { secret, uri: totpOf(secret, u.username).toString() };
}

/**
 * Checks a code against the user's secret at `now` and spends its step atomically (a second request
 * with the same code loses the race). Returns whether it was accepted.
 */
async function spendCode(ctx: AppContext, u: { id: number; username: string; totp_secret: string | null }, code: string): Promise<boolean> {
  if (!u.totp_secret || !/^\d{6}$/.test(code)) return false;
  const t = ctx.now().getTime();
  const delta = totpOf(openText(u.totp_secret, totpAad(u.id)), u.username).validate({ token: code, timestamp: t, window: 1 });
  if (delta === null) return false;
  const step = TOTP.counter({ period: 30, timestamp: t }) + delta;
  const r = await ctx.storage.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', u.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function spendRecoveryCode(ctx: AppContext, userId: number, code: string): Promise<boolean> {
  const r = await ctx.storage.db.deleteFrom('totp_recovery').where('user_id', '=', userId).where('code_hash', '=', hashRecoveryCode(code)).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Wrong codes count like wrong passwords; the lock ends the waiting session. */
async function withCodeThrottle(ctx: AppContext, userId: number, sessionId: string, check: () => Promise<boolean>): Promise<void> {
  const s = await loadSecuritySettings(ctx.storage.db);
  const now = ctx.now();
  const r = await reserveAttempt(ctx.storage.db, totpKey(userId), now, s.failureWindowMinutes);
  if (r.lockedUntil || r.attempt > s.maxFailures) {
    await ctx.storage.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    throw new AppError('LOCKED', `验证码错误次数过多，已锁定${s.lockMinutes}分钟，请稍后重新登录或联系安全管理员`);
  }
  if (await check()) {
    await clearAttempts(ctx.storage.db, totpKey(userId));
    return;
  }
  const locked = await attemptFailed(ctx.storage.db, r, now, s.maxFailures, s.lockMinutes);
  if (locked) await ctx.storage.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  throw new AppError(locked ? 'LOCKED' : 'VALIDATION', locked ? `验证码错误次数过多，已锁定${s.lockMinutes}分钟` : `验证码不正确，还可尝试${s.maxFailures - r.attempt}次`);
}

/** Confirms enrolment with a first code: the factor is in use, the session complete, recovery codes shown once. */
export async function confirmTotpEnrolment(ctx: AppContext, who: Actor, sessionId: string, code: string): Promise<{ recoveryCodes: string[] }> {
  const u = await userRow(ctx, who.userId);
  if (u.totp_enabled === 1) throw new AppError('CONFLICT', '已启用双因素认证');
  if (!u.totp_secret) throw new AppError('BAD_REQUEST', '请先开始绑定');
  await withCodeThrottle(ctx, u.id, sessionId, () => spendCode(ctx, u, code.trim()));
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: 1 }).where('id', '=', u.id).execute();
    await trx.deleteFrom('totp_recovery').where('user_id', '=', u.id).execute();
    await trx.insertInto('totp_recovery').values(codes.map((c) => ({ user_id: u.id, code_hash: hashRecoveryCode(c) }))).execute();
    await completeSession(trx, sessionId);
    await audit(trx, who, at, { action: 'totp_enrol', entity: 'user', entityId: u.id });
  });
  return { recoveryCodes: codes };
}

/** The login step after the password: a code from the app or a recovery code. */
export async function verifyTotpLogin(ctx: AppContext, who: Actor, sessionId: string, code: string): Promise<{ usedRecoveryCode: boolean; recoveryCodesLeft: number }> {
  const u = await userRow(ctx, who.userId);
  if (u.totp_enabled !== 1) throw new AppError('BAD_REQUEST', '尚未启用双因素认证');
  const c = code.trim();
  let recovery = false;
  await withCodeThrottle(ctx, u.id, sessionId, async () => {
    if (/^\d{6}$/.test(c)) return spendCode(ctx, u, c);
    recovery = await spendRecoveryCode(ctx, u.id, c);
    return recovery;
  });
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await completeSession(trx, sessionId);
    await audit(trx, who, at, { action: 'login_2fa', entity: 'session', detail: recovery ? '使用恢复码' : '动态验证码' });
  });
  const left = await ctx.storage.db.selectFrom('totp_recovery').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', u.id).executeTakeFirstOrThrow();
  return { usedRecoveryCode: recovery, recoveryCodesLeft: Number(left.n) };
}

/** Turns one's own second factor off, with a current code; not for the roles that must have it. */
export async function disableOwnTotp(ctx: AppContext, who: Actor, sessionId: string, code: string): Promise<void> {
  if (await secondFactorRequired(ctx, who.role)) throw forbidden('您的角色必须使用双因素认证，不能停用');
  const u = await userRow(ctx, who.userId);
  if (u.totp_enabled !== 1) throw new AppError('BAD_REQUEST', '尚未启用双因素认证');
  await withCodeThrottle(ctx, u.id, sessionId, () => spendCode(ctx, u, code.trim()));
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: 0, totp_secret: null, totp_last_step: null }).where('id', '=', u.id).execute();
    await trx.deleteFrom('totp_recovery').where('user_id', '=', u.id).execute();
    await audit(trx, who, at, { action: 'totp_disable', entity: 'user', entityId: u.id });
  });
}

/** A lost device: the 安全管理员 removes another user's second factor; they enrol again at their next login. */
export async function resetTotp(ctx: AppContext, who: Actor, userId: number): Promise<void> {
  if (!canAdministerSecurity(who)) throw forbidden('只有安全管理员可以重置双因素认证');
  if (userId === who.userId && !who.system) throw forbidden('不能重置自己的双因素认证');
  const u = await userRow(ctx, userId);
  const at = ctx.now().toISOString();
  await ctx.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: 0, totp_secret: null, totp_last_step: null }).where('id', '=', u.id).execute();
    await trx.deleteFrom('totp_recovery').where('user_id', '=', u.id).execute();
    await endAllSessions(trx, u.id);
    await audit(trx, who, at, { action: 'totp_reset', entity: 'user', entityId: u.id, detail: isPrivilegedRole(u.role as Role) ? '管理员账号' : null });
  });
}
