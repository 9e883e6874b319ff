import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { AppContext } from '../../app/context';
import { hitRateLimit, purgeRateLimits } from '../../db/rate-limit-store';

/** Requests per minute; FAZHI_RATE_LIMIT_LOGIN (per address) and FAZHI_RATE_LIMIT_HEAVY (per user). */
function perMinute(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** The limited routes: login per address; imports, exports and report files per user (or address). */
const LIMITED: { group: 'login' | 'heavy'; method: string; url: RegExp }[] = [
  { group: 'login', method: 'POST', url: /^\/api\/auth\/login$/ },
  { group: 'heavy', method: 'POST', url: /^\/api\/(import|import\.xlsx|import-jobs|export-jobs|records\/:kind\/export-jobs|calendar\/import)$/ },
  // Not the polls of a job (GET /api/…-jobs/:id): the web app asks every 400 ms.
  { group: 'heavy', method: 'GET', url: /^\/api\/(export|export\.xlsx|records\/:kind\/export\.xlsx|reports\/:id\/export|district\/compare\/export|audit\/export)$/ },
];

const WINDOW_MS = 60_000;

function storeFor(ctx: AppContext): new () => FastifyRateLimitStore {
  return class DbStore implements FastifyRateLimitStore {
    incr(key: string, cb: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = ctx.now().getTime();
      hitRateLimit(ctx.storage.db, key, timeWindow, now)
        .then(async (r) => {
          // Now and then, drop finished windows so the table stays small.
          if (Math.random() < 0.01) await purgeRateLimits(ctx.storage.db, now);
          cb(null, { current: r.count, ttl: Math.max(0, r.resetAt - now) });
        })
        .catch((e: Error) => cb(e));
    }
    child(): FastifyRateLimitStore {
      // Keys already name their group (see keyGenerator): one table serves every route.
      return this;
    }
  };
}

/**
 * Rate limits (GB/T 22239-2019 8.1.4.4 入侵防范, and against password guessing): counted in the
 * database (table rate_limits) so instances behind a load balancer share them; 429 with a Chinese
 * message and Retry-After. Registered before the routes: the onRoute hook marks the limited ones.
 */
export async function registerRateLimits(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const limits = { login: perMinute('FAZHI_RATE_LIMIT_LOGIN', 60), heavy: perMinute('FAZHI_RATE_LIMIT_HEAVY', 60) };
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const hit = LIMITED.find((l) => methods.includes(l.method as never) && l.url.test(r.url ?? ''));
    if (!hit) return;
    r.config = {
      ...(r.config ?? {}),
      rateLimit: {
        max: limits[hit.group],
        timeWindow: WINDOW_MS,
        // After the auth hook, so a signed-in user's heavy requests count per user, not per shared NAT address.
        keyGenerator: (req: FastifyRequest) => (hit.group === 'heavy' && req.actor ? `heavy:u${req.actor.userId}` : `${hit.group}:${req.ip}`),
      },
    } as typeof r.config;
  });
  await app.register(rateLimit, {
    global: false,
    store: storeFor(ctx),
    skipOnError: false,
    errorResponseBuilder: (_req, c) =>
      Object.assign(new Error(`请求过于频繁：每分钟最多${c.max}次，请在${Math.max(1, Math.ceil(c.ttl / 1000))}秒后重试`), { statusCode: 429 }),
  });
}
