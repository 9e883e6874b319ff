import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { buildServer } from '../../src/server/app';
import { runIfDue, type Job } from '../../src/jobs';
import { startApi, type ApiHarness } from '../support/api';

const TOKEN = 'scrape-token-0123456789';

/** Issue 13: the operator's /metrics endpoint (prom-client), off by default, behind a bearer token. */
describe.each(testDialects())('/metrics on %s', (dialect) => {
  let h: ApiHarness;
  let app: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    h = await startApi(dialect);
    app = await buildServer(h.ctx, { webDir: '/nonexistent', metricsToken: TOKEN });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('is off unless a token is configured', async () => {
    expect((await h.req(null, 'GET', '/metrics')).statusCode).toBe(404);
  });

  it('refuses a scrape without the token or with a wrong one', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('监控令牌');
  });

  it('counts requests by route pattern, job runs and pool use', async () => {
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.inject({ method: 'GET', url: '/api/records/training/12345' }); // 401 without a session
    const job: Job = { name: 'metrics_probe', intervalMs: 60_000, timeoutMs: 60_000, run: async () => 'ok' };
    const failing: Job = { name: 'metrics_probe_fail', intervalMs: 60_000, timeoutMs: 60_000, run: async () => Promise.reject(new Error('x')) };
    expect(await runIfDue(h.ctx, job, 'test')).toMatchObject({ ran: true, ok: true });
    expect(await runIfDue(h.ctx, failing, 'test')).toMatchObject({ ran: true, ok: false });
    const r = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    const text = r.body;
    expect(text).toMatch(/fazhi_http_requests_total\{method="GET",route="\/api\/health",status="200"\} 1/);
    // The pattern, not the id: one series for every record read.
    expect(text).toMatch(/fazhi_http_requests_total\{method="GET",route="\/api\/records\/:kind\/:id",status="401"\} 1/);
    expect(text).toContain('fazhi_http_request_duration_seconds_bucket');
    expect(text).toMatch(/fazhi_job_runs_total\{job="metrics_probe",outcome="ok"\} 1/);
    expect(text).toMatch(/fazhi_job_runs_total\{job="metrics_probe_fail",outcome="failed"\} 1/);
    expect(text).toContain('fazhi_process_resident_memory_bytes');
    if (dialect === 'postgres') expect(text).toMatch(/fazhi_db_pool_connections\{state="total"\} [1-9]/);
    else expect(text).not.toMatch(/fazhi_db_pool_connections\{/);
  });
});
