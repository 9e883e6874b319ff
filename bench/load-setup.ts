/**
 * Shared by the load benchmarks (bench/load.ts, bench/mixed-load.ts): a database with one town of
 * training records, accounts for the load, server processes started on loopback ports, and an HTTP
 * client that sends what every state-changing request will need (see CLIENT_HEADERS).
 */
import { refreshPlannerStatistics } from '../src/db/planner-statistics';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { openStorage, type Dialect, type Storage } from '../src/db/connect';
import { migrate } from '../src/db/migrations';
import { createContext, systemActor, type AppContext } from '../src/app/context';
import { seedOrgsAndUsers } from '../src/app/seed';
import { importLines, type ExchangeLine } from '../src/app/exchange';
import { createPgDatabase } from './util';
import crypto from 'node:crypto';
import { useDataCipher } from '../src/app/crypto/active-key';
import { createDataCipher } from '../src/app/crypto/data-cipher';
import { writeKeyCheck } from '../src/app/crypto/data-key';

export const TOWN = 'bench_town';
export const DEPTS = ['司法所', '综合行政执法队', '党政办公室', '平安办', '信访办公室'];
export const TYPES = ['执法人员培训', '领导干部学法', '工作人员培训', '警示教育', '以案释法', '其他'];
/** Accounts of the load (not the demo's: those must change their password at first login). */
export const PASSWORD = 'Bench-Load-2026!';
export const OFFICE_USER = 'bench_office';
export const clerkName = (i: number) => `bench_clerk${i}`;

/**
 * Headers every request sends. State-changing requests will be refused without a matching Origin and
 * a custom header (CSRF, issue 8): set here once, for the platform and the bare server alike.
 */
export function clientHeaders(base: string): Record<string, string> {
  return { origin: base, 'x-fazhi-request': '1' };
}

export interface BenchDb {
  dialect: Dialect;
  storage: Storage;
  ctx: AppContext;
  /** What the server process needs: FAZHI_DATA or DATABASE_URL, and the data key. */
  env: Record<string, string>;
  townId: number;
  deptIds: Map<string, number>;
  dispose(): Promise<void>;
}

/** One training record a day-ish over 2022–2024, types, departments and figures cycling. */
export function trainingLines(n: number, offset = 0): ExchangeLine[] {
  const out: ExchangeLine[] = [];
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    const d = new Date(Date.UTC(2022 + (i % 3), 0, 1 + ((i * 7) % 365))).toISOString().slice(0, 10);
    out.push({
      line: k + 1,
      value: { kind: 'training', dept: DEPTS[i % DEPTS.length], title: `专题培训第${i}期`, heldOn: d, trainingType: TYPES[(i >> 1) % TYPES.length], attendees: 10 + (i % 40), hours: 1 + (i % 8) },
    });
  }
  return out;
}

/** A fresh database (SQLite file in a temporary folder, or a throwaway PostgreSQL database) with `records` training records. */
export async function createBenchDb(dialect: Dialect, records: number, clerks: number): Promise<BenchDb | null> {
  let storage: Storage;
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-load-'));
    storage = openStorage({ dataDir: dir, databaseUrl: '' });
    await migrate(storage.db, storage.dialect);
    env = { FAZHI_DATA: dir, DATABASE_URL: '' };
    dispose = async () => {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const pg = await createPgDatabase();
    if (!pg) return null;
    storage = pg.storage;
    env = { DATABASE_URL: pg.storage.url! };
    dispose = () => pg.dispose();
  }
  // A data key of its own, known to this process and to the server processes (personal fields this
  // process imports are sealed under it), and checked by their start like a deployment's.
  const key = crypto.randomBytes(32);
  const cipher = createDataCipher(key);
  useDataCipher(cipher);
  await writeKeyCheck(storage.db, cipher);
  env.FAZHI_DATA_KEY = key.toString('hex');
  const ctx = createContext(storage);
  await seedOrgsAndUsers(
    ctx,
    [
      { code: 'bench_dist', name: '基准区', level: '区', depts: ['司法局'] },
      { code: TOWN, name: '基准镇', level: '镇', parent: 'bench_dist', depts: DEPTS },
    ],
    [
      { username: OFFICE_USER, displayName: '法治办（压测）', role: 'office', org: TOWN, password: PASSWORD },
      ...Array.from({ length: clerks }, (_, i) => ({ username: clerkName(i), displayName: `填报员${i}`, role: 'clerk' as const, org: TOWN, dept: '司法所', password: PASSWORD })),
    ],
  );
  // The load's own accounts sign in as people who already changed their first password (the rule is tested in identity.test.ts).
  await storage.db.updateTable('users').set({ must_change_password: 0, password_changed_at: new Date().toISOString() }).execute();
  // 50 clients share one address and a few accounts: the per-user session limit and the login rate
  // limit (configuration a deployment may change too) are raised so that they are not what is measured.
  await storage.db.insertInto('settings').values({ key: 'security', value: JSON.stringify({ maxSessions: 50 }) }).execute();
  env.FAZHI_RATE_LIMIT_LOGIN = '100000';
  for (let done = 0; done < records; done += 20_000) await importLines(ctx, systemActor(), TOWN, trainingLines(Math.min(20_000, records - done), done), { source: 'bench' });
  await analyze(storage);
  const townId = (await storage.db.selectFrom('org_units').select('id').where('code', '=', TOWN).executeTakeFirstOrThrow()).id;
  const deptIds = new Map((await storage.db.selectFrom('departments').select(['id', 'name']).where('org_id', '=', townId).execute()).map((d) => [d.name, d.id]));
  return { dialect, storage, ctx, env, townId, deptIds, dispose };
}

/** What autovacuum or `PRAGMA optimize` does after a bulk load: statistics for the planner. */
export async function analyze(storage: Storage): Promise<void> {
  if (storage.dialect === 'postgres') await sql`vacuum analyze records`.execute(storage.db);
  // SQLite: a complete ANALYZE, kept as the server keeps its statistics (stat1 only, db/planner-statistics.ts).
  else await refreshPlannerStatistics(storage, { full: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface Child {
  url: string;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point as its own process and waits until `ready` answers. */
async function startChild(args: string[], env: Record<string, string>, url: string, ready: string): Promise<Child> {
  const child: ChildProcess = spawn(path.resolve('node_modules/.bin/tsx'), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  // Generous: tsx compiles the server in each process, and this machine is shared.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${stderr}`);
    try {
      if ((await fetch(url + ready)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`${args.join(' ')} did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The platform (`fazhi serve`) over the bench database, FAZHI_WORKERS processes. */
export async function startPlatform(db: BenchDb, workers: number): Promise<Child> {
  const port = await freePort();
  return startChild(['src/cli/main.ts', 'serve', '--port', String(port), '--quiet'], { ...db.env, FAZHI_WORKERS: String(workers) }, `http://127.0.0.1:${port}`, '/api/health');
}

/** The bare reference server over `bare_training` in the same database. */
export async function startBare(db: BenchDb): Promise<Child> {
  const port = await freePort();
  const env: Record<string, string> = db.dialect === 'sqlite' ? { BARE_SQLITE: path.join(db.env.FAZHI_DATA!, 'fazhi.db') } : { BARE_PG_URL: db.env.DATABASE_URL! };
  return startChild(['bench/bare-server.ts'], { ...env, PORT: String(port) }, `http://127.0.0.1:${port}`, '/training/1');
}

/** Signs in through the API and returns the session cookie. */
export async function login(base: string, username: string, password = PASSWORD): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { ...clientHeaders(base), 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('fazhi_sid='));
  if (!cookie) throw new Error('login: no session cookie');
  return cookie.split(';')[0]!;
}

/** Seconds per autocannon run / per mixed load: FAZHI_BENCH_SECONDS shortens them while developing. */
export function seconds(full: number): number {
  return process.env.FAZHI_BENCH_SECONDS ? Number(process.env.FAZHI_BENCH_SECONDS) : full;
}
