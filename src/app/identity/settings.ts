import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { AppContext } from '../context';
import { canAdministerSecurity, type Actor } from '../../core/access/policy';
import { AppError, forbidden } from '../../core/errors';
import { DEFAULT_SECURITY_SETTINGS, SECURITY_SETTING_LABELS, ZSecuritySettings, type SecuritySettings } from '../../core/identity/settings';
import { audit } from '../audit';

export const SECURITY_SETTINGS_KEY = 'security';
const KEY = SECURITY_SETTINGS_KEY;

/**
 * The security settings, read from the database on every use (one primary-key read) so that every
 * instance applies a change at once. A stored value that no longer validates falls back to the default.
 */
export async function loadSecuritySettings(db: Kysely<DB> | Transaction<DB>): Promise<SecuritySettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SECURITY_SETTINGS_KEY).executeTakeFirst();
  return parseSecuritySettings(row?.value ?? null);
}

/** The stored settings value (or none) as settings: defaults for what is missing, all defaults when it no longer validates. */
export function parseSecuritySettings(value: string | null): SecuritySettings {
  if (value === null) return DEFAULT_SECURITY_SETTINGS;
  const merged = { ...DEFAULT_SECURITY_SETTINGS, ...(JSON.parse(value) as Partial<SecuritySettings>) };
  const ok = ZSecuritySettings.safeParse(merged);
  return ok.success ? ok.data : DEFAULT_SECURITY_SETTINGS;
}

/** Changes some of the settings (the 安全管理员's work), audited with the values before and after. */
export async function updateSecuritySettings(ctx: AppContext, who: Actor, patch: Partial<SecuritySettings>): Promise<SecuritySettings> {
  if (!canAdministerSecurity(who)) throw forbidden('只有安全管理员可以修改安全设置');
  return ctx.storage.db.transaction().execute(async (trx) => {
    const before = await loadSecuritySettings(trx);
    const next = ZSecuritySettings.safeParse({ ...before, ...patch });
    if (!next.success) {
      const issue = next.error.issues[0]!;
      const key = String(issue.path[0]) as keyof SecuritySettings;
      throw new AppError('VALIDATION', `${SECURITY_SETTING_LABELS[key] ?? key}：${issue.message}`);
    }
    const value = JSON.stringify(next.data);
    const exists = await trx.selectFrom('settings').select('key').where('key', '=', KEY).executeTakeFirst();
    if (exists) await trx.updateTable('settings').set({ value }).where('key', '=', KEY).execute();
    else await trx.insertInto('settings').values({ key: KEY, value }).execute();
    await audit(trx, who, ctx.now().toISOString(), { action: 'security_settings', entity: 'settings', entityId: KEY, before, after: next.data });
    return next.data;
  });
}
