import type { ClockEvent, ClockEvents, ClockStop, ExtensionApproval } from './types';

/** Reads a stored JSON column leniently: anything malformed counts as no events. */
export function normalizeClockEvents(raw: unknown): ClockEvents {
  const o = (raw && typeof raw === 'object' ? raw : {}) as { stops?: unknown; extensions?: unknown };
  return {
    stops: Array.isArray(o.stops) ? (o.stops as ClockStop[]) : [],
    extensions: Array.isArray(o.extensions) ? (o.extensions as ExtensionApproval[]) : [],
  };
}

/**
 * The clock history after a transition's events: a stop_open appends an open stop, a
 * stop_close ends the open stop of that state, an extension appends an approval.
 * Returns a new object; the input is not changed.
 */
export function applyClockEvents(events: ClockEvents, added: readonly ClockEvent[]): ClockEvents {
  const stops = events.stops.map((s) => ({ ...s }));
  const extensions = events.extensions.map((e) => ({ ...e }));
  for (const e of added) {
    if (e.type === 'stop_open') {
      stops.push({ state: e.state, from: e.on, reason: e.reason, by: e.by });
    } else if (e.type === 'stop_close') {
      for (let i = stops.length - 1; i >= 0; i--) {
        const s = stops[i]!;
        if (s.state === e.state && s.to === undefined) {
          s.to = e.on < s.from ? s.from : e.on;
          break;
        }
      }
    } else {
      const ext: ExtensionApproval = { rule: e.rule, on: e.on, by: e.by, reason: e.reason };
      if (e.period) ext.period = e.period;
      extensions.push(ext);
    }
  }
  return { stops, extensions };
}
