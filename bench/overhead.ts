/**
 * Issue 14 item 2 on its own (`npm run bench -- overhead`): what a request costs besides its SQL when
 * nothing changed — the session check (one statement), definitions, calendar, list and metric work in
 * the app layer (bench/load.ts `overhead`), then a whole list request through fastify (hooks, route,
 * serialisation) with a session and with an API token, beside the list's own statements. A town of
 * FAZHI_BENCH_OVERHEAD_RECORDS (20,000) training records imported through the bulk path; a few
 * seconds per database instead of the load benchmark's minutes.
 */
import os from 'node:os';
import { buildServer } from '../src/server/app';
import { issueApiToken } from '../src/app/identity/api-tokens';
import { systemActor } from '../src/app/context';
import { login as loginInProcess } from '../src/app/users';
import { createBenchDb, OFFICE_USER, PASSWORD } from './load-setup';
import { benchDialects } from './util';
import { overhead, timePair } from './load';

const PAGE = '/api/records/training?f.trainingType=%E6%89%A7%E6%B3%95%E4%BA%BA%E5%91%98%E5%9F%B9%E8%AE%AD&year=2023&sort=heldOn&order=desc&page=3';

export async function benchOverhead(): Promise<void> {
  const records = Number(process.env.FAZHI_BENCH_OVERHEAD_RECORDS ?? 20_000);
  console.log(`Machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other users' load inflates these figures)`);
  for (const dialect of benchDialects()) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const db = await createBenchDb(dialect, records, 0);
    if (!db) {
      console.log(`${label}: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL, or run through npm run bench)`);
      continue;
    }
    try {
      const { listSqlMs } = await overhead(label, db);
      const app = await buildServer(db.ctx, { webDir: '/nonexistent' });
      try {
        // As if the first-login password change were done (the rule is not what is measured here).
        await db.storage.db.updateTable('users').set({ must_change_password: 0, password_changed_at: new Date().toISOString() }).where('username', '=', OFFICE_USER).execute();
        const { token } = await loginInProcess(db.ctx, OFFICE_USER, PASSWORD, '127.0.0.1');
        const issued = await issueApiToken(db.ctx, systemActor(), { account: 'bench-svc', role: 'office', orgId: db.townId, name: '基准', expiresInDays: 30 });
        const get = (headers: Record<string, string>) => async () => {
          const r = await app.inject({ method: 'GET', url: PAGE, headers });
          if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
        };
        const [cookie, bearer] = await timePair(100, get({ cookie: `fazhi_sid=${token}` }), get({ authorization: `Bearer ${issued.token}` }));
        // Figures without a target of their own (the issue's target is the parts above): printed, not judged.
        console.log(`  ${label}: whole list request through fastify with a session (inject, no network): ${cookie.toFixed(2)} ms, ${(cookie - listSqlMs).toFixed(2)} ms beyond its ${listSqlMs.toFixed(2)} ms of SQL`);
        console.log(`  ${label}: the same with an API token (lookup, rate-limit counter, audited use): ${bearer.toFixed(2)} ms, ${(bearer - cookie).toFixed(2)} ms more than a session`);
      } finally {
        await app.close();
      }
    } finally {
      await db.dispose();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOverhead();
