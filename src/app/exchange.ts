import type { AppContext } from './context';
import type { LedgerDef, RecordData } from '../core/ledgers/types';
import { canRead, canSeePii, canWrite, readScope, type Actor } from '../core/access/policy';
import { auditPiiExport } from './pii-reads';
import { piiFields } from './crypto/pii-codec';
import { checkDeadlineDates, newlySetExtensionFlags, validateRecordData } from '../core/ledgers/validate';
import { AppError, forbidden, type LineError } from '../core/errors';
import { todayShanghai, yearRange } from '../core/time';
import { audit } from './audit';
import { orgByCode } from './orgs';
import { newRecordRow } from './derive';
import { envFor, loadDeadlineEnv } from './deadline-env';
import { maskData, parseData } from './record-view';
import { insertRecordRows, liveRecordsPage } from '../db/records-repo';
import { withBulkLoadDeferred } from '../db/bulk-indexes';
import { updateRecordIn } from './records';
import { dataColumn, dataValue } from '../db/json';
import { sql, type SqlBool } from 'kysely';

/** Reserved keys of an exchange line; everything else is a field of the kind (by key or Chinese label). */
const RESERVED = new Set(['kind', 'dept', 'status', '台账', '部门', '状态']);

export interface ExchangeLine {
  line: number;
  value: unknown;
}

export function parseJsonl(text: string): { lines: ExchangeLine[]; errors: LineError[] } {
  const lines: ExchangeLine[] = [];
  const errors: LineError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (!s) return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(s) });
    } catch {
      errors.push({ line: i + 1, message: `第${i + 1}行：不是有效的JSON` });
    }
  });
  return { lines, errors };
}

interface Prepared {
  line: number;
  def: LedgerDef;
  deptId: number;
  status: string | null;
  data: RecordData;
  /** Set when the row's natural key names an existing record: that record is updated. */
  update?: { id: number; version: number };
}

interface Existing {
  id: number;
  deptId: number;
  status: string | null;
  version: number;
  data: RecordData;
}

/**
 * Rows built and written at a time. Small enough that a batch's rows die young (collected by the
 * scavenger instead of promoted to the old space, which V8 lets grow before it collects it): 100,000
 * rows from .xlsx peaked at 531 MB of memory with batches of 5,000, at 467 MB with 1,000.
 */
const BATCH = 1000;
/** Rows checked between two yields to the event loop, so the server answers other requests meanwhile. */
const YIELD_EVERY = 2000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ImportProgress {
  phase: 'check' | 'write';
  done: number;
  total: number;
}

export interface ImportResult {
  /** Records written (created + updated). */
  imported: number;
  created: number;
  updated: number;
  /** Rows equal to a record already there (by natural key, or field for field): nothing written. */
  unchanged: number;
  byKind: Record<string, number>;
}

/** A value as canonical JSON (object keys sorted), so two records compare field for field. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const naturalKeyOf = (def: LedgerDef, data: RecordData): string | null => {
  if (!def.naturalKey) return null;
  const v = data[def.naturalKey];
  return typeof v === 'string' && v.trim() ? v.trim().normalize('NFKC') : null;
};

/** Live records of the kinds in a file, read through the records repository a page at a time. */
async function existingRecords(ctx: AppContext, orgId: number, kinds: Iterable<string>): Promise<Map<string, Existing[]>> {
  const out = new Map<string, Existing[]>();
  for (const kind of kinds) {
    const list: Existing[] = [];
    for (let after = 0; ; ) {
      const rows = await liveRecordsPage(ctx.storage.db, ctx.storage.dialect, { orgId, kind, afterId: after, limit: 5000 });
      if (!rows.length) break;
      for (const r of rows) list.push({ id: r.id, deptId: r.dept_id, status: r.status, version: r.version, data: parseData(r.data) });
      after = rows[rows.length - 1]!.id;
    }
    out.set(kind, list);
  }
  return out;
}

/**
 * Imports exchange lines into one org unit, all or nothing: every line is checked first (kind,
 * department, each field, write scope), and any problem rejects the whole file with every problem
 * of every line listed. A row whose natural key (案号, 文号, 编号) names an existing record updates
 * it through the update command (version checked, audited as an update); a row equal field for
 * field to a record already there is skipped; the rest are created in batches. All of it happens
 * in one transaction with one import audit entry, so importing the same file again changes nothing.
 */
export async function importLines(
  ctx: AppContext,
  who: Actor,
  orgCode: string,
  input: ExchangeLine[],
  opts: { source?: string; parseErrors?: LineError[]; onProgress?: (p: ImportProgress) => void } = {},
): Promise<ImportResult> {
  const db = ctx.storage.db;
  const org = await orgByCode(db, orgCode);
  const depts = await db.selectFrom('departments').select(['id', 'name']).where('org_id', '=', org.id).execute();
  // Refused up front (not only line by line), so even an empty file says nothing about another org unit.
  if (!depts.some((d) => canWrite(who, { orgPath: org.path, deptId: d.id }))) throw forbidden(`无权向“${org.name}”导入记录`);
  const deptByName = new Map(depts.map((d) => [d.name, d.id]));
  const deptNames = new Set(deptByName.keys());
  const defs = new Map((await ctx.registry.all()).map((d) => [d.kind, d]));
  const labelMaps = new Map<string, Map<string, string>>();
  const today = todayShanghai(ctx.now());
  const errors: LineError[] = [...(opts.parseErrors ?? [])];
  // A cell already reported while reading is not reported again by the field check.
  const reported = new Set(errors.filter((e) => e.field).map((e) => `${e.line}:${e.field}`));
  const kindOf = (obj: Record<string, unknown>) => {
    const k = (obj.kind ?? obj['台账']) as unknown;
    return typeof k === 'string' ? (defs.get(k) ?? [...defs.values()].find((d) => d.label === k)) : undefined;
  };
  const kinds = new Set<string>();
  for (const { value } of input) if (value && typeof value === 'object') kinds.add(kindOf(value as Record<string, unknown>)?.kind ?? '');
  kinds.delete('');
  const existing = await existingRecords(ctx, org.id, kinds);
  const byKey = new Map<string, Map<string, Existing>>();
  // Rows already there, field for field: canonical form -> how many records have it (duplicates allowed).
  const present = new Map<string, number>();
  const fingerprint = (kind: string, deptId: number, data: RecordData) => `${kind}|${deptId}|${canonical(data)}`;
  for (const [kind, list] of existing) {
    const def = defs.get(kind)!;
    const m = new Map<string, Existing>();
    for (const e of list) {
      const k = naturalKeyOf(def, e.data);
      if (k !== null) m.set(k, e);
      const fp = fingerprint(kind, e.deptId, e.data);
      present.set(fp, (present.get(fp) ?? 0) + 1);
    }
    byKey.set(kind, m);
  }
  const keysInFile = new Set<string>();
  const prepared: Prepared[] = [];
  let unchanged = 0;
  let checked = 0;
  for (const { line, value } of input) {
    if (++checked % YIELD_EVERY === 0) {
      opts.onProgress?.({ phase: 'check', done: checked, total: input.length });
      await yieldToLoop();
    }
    const err = (message: string, field?: string) => {
      if (field && reported.has(`${line}:${field}`)) return;
      errors.push({ line, field, message: `第${line}行：${message}` });
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      err('必须是JSON对象');
      continue;
    }
    const obj = value as Record<string, unknown>;
    const def = kindOf(obj);
    if (!def) {
      const kindKey = obj.kind ?? obj['台账'];
      err(typeof kindKey === 'string' ? `未知台账类型“${kindKey}”` : '缺少台账类型（kind）', 'kind');
      continue;
    }
    let ok = true;
    const deptName = obj.dept ?? obj['部门'];
    const deptId = typeof deptName === 'string' ? deptByName.get(deptName.trim()) : undefined;
    if (deptId === undefined) {
      err(typeof deptName === 'string' ? `${org.name}没有部门“${deptName}”` : '缺少责任部门（dept）', 'dept');
      ok = false;
    } else if (!canWrite(who, { orgPath: org.path, deptId, kind: def.kind })) {
      err(`无权为“${String(deptName)}”导入记录`, 'dept');
      ok = false;
    }
    let labels = labelMaps.get(def.kind);
    if (!labels) {
      labels = new Map(def.fields.map((f) => [f.label, f.key]));
      labelMaps.set(def.kind, labels);
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (!RESERVED.has(k)) fields[labels.get(k) ?? k] = v;
    // The natural key, as written, decides between update and create before the full check.
    const rawKey = def.naturalKey && typeof fields[def.naturalKey] === 'string' ? (fields[def.naturalKey] as string).trim().normalize('NFKC') : null;
    const match = rawKey ? byKey.get(def.kind)?.get(rawKey) : undefined;
    if (rawKey) {
      const keyLabel = def.fields.find((f) => f.key === def.naturalKey)?.label ?? def.naturalKey!;
      if (keysInFile.has(`${def.kind}|${rawKey}`)) {
        // Not "line N": in a workbook the engine's line is not the sheet's row.
        err(`${keyLabel}“${rawKey}”在文件中出现了不止一次（同一${keyLabel}只能有一行）`, def.naturalKey);
        ok = false;
      } else keysInFile.add(`${def.kind}|${rawKey}`);
    }
    let previous: RecordData | undefined;
    if (match) {
      // A masked personal field (exported for a role that may not see it) keeps its stored value.
      previous = match.data;
      const masked = maskData(def, match.data, who);
      for (const f of def.fields) if (f.pii && masked[f.key] !== match.data[f.key] && fields[f.key] === masked[f.key]) delete fields[f.key];
    }
    const r = validateRecordData(def, fields, { deptNames, previous });
    const fieldErrors = r.ok ? [...checkDeadlineDates(def, r.data, today), ...(match ? newlySetExtensionFlags(def, match.data, r.data) : [])] : r.errors;
    for (const e of fieldErrors) err(e.message, e.field);
    let status = match ? match.status : (def.flow?.initial ?? null);
    const st = obj.status ?? obj['状态'];
    if (st !== undefined && st !== null && st !== '') {
      if (!def.flow || !def.flow.states.some((s) => s.key === st)) {
        err(`状态：“${String(st)}”不是${def.label}的流程状态`, 'status');
        ok = false;
      } else if (match && match.status !== st) {
        err(`状态：已有记录的状态是“${match.status ?? ''}”，导入不能改变办理状态，请在记录上进行流程操作`, 'status');
        ok = false;
      } else status = st as string;
    }
    if (!ok || !r.ok || fieldErrors.length) continue;
    if (match) {
      if (canonical(r.data) === canonical(match.data) && deptId === match.deptId) unchanged++;
      else {
        if (!canWrite(who, { orgPath: org.path, deptId: match.deptId, kind: def.kind })) {
          err(`无权修改已有记录（${def.fields.find((f) => f.key === def.naturalKey)?.label}“${rawKey}”属于其他部门）`, def.naturalKey);
          continue;
        }
        prepared.push({ line, def, deptId: deptId!, status, data: r.data, update: { id: match.id, version: match.version } });
      }
      continue;
    }
    // Compared only when the org unit already holds records of the kind (a first import skips it).
    const fp = existing.get(def.kind)?.length ? fingerprint(def.kind, deptId!, r.data) : '';
    const n = fp ? (present.get(fp) ?? 0) : 0;
    if (n > 0) {
      present.set(fp, n - 1);
      unchanged++;
      continue;
    }
    prepared.push({ line, def, deptId: deptId!, status, data: r.data });
  }
  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    const shown = errors.slice(0, 20).map((e) => e.message).join('\n');
    throw new AppError('VALIDATION', `导入失败，共${errors.length}处错误，未写入任何记录：\n${shown}${errors.length > 20 ? '\n……' : ''}`, { lines: errors });
  }
  const at = ctx.now().toISOString();
  const byKind: Record<string, number> = {};
  const creates = prepared.filter((p) => !p.update);
  const updates = prepared.filter((p) => p.update);
  const env = await loadDeadlineEnv(db, today, [org.id]);
  const total = prepared.length;
  const createsByDef = new Map<LedgerDef, number>();
  for (const p of creates) createsByDef.set(p.def, (createsByDef.get(p.def) ?? 0) + 1);
  await db.transaction().execute(async (trx) => {
    await withBulkLoadDeferred(ctx.storage, trx, createsByDef, async () => {
      for (let i = 0; i < creates.length; i += BATCH) {
        const rows = creates.slice(i, i + BATCH).map((p) => {
          byKind[p.def.kind] = (byKind[p.def.kind] ?? 0) + 1;
          return newRecordRow(p.def, { orgId: org.id, deptId: p.deptId }, p.data, p.status, envFor(env, org.id, p.def.kind), { userId: who.userId, at });
        });
        await insertRecordRows(ctx.storage, trx, rows);
        opts.onProgress?.({ phase: 'write', done: Math.min(i + BATCH, creates.length), total });
        await yieldToLoop();
      }
    });
    let done = creates.length;
    for (const p of updates) {
      byKind[p.def.kind] = (byKind[p.def.kind] ?? 0) + 1;
      try {
        await updateRecordIn(ctx, trx, who, p.def.kind, p.update!.id, { version: p.update!.version, data: p.data, deptId: p.deptId });
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFLICT')
          throw new AppError('CONFLICT', `第${p.line}行：要更新的记录在导入期间已被他人修改，未写入任何记录，请重新导入`, { lines: [{ line: p.line, message: `第${p.line}行：要更新的记录已被他人修改` }] });
        throw e;
      }
      if (++done % 500 === 0) opts.onProgress?.({ phase: 'write', done, total });
    }
    await audit(trx, who, at, {
      action: 'import',
      entity: 'records',
      orgId: org.id,
      after: { count: prepared.length, created: creates.length, updated: updates.length, unchanged, byKind },
      detail: opts.source ?? null,
    });
  });
  return { imported: prepared.length, created: creates.length, updated: updates.length, unchanged, byKind };
}

/** What an export streams: how many lines it will hold (for progress) and the lines. */
export interface ExportStream {
  total: number;
  lines: AsyncGenerator<Record<string, unknown>>;
}

export interface OrgExportOptions {
  orgCode: string;
  kind?: string;
  year?: number;
  format?: string;
}

/**
 * Opens the export of an org unit's records as exchange lines (round-trips with importLines): the
 * scope checks and the audit entry happen here, before any line is produced, and `total` counts
 * the rows the lines will hold. The direct downloads, the CLI and export jobs all read it.
 */
/** Rows an org export reads at a time. */
const PAGE = 2000;

export async function openOrgExport(ctx: AppContext, who: Actor, opts: OrgExportOptions): Promise<ExportStream> {
  const db = ctx.storage.db;
  const org = await orgByCode(db, opts.orgCode);
  const defs = new Map((await ctx.registry.all()).map((d) => [d.kind, d]));
  if (opts.kind && !defs.has(opts.kind)) throw new AppError('NOT_FOUND', `台账类型“${opts.kind}”不存在`);
  const kinds = opts.kind ? [opts.kind] : [...defs.keys()];
  const allowed = kinds.filter((k) => {
    const s = readScope(who, k);
    return s !== null && canRead(who, { orgPath: org.path, deptId: s.deptId ?? null, kind: k, adviser: s.adviser?.name });
  });
  if (!allowed.length) throw forbidden('无权导出该组织的记录');
  const rowsOf = (kind: string, inIdOrder = false) => {
    const scope = readScope(who, kind)!;
    // Many pages walk the primary key: on SQLite, equality on org_id and kind makes the planner read
    // every row of the kind through records_org_kind_date and sort them for each page (100,000 rows:
    // 50 pages of 100,000); a unary plus keeps those terms off the index, so the pages together read
    // the table once. One page (a small kind, or the count) keeps the index.
    const sqliteKeyset = inIdOrder && ctx.storage.dialect === 'sqlite';
    let q = sqliteKeyset
      ? db.selectFrom('records').where(sql<SqlBool>`+${sql.ref('records.org_id')} = ${org.id}`).where(sql<SqlBool>`+${sql.ref('records.kind')} = ${kind}`)
      : db.selectFrom('records').where('records.org_id', '=', org.id).where('records.kind', '=', kind);
    q = q.where('records.deleted_at', 'is', null);
    if (scope.deptId !== undefined) q = q.where('records.dept_id', '=', scope.deptId);
    if (opts.year !== undefined) {
      const { from, to } = yearRange(opts.year);
      q = q.where('records.occurred_on', '>=', from).where('records.occurred_on', '<=', to);
    }
    return q;
  };
  const counts = new Map<string, number>();
  for (const kind of allowed) counts.set(kind, Number((await rowsOf(kind).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  await audit(db, who, ctx.now().toISOString(), {
    action: 'export',
    entity: 'records',
    orgId: org.id,
    detail: JSON.stringify({ kind: opts.kind ?? null, year: opts.year ?? null, format: opts.format ?? 'jsonl', rows: total }),
  });
  // Personal values leave in clear: the records of each such kind are named before the first line.
  for (const kind of allowed) {
    const def = defs.get(kind)!;
    if (!piiFields(def).length || !canSeePii(who)) continue;
    const ids = (await rowsOf(kind).select('records.id').orderBy('records.id').execute()).map((r) => r.id);
    await auditPiiExport(ctx, who, def, org.id, ids);
  }
  async function* lines(): AsyncGenerator<Record<string, unknown>> {
    for (const kind of allowed) {
      const def = defs.get(kind)!;
      const scope = readScope(who, kind)!;
      let lastId = 0;
      // Keyset pages keep memory flat for large exports.
      for (;;) {
        const rows = await rowsOf(kind, counts.get(kind)! > PAGE)
          .innerJoin('departments', 'departments.id', 'records.dept_id')
          .select(['records.id', 'records.status', 'departments.name as dept'])
          .select(dataColumn(ctx.storage.dialect).as('data'))
          .where('records.id', '>', lastId)
          .orderBy('records.id')
          .limit(PAGE)
          .execute();
        if (!rows.length) break;
        for (const r of rows) {
          const data = maskData(def, parseData(r.data), who);
          if (scope.adviser && data.adviser !== scope.adviser.name) continue;
          yield { kind, dept: r.dept, ...(def.flow && r.status ? { status: r.status } : {}), ...data };
        }
        lastId = rows[rows.length - 1]!.id;
      }
    }
  }
  return { total, lines: lines() };
}

/** Exports records of an org unit as exchange lines; the first step checks scope and audits (see openOrgExport). */
export async function* exportLines(ctx: AppContext, who: Actor, opts: OrgExportOptions): AsyncGenerator<Record<string, unknown>> {
  yield* (await openOrgExport(ctx, who, opts)).lines;
}
