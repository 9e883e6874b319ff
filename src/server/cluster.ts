import cluster from 'node:cluster';
import os from 'node:os';
import { openStorage } from '../db/connect';
import { migrate } from '../db/migrations';
import { createContext } from '../app/context';
import { isEmpty } from '../app/seed';
import { seedDemo } from '../app/demo';
import { startServer, type RunningServer, type StartOptions } from './start';
import { ensureDataKey } from '../app/crypto/data-key';
import { retentionDaysFrom } from '../app/audit-retention';
import { afterCrash, recentCrashes, restartPolicyFrom } from './restart-policy';

/**
 * Several server processes over one database (node:cluster sharing the listening port), so a
 * request-heavy town uses every core: SQLite in WAL lets the processes read at once (writes take
 * turns on the file lock, see connect.ts), PostgreSQL is shared anyway. The server is stateless,
 * so any process may answer any request; background jobs run in the first worker only (their lease
 * row would keep the others idle anyway, this saves the polling).
 *
 * FAZHI_WORKERS: number of processes (default: the machine's cores; 1 = no cluster, as before).
 */
export function workerCount(dataDir?: string): number {
  if ((dataDir ?? process.env.FAZHI_DATA) === ':memory:') return 1; // an in-memory database cannot be shared
  const n = process.env.FAZHI_WORKERS ? Number(process.env.FAZHI_WORKERS) : os.availableParallelism();
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export interface ClusterReady {
  url: string;
  describe: string;
  dialect: 'sqlite' | 'postgres';
  seeded: boolean;
  /** What the start had to say (e.g. a data key file created). */
  notices: string[];
  workers: number;
}

/**
 * Primary: migrates and seeds once, forks the workers, replaces one that dies after a back-off that
 * doubles with each crash (restart-policy.ts) and stops everything with exit code 1 when one keeps
 * crashing, stops them all on SIGINT/SIGTERM. Worker: serves (jobs only in worker 0). `onReady` runs in the primary once every
 * worker listens.
 */
export async function serveCluster(opts: StartOptions, workers: number, onReady: (r: ClusterReady) => void): Promise<void> {
  if (cluster.isWorker) {
    const s: RunningServer = await startServer({ ...opts, seedDemo: false, jobs: process.env.FAZHI_CLUSTER_JOBS === '1' });
    const stop = async () => {
      await s.close();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', () => undefined); // the primary decides; Ctrl-C reaches the whole group
    process.send?.({ listening: s.url });
    return;
  }
  // The same refusals as a single process before anything is written: an audit retention below the
  // legal minimum, a missing or wrong data key (the primary creates the key file the workers then read).
  retentionDaysFrom(process.env.FAZHI_AUDIT_RETENTION_DAYS);
  const storage = openStorage({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  let seeded = false;
  const notices: string[] = [];
  try {
    await migrate(storage.db, storage.dialect);
    await ensureDataKey(storage, (m) => notices.push(m));
    const ctx = createContext(storage, opts.now);
    if (opts.seedDemo && (await isEmpty(ctx))) {
      await seedDemo(ctx);
      seeded = true;
    }
  } finally {
    await storage.close();
  }
  let stopping = false;
  let pending = workers;
  let url = '';
  const fork = (index: number) => {
    const w = cluster.fork({ FAZHI_WORKERS: String(workers), FAZHI_WORKER_INDEX: String(index), FAZHI_CLUSTER_JOBS: index === 0 ? '1' : '0' });
    w.on('message', (m: { listening?: string }) => {
      if (!m.listening) return;
      url = m.listening;
      if (--pending === 0) onReady({ url, describe: storage.describe, dialect: storage.dialect, seeded, workers, notices });
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      // Back off a worker that keeps dying; give up (exit 1, the reason logged) after N crashes within the window.
      const now = Date.now();
      const times = [...recentCrashes(crashes.get(index) ?? [], now, policy), now];
      crashes.set(index, times);
      const d = afterCrash(times, now, policy, index);
      if (d.action === 'give-up') {
        console.error(d.reason);
        stopAll(1);
        return;
      }
      console.error(`工作进程 ${index} 退出（${signal ?? code}），${(d.delayMs / 1000).toFixed(1)}秒后重启（${Math.round(policy.windowMs / 1000)}秒内第${d.recent}次）`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, d.delayMs);
    });
  };
  const policy = restartPolicyFrom();
  const crashes = new Map<number, number[]>();
  for (let i = 0; i < workers; i++) fork(i);
  function stopAll(exitCode: number): void {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (!alive.length) process.exit(exitCode);
    let left = alive.length;
    for (const w of alive) {
      w!.once('exit', () => --left === 0 && process.exit(exitCode));
      w!.process.kill('SIGTERM');
    }
  }
  const stop = () => stopAll(0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
