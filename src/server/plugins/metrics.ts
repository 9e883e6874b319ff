import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../../app/context';
import { setTelemetrySink } from '../../app/telemetry';

/**
 * The operator's `/metrics` endpoint in the Prometheus text format: requests and latency per route,
 * job runs, reminders created, PostgreSQL pool use and the process's own figures. Off by default: it is
 * on only when FAZHI_METRICS_TOKEN is set, and every scrape must send `Authorization: Bearer <token>`
 * (a reverse proxy on the same host would otherwise make "from loopback" meaningless).
 */
export function metricsToken(): string | null {
  const t = process.env.FAZHI_METRICS_TOKEN?.trim();
  return t ? t : null;
}

export function registerMetrics(app: FastifyInstance, ctx: AppContext, token: string): void {
  if (token.length < 16) throw new Error('FAZHI_METRICS_TOKEN 至少需要16个字符');
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'fazhi_' });
  const requests = new Counter({
    name: 'fazhi_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [register],
  });
  const latency = new Histogram({
    name: 'fazhi_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const jobRuns = new Counter({
    name: 'fazhi_job_runs_total',
    help: 'Scheduled job runs on this instance by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [register],
  });
  const jobSeconds = new Histogram({
    name: 'fazhi_job_duration_seconds',
    help: 'Scheduled job run time by job',
    labelNames: ['job'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [register],
  });
  const reminders = new Counter({
    name: 'fazhi_reminders_created_total',
    help: 'Deadline reminders created by the sweeps of this instance',
    registers: [register],
  });
  const pool = ctx.storage.pool;
  new Gauge({
    name: 'fazhi_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
    labelNames: ['state'] as const,
    registers: [register],
    collect() {
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  setTelemetrySink({
    jobRun(job, ok, seconds) {
      jobRuns.inc({ job, outcome: ok ? 'ok' : 'failed' });
      jobSeconds.observe({ job }, seconds);
    },
    remindersCreated(count) {
      reminders.inc(count);
    },
  });
  app.addHook('onClose', async () => setTelemetrySink(null));

  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids and query strings would make a series per request.
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      return reply.status(401).send({ error: { code: 'UNAUTHENTICATED', message: '需要监控令牌（Authorization: Bearer …）' } });
    }
    return reply.type(register.contentType).send(await register.metrics());
  });
}
