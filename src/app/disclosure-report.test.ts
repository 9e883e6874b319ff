/**
 * The two paths to the disclosure report's tables give the same tables: counted by the database as
 * groups (the report view, the district view) and record by record with every cell's records (the
 * trace, the snapshot). Random requests with every kind of bad or legacy value, on both databases,
 * for towns, a village below a town, the district, and a district given with one of its towns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from './context';
import { countDisclosureFor, type CountedDisclosure } from './disclosure-report';
import { ALL_REPLY_REASONS, REPLY_TYPES, requestRows, type DisclosureTables } from '../core/disclosure';
import { insertRecord, ORG, seedOrgs } from '../db/metrics-testdata';
import { openTestStorage, testDialects, type TestStorage } from '../db/testing';
import { createRng, type Rng } from '../demo/prng';

const day = (rng: Rng, from: string, span: number) => new Date(Date.parse(`${from}T00:00:00Z`) + rng.int(0, span) * 86_400_000).toISOString().slice(0, 10);
const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A value that is usually valid, sometimes absent, empty, of the wrong type or not an option (legacy data). */
function messy(rng: Rng, options: readonly unknown[]): unknown {
  const x = rng.int(0, 99);
  if (x < 6) return undefined;
  if (x < 8) return null;
  if (x < 10) return '';
  if (x < 12) return '已停用的选项';
  if (x < 13) return 7;
  return rng.pick(options);
}

async function randomYear(s: TestStorage, rng: Rng): Promise<void> {
  const orgs = [ORG.townA, ORG.townB, ORG.villageA];
  for (let i = 0; i < 700; i++) {
    const receivedOn = day(rng, '2021-10-01', 900);
    const data: Record<string, unknown> = { applicant: `申请人${i}`, receivedOn, content: `申请公开第${i}号事项` };
    const set = (k: string, v: unknown) => {
      if (v !== undefined) data[k] = v;
    };
    set('applicantType', messy(rng, ['自然人', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']));
    const r = rng.int(0, 9);
    // Replied in a few days or weeks (across a year's end too), never, or with an empty date.
    if (r < 7) set('repliedOn', plus(receivedOn, rng.int(0, 60)));
    else if (r === 7) set('repliedOn', '');
    set('replyType', messy(rng, [...REPLY_TYPES, '其他']));
    set('replyReason', messy(rng, [...ALL_REPLY_REASONS, '危及"三安全一稳定"']));
    await insertRecord(s, 'disclosure_request', rng.pick(orgs), data, { deleted: rng.chance(0.03) });
  }
  // Every pairing of the days either side of a year's end, so the boundaries are tested every run.
  for (const y of [2022, 2023]) {
    for (const receivedOn of [`${y}-01-01`, `${y}-12-31`, `${y + 1}-01-01`]) {
      for (const repliedOn of [`${y}-01-01`, `${y}-12-31`, `${y + 1}-01-01`, `${y + 1}-12-31`]) {
        if (repliedOn < receivedOn) continue;
        const data = { applicant: '跨年', applicantType: '商业企业', receivedOn, repliedOn, content: `跨年申请${receivedOn}-${repliedOn}`, replyType: '不予处理', replyReason: '重复申请' };
        await insertRecord(s, 'disclosure_request', ORG.townA, data);
        await insertRecord(s, 'enforcement_case', ORG.townB, { caseNumber: `执${repliedOn}`, cause: '占道经营', decidedOn: repliedOn, actionType: '行政处罚' });
      }
    }
  }
  for (let i = 0; i < 300; i++) {
    const decidedOn = day(rng, '2022-06-01', 700);
    await insertRecord(s, 'enforcement_case', rng.pick(orgs), { caseNumber: `执${i}`, cause: '占道经营', decidedOn, actionType: messy(rng, ['行政处罚', '行政强制', '行政许可', '行政检查']) }, { deleted: rng.chance(0.03) });
  }
  for (let i = 0; i < 40; i++) {
    const issuedOn = day(rng, '2020-01-01', 1600);
    await insertRecord(s, 'normative_document', rng.pick(orgs), {
      docNumber: `规${i}`,
      title: `文件${i}`,
      issuedOn,
      state: rng.pick(['有效', '已废止', '已失效', '已修改']),
      ...(rng.chance(0.3) ? { repealedOn: plus(issuedOn, rng.int(0, 700)) } : {}),
      ...(rng.chance(0.3) ? { expiresOn: plus(issuedOn, rng.int(0, 900)) } : {}),
    });
  }
  for (let i = 0; i < 40; i++) {
    const receivedOn = day(rng, '2022-01-01', 900);
    await insertRecord(s, 'litigation', rng.pick(orgs), {
      caseNumber: `诉${i}`,
      caseType: rng.pick(['行政复议', '行政诉讼一审', '行政诉讼二审']),
      cause: '政府信息公开答复',
      receivedOn,
      disclosureRelated: rng.chance(0.7),
      afterReconsideration: rng.chance(0.4),
      outcome: rng.pick(['维持', '驳回', '撤销', '确认违法', '调解撤诉', '审理中', '其他']),
      ...(rng.chance(0.7) ? { closedOn: plus(receivedOn, rng.int(10, 300)) } : {}),
    });
  }
  for (const [i, period] of ['2022-12', '2023-01', '2023-06', '2024-02'].entries()) {
    await insertRecord(s, 'indicator', rng.pick(orgs), { code: i % 2 ? 'admin_fees_wan' : 'disclosure_fees_yuan', period, value: rng.int(1, 9999) / 100 });
  }
}

const withoutRecords = (c: CountedDisclosure) => {
  const { records: _r, ...counts } = c.tables as DisclosureTables;
  return { tables: counts, fees: c.feesYuan.value };
};

describe.each(testDialects())('the disclosure tables by groups and by records on %s', (dialect) => {
  let s: TestStorage;
  let ctx: AppContext;
  const town = (id: number) => ({ id, path: id === ORG.villageA ? '/1/2/4/' : `/1/${id}/` });

  beforeAll(async () => {
    s = await openTestStorage(dialect);
    ctx = createContext(s, () => new Date('2024-01-20T00:00:00Z'));
    await seedOrgs(s);
    await randomYear(s, createRng(2023));
  }, 120_000);
  afterAll(async () => s?.dispose());

  it('gives the same cells, cross-checks and warnings for every org unit and year', async () => {
    const sets = [[town(ORG.townA), town(ORG.townB), town(ORG.villageA)], [{ id: ORG.district, path: '/1/' }], [{ id: ORG.district, path: '/1/' }, town(ORG.townA)]];
    let warned = 0;
    let counted = 0;
    for (const year of [2022, 2023, 2024]) {
      for (const orgs of sets) {
        const grouped = await countDisclosureFor(ctx, orgs, year);
        const traced = await countDisclosureFor(ctx, orgs, year, { traced: true });
        expect([...grouped.keys()].sort()).toEqual(orgs.map((o) => o.id).sort());
        for (const o of orgs) {
          const g = grouped.get(o.id)!;
          const t = traced.get(o.id)!;
          expect(withoutRecords(g), `${year} org ${o.id}`).toEqual(withoutRecords(t));
          expect('records' in g.tables).toBe(false);
          // The traced cells list exactly as many records as they count.
          const records = (t.tables as DisclosureTables).records;
          for (const { path, cell } of requestRows(t.tables.requests)) for (const [col, n] of Object.entries(cell)) expect(records[`requests.${path}.${col}`]?.length ?? 0, `${path}.${col}`).toBe(n);
          warned += t.tables.warnings.length;
          counted += t.tables.requests.new.total + t.tables.proactive.penalties;
        }
      }
    }
    // The random data exercised both the cells and the warnings.
    expect(warned).toBeGreaterThan(50);
    expect(counted).toBeGreaterThan(500);
  });

  it('names every request the table cannot place, by its content, on both paths', async () => {
    const g = (await countDisclosureFor(ctx, [town(ORG.townB)], 2023)).get(ORG.townB)!;
    const requestWarnings = g.tables.warnings.filter((w) => w.kind === 'disclosure_request');
    expect(requestWarnings.length).toBeGreaterThan(5);
    expect(requestWarnings.every((w) => /^申请公开第\d+号事项$/.test(w.title) && w.message.endsWith('未计入表三'))).toBe(true);
    expect(new Set(requestWarnings.map((w) => w.message)).size).toBeGreaterThan(3);
  });
});
