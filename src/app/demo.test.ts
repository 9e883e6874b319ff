import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testDialects, type TestStorage } from '../db/testing';
import { createContext } from './context';
import { DEMO_USERS, demoBanner, seedDemo } from './demo';

/** README's quick start: the demo prints its logins and that each must change its password (issue 8, Done when). */
describe.each(testDialects())('the demo accounts (%s)', (dialect) => {
  let s: TestStorage;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    await seedDemo(createContext(s));
  }, 120_000);
  afterAll(async () => s?.dispose());

  it('are printed with the rule that their passwords must be changed at first login', () => {
    const text = demoBanner().join('\n');
    for (const u of DEMO_USERS) expect(text).toContain(`${u.username.padEnd(10)} ${u.password}`);
    expect(text).toContain('首次登录时须修改密码');
    expect(text).toContain('双因素认证');
  });

  it('must change their passwords at first login', async () => {
    const rows = await s.db.selectFrom('users').select(['username', 'must_change_password']).where('username', 'in', DEMO_USERS.map((u) => u.username)).execute();
    expect(rows).toHaveLength(DEMO_USERS.length);
    expect(rows.every((r) => Number(r.must_change_password) === 1)).toBe(true);
  });
});
