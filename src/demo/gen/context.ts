/**
 * What every generator shares: the RNG, the town, the "as of" date no record may pass, numbering
 * counters, and the generic way of placing a matter with a deadline (a `MatterGen`) before, near or
 * after its due date.
 */
import { addDays, addWorkdays, daysBetween, minDate, randomDay, randomWorkday } from '../dates';
import type { ExchangeLine, ExchangeValue } from '../exchange';
import { createRng, type Rng } from '../prng';
import type { TownProfile } from '../town';

export interface GenContext {
  rng: Rng;
  town: TownProfile;
  /** No generated date (other than future deadlines of tasks) is later than this. */
  asOf: string;
  /** Next serial number for a numbering series, e.g. `enforcement:2023`. */
  next(series: string): number;
}

/** Field values a caller fixes on a generated record. */
export type Preset = Partial<Record<string, ExchangeValue>>;

/** The preset value of `key` when given, otherwise a freshly chosen one. */
export function choose<T extends ExchangeValue>(preset: Preset | undefined, key: string, pick: () => T): T {
  const v = preset?.[key];
  return v === undefined ? pick() : (v as T);
}

export function createContext(seed: number, town: TownProfile, asOf: string): GenContext {
  const counters = new Map<string, number>();
  return {
    rng: createRng(seed),
    town,
    asOf,
    next(series) {
      const n = (counters.get(series) ?? 0) + 1;
      counters.set(series, n);
      return n;
    },
  };
}

/** A kind whose records are matters with a statutory time limit. */
export interface MatterGen {
  kind: string;
  /**
   * A new matter starting on `start` and not yet done (the flow's opening or a working state).
   * `preset` fixes some field values (e.g. a review type) before the rest is chosen to fit them.
   */
  create(ctx: GenContext, start: string, preset?: Preset): ExchangeLine;
  /** The first date of the matter (occurredOn or the date its clock runs from). */
  start(line: ExchangeLine): string;
  /** Due date of the time limit now running on an open matter. */
  due(line: ExchangeLine): string;
  /** Whether the running time limit has been met (the matter is done). */
  done(line: ExchangeLine): boolean;
  /** Completes the matter on `on` (fills the done fields and the final state). */
  finish(ctx: GenContext, line: ExchangeLine, on: string): void;
}

export type Outcome = 'onTime' | 'late' | 'open';

/**
 * A matter starting on `start` that is closed on time, closed late or still open as of `ctx.asOf`.
 * A late closing that would fall after `asOf` leaves the matter open (overdue), as in real ledgers.
 */
export function placeMatter(gen: MatterGen, ctx: GenContext, start: string, outcome: Outcome, preset?: Preset): ExchangeLine {
  const line = gen.create(ctx, start, preset);
  if (outcome === 'open') return line;
  const due = gen.due(line);
  const from = addDays(gen.start(line), 1);
  if (outcome === 'onTime') {
    const last = minDate(due, ctx.asOf);
    if (last < from) return line;
    // Most matters are closed well before the limit, some on its last days.
    const on = ctx.rng.chance(0.8) ? randomWorkday(ctx.rng, from, minDate(last, addDays(from, Math.max(1, Math.floor(daysBetween(from, last) * 0.7))))) : randomDay(ctx.rng, from, last);
    gen.finish(ctx, line, on <= last ? on : last);
    return line;
  }
  const on = addWorkdays(due, ctx.rng.int(1, 12));
  if (on <= ctx.asOf) gen.finish(ctx, line, on);
  return line;
}

/** Deadline state of a generated matter, as the dashboard will show it on `today`. */
export type DeadlineTarget = '正常' | '临期' | '逾期' | '按期办结' | '逾期办结';

/**
 * A matter in the given deadline state on `today` (= ctx.asOf): searches start dates backwards from
 * today until the created matter's due date falls where the state needs it. 临期 is placed 1–2
 * working days ahead (the platform's default warning is 3), 正常 at least 6 working days ahead.
 */
export function matterInState(gen: MatterGen, ctx: GenContext, target: DeadlineTarget, maxBack = 200): ExchangeLine {
  const today = ctx.asOf;
  if (target === '按期办结' || target === '逾期办结') {
    for (let tries = 0; tries < 400; tries++) {
      const start = addDays(today, -ctx.rng.int(5, maxBack));
      const line = placeMatter(gen, ctx, start, target === '按期办结' ? 'onTime' : 'late');
      if (gen.done(line)) return line;
    }
    throw new Error(`${gen.kind}: no start date gives a ${target} matter before ${today}`);
  }
  const soonFrom = addWorkdays(today, 1);
  const soonTo = addWorkdays(today, 2);
  const normalFrom = addWorkdays(today, 6);
  const ok = (due: string): boolean =>
    target === '临期' ? due >= soonFrom && due <= soonTo : target === '正常' ? due >= normalFrom : due < addDays(today, -1);
  for (let tries = 0; tries < 600; tries++) {
    const start = addDays(today, -ctx.rng.int(0, maxBack));
    const line = gen.create(ctx, start);
    if (ok(gen.due(line))) return line;
  }
  throw new Error(`${gen.kind}: no start date gives a ${target} matter on ${today}`);
}

