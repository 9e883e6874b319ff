import { describe, expect, it } from 'vitest';
import { afterCrash, recentCrashes, restartPolicyFrom, type RestartPolicy } from './restart-policy';

const P: RestartPolicy = { baseMs: 500, maxMs: 30_000, maxCrashes: 5, windowMs: 60_000 };

describe('restarting a crashed worker', () => {
  it('backs off exponentially with every crash within the window, up to the longest delay', () => {
    const now = 1_000_000;
    const delays = [1, 2, 3, 4].map((n) => {
      const d = afterCrash(Array.from({ length: n }, (_, i) => now - i * 1000), now, P);
      return d.action === 'restart' ? d.delayMs : -1;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000]);
    const capped = afterCrash([now - 3000, now - 2000, now - 1000, now], now, { ...P, baseMs: 20_000 });
    expect(capped).toEqual({ action: 'restart', delayMs: 30_000, recent: 4 });
  });

  it('gives up with a reason after N crashes within the window', () => {
    const now = 1_000_000;
    const d = afterCrash([now - 40_000, now - 30_000, now - 20_000, now - 10_000, now], now, P, 1);
    expect(d.action).toBe('give-up');
    expect(d.recent).toBe(5);
    expect(d.action === 'give-up' && d.reason).toContain('工作进程 1 在60秒内退出5次，不再重启');
  });

  it('forgets crashes older than the window', () => {
    const now = 1_000_000;
    const old = [now - 300_000, now - 200_000, now - 100_000, now - 61_000];
    expect(afterCrash([...old, now], now, P)).toEqual({ action: 'restart', delayMs: 500, recent: 1 });
    expect(recentCrashes([...old, now - 59_000, now], now, P)).toEqual([now - 59_000, now]);
  });

  it('reads N and the window from the environment, keeping the defaults for nonsense', () => {
    expect(restartPolicyFrom({ FAZHI_WORKER_MAX_CRASHES: '3', FAZHI_WORKER_CRASH_WINDOW_S: '10' })).toMatchObject({ maxCrashes: 3, windowMs: 10_000 });
    expect(restartPolicyFrom({ FAZHI_WORKER_MAX_CRASHES: '0', FAZHI_WORKER_CRASH_WINDOW_S: 'x' })).toMatchObject({ maxCrashes: 5, windowMs: 60_000 });
  });
});
