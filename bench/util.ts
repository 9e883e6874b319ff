import crypto from 'node:crypto';
import { openTestStorage, type TestStorage } from '../src/db/testing';
import { hasActiveCipher, useDataCipher } from '../src/app/crypto/active-key';
import { createDataCipher } from '../src/app/crypto/data-cipher';

// Benchmark databases are throwaway: a random data key seals their personal fields, as a started server's would.
if (!hasActiveCipher()) useDataCipher(createDataCipher(crypto.randomBytes(32)));

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** One result line: what was measured, the figure, the target or ratio, and whether it is met. */
export function report(what: string, figure: string, target: string, ok: boolean): void {
  console.log(`${ok ? '✓' : '✗'} ${what}: ${figure} (${target})`);
}

/** A throwaway PostgreSQL database for a benchmark, when a cluster URL is configured. */
export async function createPgDatabase(): Promise<{ storage: TestStorage; dispose(): Promise<void> } | null> {
  const url = process.env.FAZHI_BENCH_PG_URL ?? process.env.FAZHI_TEST_PG_URL;
  if (!url) return null;
  const prev = process.env.FAZHI_TEST_PG_URL;
  process.env.FAZHI_TEST_PG_URL = url;
  try {
    const storage = await openTestStorage('postgres');
    return { storage, dispose: () => storage.dispose() };
  } finally {
    // Assigning undefined to process.env would store the string "undefined".
    if (prev === undefined) delete process.env.FAZHI_TEST_PG_URL;
    else process.env.FAZHI_TEST_PG_URL = prev;
  }
}

/**
 * The databases a two-sided benchmark runs on: both, or those FAZHI_BENCH_DB names
 * (`sqlite`, `postgres`, comma-separated), to measure one side alone after a change to it.
 */
export function benchDialects(env: NodeJS.ProcessEnv = process.env): ('sqlite' | 'postgres')[] {
  const all = ['sqlite', 'postgres'] as const;
  const wanted = env.FAZHI_BENCH_DB?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted?.length) return [...all];
  for (const w of wanted) if (!(all as readonly string[]).includes(w)) throw new Error(`FAZHI_BENCH_DB: unknown database ${w}; known: ${all.join(', ')}`);
  return all.filter((d) => wanted.includes(d));
}
