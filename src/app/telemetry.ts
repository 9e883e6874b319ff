/**
 * Operational events that the layers below the server report (job runs, reminder sweeps), for the
 * operator's /metrics endpoint (server/plugins/metrics.ts). Nothing is recorded unless a sink is set,
 * so jobs and commands do not depend on the metrics library.
 */
export interface TelemetrySink {
  jobRun(job: string, ok: boolean, seconds: number): void;
  remindersCreated(count: number): void;
}

let sink: TelemetrySink | null = null;

export function setTelemetrySink(s: TelemetrySink | null): void {
  sink = s;
}

export const telemetry: TelemetrySink = {
  jobRun: (job, ok, seconds) => sink?.jobRun(job, ok, seconds),
  remindersCreated: (count) => sink?.remindersCreated(count),
};
