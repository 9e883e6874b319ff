import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Storage } from '../../src/db/connect';
import { hashRecoveryCode } from '../../src/app/identity/totp';
import { openText, totpAad } from '../../src/app/crypto/sealed-text';

/** The code an authenticator app would show for `secret` at `at` (plus `steps` periods). */
export function totpCode(secret: string, at: Date, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at.getTime() + steps * 30_000 });
}

/**
 * A second-factor code the server will accept for this user now: a TOTP code of a step not used yet
 * (the server refuses a code twice, and tests often run on a frozen clock), or else a fresh recovery
 * code written for the purpose. The stored secret is sealed under the data key of this process.
 */
export async function nextSecondFactor(storage: Storage, userId: number, at: Date): Promise<string> {
  const u = await storage.db.selectFrom('users').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
  const current = TOTP.counter({ period: 30, timestamp: at.getTime() });
  for (const d of [-1, 0, 1]) {
    if (u.totp_last_step === null || current + d > u.totp_last_step) return totpCode(openText(u.totp_secret!, totpAad(userId)), at, d);
  }
  const code = crypto.randomBytes(5).toString('hex');
  await storage.db.insertInto('totp_recovery').values({ user_id: userId, code_hash: hashRecoveryCode(code) }).execute();
  return code;
}
