/**
 * The child process the crash test kills with SIGKILL: `import DIR N [TAG]` imports N petitions (TAG in their subjects) in one
 * call; `finalize DIR` creates, reviews and finalises (定稿) reports year after year. It prints
 * `begin` just before the work and `done` after it.
 */
import { openStorage } from '../../src/db/connect';
import { migrate } from '../../src/db/migrations';
import { createContext, systemActor } from '../../src/app/context';
import { ensureDataKey } from '../../src/app/crypto/data-key';
import { importLines } from '../../src/app/exchange';
import { createReport, setReportState } from '../../src/app/reports';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { isEmpty } from '../../src/app/seed';
import { TEST_ORGS, TEST_USERS } from './api';

const [mode, dir, n, tag = ''] = process.argv.slice(2);
const storage = openStorage({ dataDir: dir!, databaseUrl: '' });
await migrate(storage.db, storage.dialect);
await ensureDataKey(storage);
const ctx = createContext(storage);
if (await isEmpty(ctx)) await seedOrgsAndUsers(ctx, TEST_ORGS, TEST_USERS);
const sys = systemActor();
if (mode === 'import') {
  const lines = Array.from({ length: Number(n) }, (_, i) => ({
    line: i + 1,
    // Each run its own rows (`tag`): rows equal to stored ones would be skipped as unchanged, not imported.
    value: { kind: 'petition', dept: '司法所', registeredOn: '2024-05-01', channel: '来信', petitioner: `信访人${i}`, subject: `事项${tag}-${i}` },
  }));
  console.log('begin');
  await importLines(ctx, sys, 'town_a', lines);
} else if (mode === 'finalize') {
  const org = (await storage.db.selectFrom('org_units').select('id').where('code', '=', 'town_a').executeTakeFirstOrThrow()).id;
  const first = Number(n ?? 1990);
  console.log('begin');
  for (let year = first; year < Math.min(first + 40, 2151); year++) {
    const r = await createReport(ctx, sys, { orgId: org, year });
    await setReportState(ctx, sys, r.id, '审核');
    await setReportState(ctx, sys, r.id, '定稿');
  }
}
console.log('done');
await storage.close();
