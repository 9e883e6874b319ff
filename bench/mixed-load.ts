/**
 * Issue 8's load benchmark, also issue 14's mixed-load target (`npm run bench -- mixed`): 50 clients ×
 * 60 s on loopback against the platform (FAZHI_WORKERS processes), each client a closed loop (one
 * request at a time, 10 s timeout: bounded), mixing logins, filtered lists, record reads, creates and
 * concurrent edits of a few shared records; on SQLite and PostgreSQL. Prints requests, errors, p50/p99
 * per kind of request and the lost writes: every acknowledged create must exist and every acknowledged
 * edit must be in the record's version count and history, the last one's content in the record.
 * Clients use accounts of their own (bench_clerk0…, bench_office), not the demo's.
 * FAZHI_BENCH_SECONDS shortens the run while developing.
 *
 * Before and after encryption (issue 8: the list of a kind with personal fields may cost at most 1.5x
 * what it costs without): part of the mix lists and reads a visitor register, and the same load runs
 * over two kinds at once, request by request in turn, so that both see the same machine: one whose
 * 来访人 and 联系电话 are personal fields (sealed with SM4 + HMAC-SM3, opened per row, reads audited)
 * and its twin with the same fields and records not marked personal. The switch is the benchmark's
 * choice of kind, never a setting of the platform: FAZHI_BENCH_PII=on lists and reads the sealed kind
 * only, off the plain one only, both (default) alternates them and prints them side by side.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyze, clientHeaders, createBenchDb, clerkName, login, OFFICE_USER, PASSWORD, seconds, startPlatform, TOWN, TYPES, type BenchDb } from './load-setup';
import { benchDialects, fmt, report } from './util';
import { dataColumn } from '../src/db/json';
import { importLines } from '../src/app/exchange';
import { systemActor } from '../src/app/context';

const CLIENTS = 50;
const HOT = 10; // records every client edits: concurrent edits of the same record are the point
const OFFICES = 5; // clients 0..4 sign in as the town's 法治办, the others as clerks of 司法所

type Op = 'login' | 'list' | 'read' | 'create' | 'edit' | 'plist' | 'pread';
const MIX: [Op, number][] = [
  ['list', 30],
  ['read', 23],
  // The visitor register of the pass: sealed personal fields, or the twin without.
  ['plist', 10],
  ['pread', 5],
  ['edit', 20],
  ['create', 10],
  // A login hashes a password with argon2id (tens of ms of CPU by design): people sign in once a session, not every minute.
  ['login', 2],
];

interface Stats {
  /** Per op; the register's ops per kind: `plist/sealed`, `pread/plain`… */
  times: Map<string, number[]>;
  errors: Map<string, number>;
  conflicts: number;
  /** Acknowledged edits per hot record: version → title written. */
  edits: Map<number, Map<number, string>>;
  created: Map<number, string>;
}

const VISITS = 5_000;
const VISIT_KINDS = { sealed: 'bench_visit_sealed', plain: 'bench_visit_plain' } as const;
type Pass = keyof typeof VISIT_KINDS;

function passes(): Pass[] {
  const v = (process.env.FAZHI_BENCH_PII ?? 'both').toLowerCase();
  if (v === 'on') return ['sealed'];
  if (v === 'off') return ['plain'];
  if (v === 'both') return ['plain', 'sealed'];
  throw new Error(`FAZHI_BENCH_PII must be on, off or both, not ${v}`);
}

const visitDef = (pass: Pass) => ({
  kind: VISIT_KINDS[pass],
  label: pass === 'sealed' ? '来访登记（加密）' : '来访登记（对照）',
  occurredOn: 'visitedOn',
  titleField: 'subject',
  fields: [
    { key: 'visitedOn', label: '来访日期', type: 'date', required: true },
    { key: 'visitor', label: '来访人', type: 'person', required: true, pii: pass === 'sealed' },
    { key: 'phone', label: '联系电话', type: 'text', pii: pass === 'sealed' },
    { key: 'subject', label: '事项', type: 'text', required: true },
    { key: 'channel', label: '方式', type: 'enum', options: ['来信', '来访', '网上'], required: true },
  ],
});

/** Both visitor registers, the same records in each, in the clerks' department. */
async function addVisitKinds(db: BenchDb): Promise<void> {
  const at = new Date().toISOString();
  for (const pass of ['plain', 'sealed'] as const) {
    await db.ctx.registry.define(db.storage.db, visitDef(pass), null, at);
    const lines = Array.from({ length: VISITS }, (_, i) => ({
      line: i + 1,
      value: { kind: VISIT_KINDS[pass], dept: '司法所', visitedOn: `${2023 + (i % 2)}-${String((i % 12) + 1).padStart(2, '0')}-10`, visitor: `来访人${i}`, phone: `1390000${String(i).padStart(4, '0')}`, subject: `事项${i}`, channel: ['来信', '来访', '网上'][i % 3] },
    }));
    await importLines(db.ctx, systemActor(), TOWN, lines, { source: 'bench' });
  }
  await analyze(db.storage);
}

function pickOp(r: number): Op {
  let x = r * 100;
  for (const [op, w] of MIX) if ((x -= w) < 0) return op;
  return 'list';
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const userOf = (index: number) => (index < OFFICES ? OFFICE_USER : clerkName(index - OFFICES));

/** One client's loop until the deadline; `cookie` is its session, signed in before the clock starts. */
async function client(
  base: string,
  index: number,
  cookie: string,
  deadline: number,
  readable: number[],
  hot: number[],
  deptId: number,
  visits: { passes: Pass[]; ids: Record<Pass, number[]> },
  st: Stats,
): Promise<void> {
  const username = userOf(index);
  const headers = () => ({ ...clientHeaders(base), cookie, 'content-type': 'application/json' });
  const fail = (what: string) => st.errors.set(what, (st.errors.get(what) ?? 0) + 1);
  let n = 0;
  const turn = { plist: 0, pread: 0 }; // the registers strictly in turn per op, so both get as many requests
  // Each request, timed; an unexpected status or a network failure is an error.
  const call = async (op: string, path: string, init: RequestInit, ok: number[]): Promise<{ status: number; body: unknown }> => {
    const t = performance.now();
    try {
      const r = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
      const body = r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text();
      st.times.get(op)!.push(performance.now() - t);
      if (!ok.includes(r.status)) fail(`${op} ${r.status} ${JSON.stringify(body).slice(0, 120)}`);
      return { status: r.status, body };
    } catch (e) {
      st.times.get(op)!.push(performance.now() - t);
      fail(`${op} ${(e as Error).name}: ${(e as Error).message}`);
      return { status: 0, body: null };
    }
  };
  while (performance.now() < deadline) {
    const op = pickOp(Math.random());
    n++;
    if (op === 'login') {
      // A second session of the same account, used once and ended: logins without piling up sessions.
      const t = performance.now();
      try {
        const c = await login(base, username);
        st.times.get('login')!.push(performance.now() - t);
        await call('read', '/api/auth/me', { headers: { ...clientHeaders(base), cookie: c } }, [200]);
        await call('login', '/api/auth/logout', { method: 'POST', headers: { ...clientHeaders(base), cookie: c } }, [200]);
      } catch (e) {
        st.times.get('login')!.push(performance.now() - t);
        fail(`login ${(e as Error).message.slice(0, 120)}`);
      }
    } else if (op === 'list') {
      const type = TYPES[n % TYPES.length]!;
      const q = n % 3 === 0 ? `f.trainingType=${type}&year=2023&sort=heldOn&order=desc&page=${1 + (n % 5)}` : n % 3 === 1 ? `f.attendees.from=30&sort=attendees&order=asc` : `year=2024&page=${1 + (n % 10)}`;
      await call('list', `/api/records/training?${encodeURI(q)}`, { headers: headers() }, [200]);
    } else if (op === 'plist' || op === 'pread') {
      // The kinds in turn, the same query for each, so both meet the same load.
      const pass = visits.passes[turn[op]++ % visits.passes.length]!;
      const kind = VISIT_KINDS[pass];
      if (op === 'plist') {
        const q = (n >> 2) % 2 ? `f.channel=来访&page=${1 + (n % 5)}` : `year=2024&page=${1 + (n % 10)}`;
        await call(`plist/${pass}`, `/api/records/${kind}?${encodeURI(q)}`, { headers: headers() }, [200]);
      } else {
        const ids = visits.ids[pass];
        await call(`pread/${pass}`, `/api/records/${kind}/${ids[Math.floor(Math.random() * ids.length)]!}`, { headers: headers() }, [200]);
      }
    } else if (op === 'read') {
      const id = n % 2 ? hot[n % hot.length]! : readable[Math.floor(Math.random() * readable.length)]!;
      await call('read', `/api/records/training/${id}`, { headers: headers() }, [200]);
    } else if (op === 'create') {
      const title = `压测新增 c${index} #${n}`;
      const r = await call('create', '/api/records/training', { method: 'POST', headers: headers(), body: JSON.stringify({ deptId, data: { title, heldOn: '2025-03-01', trainingType: '警示教育', attendees: 5 } }) }, [201]);
      if (r.status === 201) st.created.set((r.body as { id: number }).id, title);
    } else {
      const id = hot[Math.floor(Math.random() * hot.length)]!;
      const cur = await call('read', `/api/records/training/${id}`, { headers: headers() }, [200]);
      if (cur.status !== 200) continue;
      const rec = cur.body as { version: number; data: Record<string, unknown> };
      const title = `热点记录 ${id} c${index} #${n}`;
      const r = await call('edit', `/api/records/training/${id}`, { method: 'PUT', headers: headers(), body: JSON.stringify({ version: rec.version, data: { ...rec.data, title } }) }, [200, 409]);
      if (r.status === 409) st.conflicts++;
      if (r.status === 200) {
        const v = (r.body as { version: number }).version;
        const seen = st.edits.get(id)!;
        if (seen.has(v)) fail(`edit: version ${v} of record ${id} acknowledged twice`);
        seen.set(v, title);
      }
    }
    if (n % 200 === 0) cookie = await login(base, username); // sessions are renewed now and then, as people do
  }
}

/** Acknowledged writes missing from the database: the lost-write count (must be 0). */
async function lostWrites(db: BenchDb, st: Stats, firstVersion: Map<number, number>): Promise<{ lost: number; details: string[] }> {
  const details: string[] = [];
  let lost = 0;
  const d = db.storage.db;
  const ids = [...st.created.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const found = new Set((await d.selectFrom('records').select('id').where('id', 'in', chunk).execute()).map((r) => r.id));
    for (const id of chunk) if (!found.has(id)) (lost++, details.push(`created record ${id} missing`));
  }
  for (const [id, acked] of st.edits) {
    if (!acked.size) continue;
    const row = await d.selectFrom('records').select(['version', dataColumn(db.dialect).as('data')]).where('id', '=', id).executeTakeFirstOrThrow();
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { title: string };
    const inHistory = Number(
      (await d.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', 'record').where('entity_id', '=', String(id)).where('action', '=', 'update').executeTakeFirstOrThrow()).n,
    );
    const last = Math.max(...acked.keys());
    // Every acknowledged edit raised the version by one and left one audit entry; the last one's content is what is stored.
    const versions = row.version - firstVersion.get(id)!;
    if (versions < acked.size) (lost += acked.size - versions, details.push(`record ${id}: ${acked.size} edits acknowledged, version rose by ${versions}`));
    if (inHistory < acked.size) details.push(`record ${id}: ${acked.size} edits acknowledged, ${inHistory} in its history`);
    if (row.version !== last) details.push(`record ${id}: last acknowledged version ${last}, stored ${row.version}`);
    else if (data.title !== acked.get(last)) (lost++, details.push(`record ${id}: stored title ${data.title}, acknowledged ${acked.get(last)}`));
  }
  return { lost, details };
}

/** The load over the running platform, the registers of `active` in turn; prints its figures. */
async function run(label: string, db: BenchDb, url: string, active: Pass[]): Promise<Stats> {
  const deptId = db.deptIds.get('司法所')!;
  const setup = await login(url, OFFICE_USER);
  const hot: number[] = [];
  for (let i = 0; i < HOT; i++) {
    const r = await fetch(`${url}/api/records/training`, {
      method: 'POST',
      headers: { ...clientHeaders(url), cookie: setup, 'content-type': 'application/json' },
      body: JSON.stringify({ deptId, data: { title: `热点记录 ${i}`, heldOn: '2025-01-02', trainingType: '以案释法', attendees: 20 } }),
    });
    if (r.status !== 201) throw new Error(`hot record: ${r.status} ${await r.text()}`);
    hot.push(((await r.json()) as { id: number }).id);
  }
  const firstVersion = new Map(hot.map((id) => [id, 1]));
  const keys = MIX.flatMap(([op]) => (op === 'plist' || op === 'pread' ? active.map((p) => `${op}/${p}`) : [op]));
  const st: Stats = { times: new Map(keys.map((k) => [k, []])), errors: new Map(), conflicts: 0, edits: new Map(hot.map((id) => [id, new Map()])), created: new Map() };
  const secs = seconds(60);
  console.log(`${label}: ${CLIENTS} clients × ${secs} s, ${fmt(20_000)} training records and ${fmt(VISITS)} visitor records in ${active.map((p) => VISIT_KINDS[p]).join(' and ')}`);
  // Records every client may read (clerks see their own department's).
  const readable = (await db.storage.db.selectFrom('records').select('id').where('kind', '=', 'training').where('dept_id', '=', deptId).execute()).map((r) => r.id);
  const ids = {} as Record<Pass, number[]>;
  for (const p of active) ids[p] = (await db.storage.db.selectFrom('records').select('id').where('kind', '=', VISIT_KINDS[p]).execute()).map((r) => r.id);
  const cookies: string[] = [];
  for (let i = 0; i < CLIENTS; i++) cookies.push(await login(url, userOf(i)));
  const t0 = performance.now();
  const deadline = t0 + secs * 1000;
  await Promise.all(cookies.map((c, i) => client(url, i, c, deadline, readable, hot, deptId, { passes: active, ids }, st)));
  const elapsed = (performance.now() - t0) / 1000;
  const all = [...st.times.values()].flat();
  const errors = [...st.errors.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${fmt(all.length)} requests in ${elapsed.toFixed(1)} s (${fmt(all.length / elapsed)} req/s), ${errors} errors, ${st.conflicts} edit conflicts (409, expected: the clients edit the same ${HOT} records)`);
  for (const [op, xs] of st.times) console.log(`  ${op.padEnd(12)} ${fmt(xs.length).padStart(7)} requests  p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms  p99 ${pct(xs, 99).toFixed(1).padStart(7)} ms`);
  for (const [what, k] of [...st.errors].slice(0, 10)) console.log(`  error ×${k}: ${what}`);
  const readsLists = [...st.times].filter(([k]) => /^(read|list|pread|plist)\b/.test(k)).flatMap(([, xs]) => xs);
  const p99 = pct(readsLists, 99);
  report(`${label}: p99 of reads and lists under the mixed load`, `${p99.toFixed(1)} ms`, 'target < 300 ms', p99 < 300);
  report(`${label}: errors`, String(errors), 'target 0', errors === 0);
  const { lost, details } = await lostWrites(db, st, firstVersion);
  const acked = st.created.size + [...st.edits.values()].reduce((a, m) => a + m.size, 0);
  report(`${label}: lost writes (of ${fmt(acked)} acknowledged creates and edits)`, String(lost), 'target 0', lost === 0 && details.length === 0);
  for (const d of details.slice(0, 10)) console.log(`  ${d}`);
  return st;
}

/** Before and after encryption, side by side: what sealing personal fields costs a list and a read under the same load. */
function compare(label: string, st: Stats): void {
  const a = (op: string) => st.times.get(`${op}/plain`);
  const b = (op: string) => st.times.get(`${op}/sealed`);
  if (!a('plist') || !b('plist')) return;
  const line = (xs: number[]) => `${pct(xs, 50).toFixed(1).padStart(6)} / ${pct(xs, 99).toFixed(1).padStart(7)} ms`;
  console.log(`  ${label}, before/after encryption            plain p50 / p99        sealed p50 / p99     ratio p50 / p99`);
  for (const op of ['plist', 'pread']) {
    const x = a(op)!;
    const y = b(op)!;
    console.log(`  ${(op === 'plist' ? 'list of the register (page of 20)' : 'read of one record').padEnd(38)} ${line(x)}   ${line(y)}   ${(pct(y, 50) / pct(x, 50)).toFixed(2)} / ${(pct(y, 99) / pct(x, 99)).toFixed(2)}`);
  }
  const ratio = pct(b('plist')!, 50) / pct(a('plist')!, 50);
  report(`${label}: list of a kind with personal fields, sealed vs plain (p50 under the mixed load)`, `ratio ${ratio.toFixed(2)}`, 'target ≤ 1.5', ratio <= 1.5);
}

async function one(label: string, db: BenchDb, workers: number): Promise<void> {
  await addVisitKinds(db);
  const platform = await startPlatform(db, workers);
  try {
    console.log(`${label}: platform with ${workers} worker process(es)`);
    compare(label, await run(label, db, platform.url, passes()));
  } finally {
    await platform.stop();
  }
}

export async function benchMixedLoad(): Promise<void> {
  const workers = process.env.FAZHI_WORKERS ? Number(process.env.FAZHI_WORKERS) : os.availableParallelism();
  console.log(`Machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other users' load makes these figures noisy)`);
  for (const dialect of benchDialects()) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const db = await createBenchDb(dialect, 20_000, CLIENTS - OFFICES);
    if (!db) {
      console.log(`${label}: skipped (set FAZHI_BENCH_PG_URL or FAZHI_TEST_PG_URL, or run through npm run bench)`);
      continue;
    }
    try {
      await one(label, db, workers);
    } finally {
      await db.dispose();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMixedLoad();
