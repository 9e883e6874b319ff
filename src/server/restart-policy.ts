/**
 * When a worker process of the cluster (cluster.ts) dies: restart it after an exponential back-off,
 * or give up when it keeps crashing, so a server that cannot start (a full disk, a database that is
 * gone, a broken upgrade) stops with a reason and a non-zero exit for systemd to report, instead of
 * forking forever in a tight loop. Pure: the primary passes the crash times it kept.
 */
export interface RestartPolicy {
  /** Delay before the first restart; doubled for every further crash within the window. */
  baseMs: number;
  /** The longest delay. */
  maxMs: number;
  /** This many crashes of one worker within the window: give up. */
  maxCrashes: number;
  windowMs: number;
}

/** FAZHI_WORKER_MAX_CRASHES (5) crashes within FAZHI_WORKER_CRASH_WINDOW_S (60 s) stop the server. */
export function restartPolicyFrom(env: NodeJS.ProcessEnv = process.env): RestartPolicy {
  const int = (v: string | undefined, fallback: number, min: number) => {
    const n = Number(v ?? fallback);
    return Number.isInteger(n) && n >= min ? n : fallback;
  };
  return { baseMs: 500, maxMs: 30_000, maxCrashes: int(env.FAZHI_WORKER_MAX_CRASHES, 5, 1), windowMs: int(env.FAZHI_WORKER_CRASH_WINDOW_S, 60, 1) * 1000 };
}

export type RestartDecision = { action: 'restart'; delayMs: number; recent: number } | { action: 'give-up'; recent: number; reason: string };

/**
 * `crashes`: the times (ms) this worker died, the latest included. Only those within the window count,
 * so a worker that crashed once last week restarts at once-ish (the base delay).
 */
export function afterCrash(crashes: readonly number[], now: number, p: RestartPolicy, worker: number | string = ''): RestartDecision {
  const recent = crashes.filter((t) => t > now - p.windowMs && t <= now).length;
  if (recent >= p.maxCrashes)
    return { action: 'give-up', recent, reason: `工作进程 ${worker} 在${Math.round(p.windowMs / 1000)}秒内退出${recent}次，不再重启，服务停止：请查看上面的错误日志（数据库是否可用、磁盘是否已满、配置是否正确）` };
  const delayMs = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, recent - 1));
  return { action: 'restart', delayMs, recent };
}

/** The crash times still inside the window (what the primary keeps per worker). */
export function recentCrashes(crashes: readonly number[], now: number, p: RestartPolicy): number[] {
  return crashes.filter((t) => t > now - p.windowMs);
}
