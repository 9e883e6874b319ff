/**
 * A small seeded PRNG (mulberry32) so that generated datasets are byte-for-byte reproducible:
 * the committed fixture must equal the generator's output on every machine.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight: `[[value, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A new array in random order. */
  shuffle<T>(items: readonly T[]): T[];
  /** `n` distinct items (or all of them when n >= length). */
  sample<T>(items: readonly T[], n: number): T[];
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of items) {
        r -= w;
        if (r < 0) return value;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    shuffle,
    sample: <T>(items: readonly T[], n: number): T[] => shuffle(items).slice(0, n),
  };
}

/**
 * Splits `total` into integers, one per weight, each at least `min`, proportional to the weights
 * (largest remainders get the leftover units, ties broken by the RNG). This is how exact yearly
 * sums (e.g. 751 attendees over 35 sessions) are reached while rows still differ from each other.
 */
export function partition(rng: Rng, total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  if (n === 0) {
    if (total !== 0) throw new Error(`cannot split ${total} into no parts`);
    return [];
  }
  const free = total - min * n;
  if (free < 0) throw new Error(`cannot split ${total} into ${n} parts of at least ${min}`);
  const wsum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (wsum > 0 ? (free * w) / wsum : free / n));
  const parts = exact.map((x) => Math.floor(x));
  let left = free - parts.reduce((s, x) => s + x, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x), tie: rng.next() }))
    .sort((a, b) => b.frac - a.frac || a.tie - b.tie);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts.map((p) => p + min);
}

/** Positive random weights with a long-ish tail, so partitioned values look like real tallies. */
export function randomWeights(rng: Rng, n: number, spread = 1): number[] {
  return Array.from({ length: n }, () => Math.exp((rng.next() - 0.5) * 2 * spread));
}
