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
