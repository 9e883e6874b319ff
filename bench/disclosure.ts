/**
 * Disclosure-report benchmark (issue 11): a district of 20 towns, each with a town-year of 10,000
 * disclosure requests (plus those carried in) and 100,000 other records — enforcement cases, cases,
 * normative documents, indicators and ordinary ledger rows — inserted straight into `records` on
 * SQLite and PostgreSQL. Measured: the three tables of one town-year (target < 200 ms) and the district
 * view of the 20 towns with the re-checked total (target < 2 s), each with its ratio to one
 * hand-written scan of the town-year's requests (the practical lower bound). Both are counted by the
 * database as groups (db/disclosure-groups.ts); the traced count, which reads every record to list
 * each cell's records (the JSON/HTML trace, the 定稿 snapshot), is printed beside them without a target.
 *
 * Run alone: `npx tsx bench/disclosure.ts` (PostgreSQL part when FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL
 * is set); FAZHI_BENCH_TOWNS changes the number of towns.
 */
import { refreshPlannerStatistics } from '../src/db/planner-statistics';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createContext, type AppContext } from '../src/app/context';
import { countDisclosureFor } from '../src/app/disclosure-report';
import { districtDisclosure } from '../src/app/district-disclosure';
import type { Actor } from '../src/core/access/policy';
import { REPLY_REASONS, type ReasonedType } from '../src/core/disclosure';
import type { Storage } from '../src/db/connect';
import { dataValue } from '../src/db/json';
import { openTestStorage } from '../src/db/testing';
import { createRng, type Rng } from '../src/demo/prng';
import { createPgDatabase, fmt, median, report } from './util';

const YEAR = 2023;
const REQUESTS = 10_000;
const OTHERS = 100_000;
const TOWNS = Number(process.env.FAZHI_BENCH_TOWNS ?? 20);
const TS = '2024-01-20T00:00:00.000Z';
const TYPES = ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理'] as const;
const APPLICANTS = ['自然人', '自然人', '自然人', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;

const day = (rng: Rng, from: string, span: number) => new Date(Date.parse(`${from}T00:00:00Z`) + rng.int(0, span) * 86400000).toISOString().slice(0, 10);
const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

interface Row {
  kind: string;
  occurred_on: string;
  closed_on: string | null;
  status: string | null;
  data: Record<string, unknown>;
}

function townRows(rng: Rng): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < REQUESTS + 200; i++) {
    const receivedOn = i < REQUESTS ? day(rng, `${YEAR}-01-01`, 364) : day(rng, `${YEAR - 1}-12-01`, 30);
    const repliedOn = plus(receivedOn, rng.int(5, 40));
    const replied = repliedOn <= '2024-01-20';
    const type = rng.pick(TYPES);
    const data: Record<string, unknown> = { applicant: `申请人${i}`, applicantType: rng.pick(APPLICANTS), receivedOn, content: `申请公开第${i}号事项的相关文件` };
    if (replied) Object.assign(data, { repliedOn, replyType: type, ...(type in REPLY_REASONS ? { replyReason: rng.pick(REPLY_REASONS[type as ReasonedType]) } : {}) });
    rows.push({ kind: 'disclosure_request', occurred_on: receivedOn, closed_on: replied ? repliedOn : null, status: replied ? '已答复' : '收到', data });
  }
  for (let i = 0; i < OTHERS; i++) {
    const on = day(rng, `${YEAR - 1}-01-01`, 729);
    const k = i % 10;
    if (k < 4) rows.push({ kind: 'enforcement_case', occurred_on: on, closed_on: null, status: null, data: { caseNumber: `执${i}`, cause: '占道经营', actionType: rng.pick(['行政处罚', '行政检查', '行政检查', '行政强制', '行政许可']), decidedOn: on } });
    else if (i % 200 === 5) rows.push({ kind: 'litigation', occurred_on: on, closed_on: null, status: null, data: { caseNumber: `诉${i}`, caseType: rng.pick(['行政复议', '行政诉讼一审', '行政诉讼二审']), cause: '政府信息公开答复', receivedOn: on, outcome: '审理中', disclosureRelated: rng.chance(0.5) } });
    else if (i % 500 === 7) rows.push({ kind: 'normative_document', occurred_on: on, closed_on: null, status: null, data: { docNumber: `规${i}`, title: `文件${i}`, issuedOn: on, state: '有效', ...(rng.chance(0.2) ? { repealedOn: plus(on, 200) } : {}) } });
    else rows.push({ kind: 'dispute', occurred_on: on, closed_on: null, status: null, data: { title: `纠纷${i}`, receivedOn: on } });
  }
  for (let m = 1; m <= 12; m++) rows.push({ kind: 'indicator', occurred_on: `${YEAR}-${String(m).padStart(2, '0')}-01`, closed_on: null, status: null, data: { code: 'admin_fees_wan', period: `${YEAR}-${String(m).padStart(2, '0')}`, value: rng.int(1, 30) / 10 } });
  return rows;
}

async function insert(storage: Storage, orgId: number, deptId: number, rows: Row[]): Promise<void> {
  const batch = 1500;
  await storage.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += batch) {
      const values = rows.slice(i, i + batch).map((r) => sql`(${r.kind}, ${orgId}, ${deptId}, ${r.occurred_on}, ${r.status}, ${r.closed_on}, ${dataValue(storage.dialect, JSON.stringify(r.data))}, 1, ${TS}, ${TS})`);
      await sql`insert into records (kind, org_id, dept_id, occurred_on, status, closed_on, data, version, created_at, updated_at) values ${sql.join(values)}`.execute(trx);
    }
  });
}

async function seed(storage: Storage): Promise<{ ctx: AppContext; district: number; towns: { id: number; path: string }[] }> {
  const t0 = performance.now();
  const d = await storage.db.insertInto('org_units').values({ code: 'qu', name: '测试区', level: '区', parent_id: null, path: '/' }).returning('id').executeTakeFirstOrThrow();
  await storage.db.updateTable('org_units').set({ path: `/${d.id}/` }).where('id', '=', d.id).execute();
  const towns: { id: number; path: string }[] = [];
  const rng = createRng(11);
  for (let t = 0; t < TOWNS; t++) {
    const o = await storage.db.insertInto('org_units').values({ code: `t${t}`, name: `第${t + 1}镇`, level: '镇', parent_id: d.id, path: 'x' }).returning('id').executeTakeFirstOrThrow();
    const path = `/${d.id}/${o.id}/`;
    await storage.db.updateTable('org_units').set({ path }).where('id', '=', o.id).execute();
    const dept = await storage.db.insertInto('departments').values({ org_id: o.id, name: '党政办公室' }).returning('id').executeTakeFirstOrThrow();
    await insert(storage, o.id, dept.id, townRows(rng));
    towns.push({ id: o.id, path });
  }
  await refreshPlannerStatistics(storage, { full: true });
  const n = await storage.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  console.log(`  ${fmt(Number(n.n))} records in ${TOWNS} towns inserted in ${fmt((performance.now() - t0) / 1000)} s`);
  return { ctx: createContext(storage, () => new Date(TS)), district: d.id, towns };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

async function benchOne(label: string, storage: Storage): Promise<void> {
  console.log(`${label}:`);
  const { ctx, district, towns } = await seed(storage);
  const town = towns[0]!;
  const supervisor: Actor = { userId: 0, username: 'bench', displayName: '督察', role: 'supervisor', orgId: district, orgPath: `/${district}/`, deptId: null };
  const json = storage.dialect === 'postgres' ? sql`data->>'replyType'` : sql`json_extract(data, '$.replyType')`;
  const scan = await timed(5, () =>
    sql`select count(*) as n, count(${json}) as r from records where org_id = ${town.id} and kind = 'disclosure_request' and deleted_at is null and occurred_on <= ${`${YEAR}-12-31`} and (closed_on is null or closed_on >= ${`${YEAR}-01-01`})`.execute(storage.db),
  );
  const tables = await timed(5, () => countDisclosureFor(ctx, [town], YEAR));
  const traced = await timed(3, () => countDisclosureFor(ctx, [town], YEAR, { traced: true }));
  const counted = (await countDisclosureFor(ctx, [town], YEAR)).get(town.id)!.tables;
  if (!counted.checks.every((c) => c.ok) || counted.requests.new.total !== REQUESTS) throw new Error('benchmark tables do not add up');
  const dist = await timed(3, () => districtDisclosure(ctx, supervisor, { orgId: district, year: YEAR }));
  report(`  hand-written scan of one town-year's requests`, `${scan.toFixed(1)} ms`, 'the limit', true);
  report(`  three tables of a town-year (${fmt(REQUESTS)} requests + ${fmt(OTHERS)} other records)`, `${tables.toFixed(1)} ms`, `target < 200 ms, ${(tables / 200).toFixed(2)} of it, ${(tables / scan).toFixed(1)}× the scan`, tables < 200);
  report(`  district of ${TOWNS} towns side by side with the total`, `${dist.toFixed(1)} ms`, `target < 2000 ms, ${(dist / 2000).toFixed(2)} of it, ${(dist / scan).toFixed(1)}× one town's scan`, dist < 2000);
  console.log(`    (traced: the same town-year with every cell's records, for the trace and the 定稿 snapshot: ${traced.toFixed(1)} ms, no target)`);
}

export async function benchDisclosure(): Promise<void> {
  const lite = await openTestStorage('sqlite');
  try {
    await benchOne('SQLite', lite);
  } finally {
    await lite.dispose();
  }
  const pg = await createPgDatabase();
  if (!pg) {
    console.log('PostgreSQL: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL)');
    return;
  }
  try {
    await benchOne('PostgreSQL', pg.storage);
  } finally {
    await pg.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchDisclosure();
