/**
 * `fazhi metrics` and `fazhi metric define` as a user runs them, and the generic and custom metrics of
 * a ledger kind an admin defines while the platform runs (API and CLI).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { systemActor } from '../../src/app/context';
import { importLines } from '../../src/app/exchange';
import { EXTRA_COMMANDS } from '../../src/cli/commands';
import { parseArgs } from '../../src/cli/args';
import { startApi, type ApiHarness } from '../support/api';
import { TOWN_A_LINES } from '../acceptance/small-towns';

/** Runs a CLI command in-process and returns what it printed on stdout. */
async function cli(h: ApiHarness, argv: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
  try {
    const p = parseArgs(argv);
    const cmd = EXTRA_COMMANDS.find((c) => c.matches(p));
    if (!cmd) throw new Error(`no command for ${argv.join(' ')}`);
    await cmd.run(h.ctx, p);
  } finally {
    spy.mockRestore();
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const VISITS = {
  kind: 'mediation_visit',
  label: '调解回访',
  occurredOn: 'visitedOn',
  titleField: 'result',
  fields: [
    { key: 'visitedOn', label: '回访日期', type: 'date', required: true },
    { key: 'result', label: '回访结果', type: 'enum', options: ['满意', '不满意'], required: true },
    { key: 'persons', label: '回访人数', type: 'int' },
  ],
};

describe.each(testDialects())('metrics CLI and run-time kinds on %s', (dialect) => {
  let h: ApiHarness;
  let admin: string, office: string;
  let dir: string;

  beforeAll(async () => {
    h = await startApi(dialect, () => new Date('2024-01-20T02:00:00Z'));
    await importLines(h.ctx, systemActor(), 'town_a', TOWN_A_LINES);
    [admin, office] = await h.logins('admin', 'office');
    dir = mkdtempSync(join(tmpdir(), 'fazhi-metric-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  it('metrics --json prints exactly one JSON object: numbers, fractions for rates, objects for by_, null for no data', async () => {
    const out = await cli(h, ['metrics', '--org', 'town_a', '--year', '2023', '--json']);
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    const m = JSON.parse(out) as Record<string, unknown>;
    expect(m.constructor).toBe(Object);
    expect(m['training.count']).toBe(3);
    expect(m['training.enforcement_attendees']).toBe(55);
    expect(m['training.by_trainingType']).toMatchObject({ 执法人员培训: 2, 领导干部学法: 1 });
    expect(m['deputy_suggestion.satisfaction_rate']).toBeNull();
    expect(m['beneficiaries']).toBe(303);
    // A period narrower than the year.
    const q2 = JSON.parse(await cli(h, ['metrics', '--org', 'town_a', '--year', '2023', '--quarter', '2', '--json'])) as Record<string, unknown>;
    expect(q2['training.count']).toBe(2);
  });

  it('gives a kind defined at run time K.count, K.by_F and K.sum_N, and custom metrics over it by API and CLI', async () => {
    expect((await h.req(admin, 'POST', '/api/ledgers', VISITS)).statusCode).toBe(201);
    const [dept] = await h.storage.db.selectFrom('departments').innerJoin('org_units', 'org_units.id', 'departments.org_id').select('departments.id').where('org_units.code', '=', 'town_a').where('departments.name', '=', '司法所').execute();
    for (const [visitedOn, result, persons] of [['2023-02-01', '满意', 2], ['2023-05-01', '满意', 3], ['2023-08-01', '不满意', 1]] as const) {
      const r = await h.req(office, 'POST', '/api/records/mediation_visit', { deptId: dept!.id, data: { visitedOn, result, persons } });
      expect(r.statusCode, r.body).toBe(201);
    }
    const keys = 'mediation_visit.count,mediation_visit.by_result,mediation_visit.sum_persons';
    const m = await h.req(office, 'GET', `/api/metrics?year=2023&keys=${keys}`);
    expect(m.statusCode).toBe(200);
    expect(m.json().values).toEqual({ 'mediation_visit.count': 3, 'mediation_visit.by_result': { 满意: 2, 不满意: 1 }, 'mediation_visit.sum_persons': 6 });

    const viaApi = await h.req(admin, 'POST', '/api/metric-defs', {
      key: 'mediation_visit.satisfaction_rate',
      type: 'rate',
      kind: 'mediation_visit',
      label: '回访满意率',
      unit: '%',
      numerator: [{ field: 'result', eq: '满意' }],
      denominator: [],
    });
    expect(viaApi.statusCode).toBe(201);
    const file = join(dir, 'defs.json');
    writeFileSync(
      file,
      JSON.stringify([
        { key: 'mediation_visit.unhappy', type: 'count', kind: 'mediation_visit', label: '回访不满意', unit: '件', filters: [{ field: 'result', eq: '不满意' }] },
        { key: 'mediation_visit.unhappy_yoy', type: 'yoy', of: 'mediation_visit.unhappy', label: '回访不满意同比', unit: '%' },
      ]),
    );
    const said = await cli(h, ['metric', 'define', file, '--org', 'town_a']);
    expect(said).toContain('已定义指标“回访不满意”（mediation_visit.unhappy）');
    const json = JSON.parse(await cli(h, ['metrics', '--org', 'town_a', '--year', '2023', '--json'])) as Record<string, unknown>;
    expect(json['mediation_visit.satisfaction_rate']).toBeCloseTo(2 / 3, 10);
    expect(json['mediation_visit.unhappy']).toBe(1);
    // Nothing in 2022 to compare with: no data, not +100%.
    expect(json['mediation_visit.unhappy_yoy']).toBeNull();
    expect(json['mediation_visit.count']).toBe(3);
    // The town-only definition does not reach the other town.
    const b = JSON.parse(await cli(h, ['metrics', '--org', 'town_b', '--year', '2023', '--json'])) as Record<string, unknown>;
    expect(b).not.toHaveProperty('mediation_visit.unhappy');
    expect(b['mediation_visit.satisfaction_rate']).toBeNull();
    // The records behind the custom rate are those it counts as satisfied.
    const recs = await h.req(office, 'GET', '/api/metrics/mediation_visit.satisfaction_rate/records?year=2023');
    expect(recs.json().total).toBe(2);
  });
});
