import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { openStorage } from '../db/connect';
import { migrate } from '../db/migrations';
import { refreshStatisticsAtStart } from '../db/planner-statistics';
import { createContext, type AppContext } from '../app/context';
import { isEmpty } from '../app/seed';
import { seedDemo } from '../app/demo';
import { buildServer } from './app';
import { startJobs } from '../jobs';
import { retentionDaysFrom } from '../app/audit-retention';
import { ensureDataKey } from '../app/crypto/data-key';
import { tlsFromEnv } from './plugins/transport';

export interface StartOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  /** Seed the demo district, towns, users and records when the database is empty. */
  seedDemo?: boolean;
  logger?: boolean;
  now?: () => Date;
  /** Run the background jobs in this process (default true; server/cluster.ts runs them in one worker only). */
  jobs?: boolean;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  seeded: boolean;
  /** What the start did that the operator must know (a generated key file, data sealed). */
  notices: string[];
  close(): Promise<void>;
}

/** Opens the database, migrates, optionally seeds the demo, and listens. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  // A retention below the legal minimum stops the start before anything listens (网络安全法 art. 21).
  retentionDaysFrom(process.env.FAZHI_AUDIT_RETENTION_DAYS);
  const storage = openStorage({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  await migrate(storage.db, storage.dialect);
  // Before anything is read or written: a missing or wrong data key refuses the start.
  const startLog: string[] = [];
  await refreshStatisticsAtStart(storage, (m) => startLog.push(m));
  try {
    await ensureDataKey(storage, (m) => startLog.push(m));
  } catch (e) {
    await storage.close();
    throw e;
  }
  const ctx = createContext(storage, opts.now);
  let seeded = false;
  if (opts.seedDemo && (await isEmpty(ctx))) {
    await seedDemo(ctx);
    seeded = true;
  }
  const tls = tlsFromEnv();
  const app = await buildServer(ctx, { logger: opts.logger ? { level: process.env.LOG_LEVEL ?? 'info' } : false, https: tls });
  for (const m of startLog) app.log.info(m);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 3000, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  // Background jobs (reminder sweep); a DB lease keeps several instances from running them twice.
  await loadNotificationModules();
  const jobs = opts.jobs === false ? null : startJobs(ctx, (msg) => app.log.info(msg));
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
    app,
    ctx,
    seeded,
    notices: startLog,
    async close() {
      await jobs?.stop();
      await app.close();
      await storage.close();
    },
  };
}

/**
 * Notification channels beyond in-app (SMS, e-mail) are modules named in FAZHI_NOTIFY_MODULES
 * (comma-separated paths); each calls registerNotificationChannel when imported.
 */
async function loadNotificationModules(): Promise<void> {
  for (const m of (process.env.FAZHI_NOTIFY_MODULES ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    await import(pathToFileURL(path.resolve(m)).href);
  }
}
