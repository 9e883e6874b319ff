import crypto from 'node:crypto';
import os from 'node:os';
import type { AppContext } from '../app/context';
import { finishLease, tryLease } from './lease';
import { telemetry } from '../app/telemetry';

/** A periodic job: run at most once per interval across all instances sharing the database. */
export interface Job {
  name: string;
  intervalMs: number;
  /** Longest a run may take; after that another instance may take over. */
  timeoutMs: number;
  run(ctx: AppContext): Promise<string>;
}

/** Identifies this process in `jobs.locked_by`. */
export function instanceId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

export type RunOutcome = { ran: false } | { ran: true; ok: boolean; result: string };

/**
 * Runs a job once if this instance gets its lease. The lease is then kept until the interval is
 * over (measured from the start), so a second instance ticking a moment later skips the run.
 */
export async function runIfDue(ctx: AppContext, job: Job, owner: string): Promise<RunOutcome> {
  const db = ctx.storage.db;
  const started = ctx.now();
  if (!(await tryLease(db, job.name, owner, started, job.timeoutMs))) return { ran: false };
  const t0 = performance.now();
  try {
    const result = await job.run(ctx);
    // A little before the full interval, so the next tick (on any instance) finds it free.
    const next = new Date(started.getTime() + Math.max(0, job.intervalMs - 5_000));
    await finishLease(db, job.name, owner, ctx.now(), next, result);
    telemetry.jobRun(job.name, true, (performance.now() - t0) / 1000);
    return { ran: true, ok: true, result };
  } catch (e) {
    const msg = `失败：${(e as Error).message}`;
    await finishLease(db, job.name, owner, ctx.now(), ctx.now(), msg).catch(() => undefined);
    telemetry.jobRun(job.name, false, (performance.now() - t0) / 1000);
    return { ran: true, ok: false, result: msg };
  }
}

export interface JobsHandle {
  owner: string;
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the periodic jobs of a server instance: each ticks on its interval (first tick soon after
 * start, with jitter so instances started together do not collide) and runs when it wins the lease.
 */
export function startJobRunner(ctx: AppContext, jobs: readonly Job[], log: (msg: string) => void = () => undefined): JobsHandle {
  const owner = instanceId();
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    const tick = (): void => {
      if (stopped) return;
      const p = runIfDue(ctx, job, owner)
        .then((o) => {
          if (o.ran) log(`${job.name}：${o.result}`);
        })
        .catch((e: Error) => log(`${job.name}：${e.message}`))
        .finally(() => running.delete(p));
      running.add(p);
    };
    const first = setTimeout(tick, 2_000 + Math.floor(Math.random() * 3_000));
    const every = setInterval(tick, job.intervalMs);
    first.unref();
    every.unref();
    timers.push(first, every);
  }
  return {
    owner,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
