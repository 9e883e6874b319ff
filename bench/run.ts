/**
 * `npm run bench`: every issue's benchmark in turn, printing figures, targets and ratios.
 * PostgreSQL parts run against FAZHI_BENCH_PG_URL / FAZHI_TEST_PG_URL, or a throwaway cluster started here.
 * Pick some with `npm run bench -- foundation metrics`.
 */
import { execFileSync } from 'node:child_process';
import './util'; // installs the benchmarks' data key before any bench writes personal fields

const BENCHES: Record<string, () => Promise<void>> = {
  foundation: async () => (await import('./foundation')).benchFoundation(),
  metrics: async () => (await import('./metrics')).benchMetrics(),
  city: async () => (await import('./metrics')).benchCity(),
};

/** Benchmarks added by later modules register here when their file exists. */
async function optional(name: string, file: string, fn: string): Promise<void> {
  try {
    const m = (await import(file)) as Record<string, () => Promise<void>>;
    if (typeof m[fn] === 'function') BENCHES[name] = m[fn]!;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
}

await optional('deadlines', './deadlines', 'benchDeadlines');
await optional('report', './report', 'benchReport');
await optional('web', './web', 'benchWeb');
await optional('pii', './pii', 'benchPii');
await optional('exchange', './exchange', 'benchExchange');
await optional('pgimport', './pg-import', 'benchPgImport');
await optional('disclosure', './disclosure', 'benchDisclosure');
await optional('load', './load', 'benchLoad');
await optional('mixed', './mixed-load', 'benchMixedLoad');
await optional('overhead', './overhead', 'benchOverhead');

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
let startedPg = false;
// Its own cluster folder and port, so a benchmark never disturbs a test run's cluster; the load
// benchmarks (their servers and the cluster run at once) get a port of their own.
const pgPort = process.env.FAZHI_BENCH_PG_PORT ?? (names.every((n) => n === 'load' || n === 'mixed') ? '55600' : '55433');
const pgEnv = { ...process.env, PG_TEST_DIR: `/tmp/fazhi-pg-bench-${pgPort}`, PG_TEST_PORT: pgPort };
if (!process.env.FAZHI_BENCH_PG_URL && !process.env.FAZHI_TEST_PG_URL) {
  try {
    process.env.FAZHI_BENCH_PG_URL = execFileSync('bash', ['scripts/pg-test-cluster.sh', 'start'], { encoding: 'utf8', env: pgEnv }).trim();
    // Benchmarks that open storage through the test helpers read this one.
    process.env.FAZHI_TEST_PG_URL = process.env.FAZHI_BENCH_PG_URL;
    startedPg = true;
  } catch {
    console.log('PostgreSQL cluster could not be started: PostgreSQL parts are skipped');
  }
}
try {
  for (const n of names) {
    const b = BENCHES[n];
    if (!b) throw new Error(`unknown benchmark ${n}; known: ${Object.keys(BENCHES).join(', ')}`);
    console.log(`\n=== ${n} ===`);
    const t = Date.now();
    await b();
    console.log(`(${n}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
} finally {
  if (startedPg) execFileSync('bash', ['scripts/pg-test-cluster.sh', 'stop'], { env: pgEnv });
}
