import type { AppContext } from './context';
import type { LedgerDef, RecordData } from '../core/ledgers/types';
import { canRead, canWrite, readScope, type Actor } from '../core/access/policy';
import { checkDeadlineDates, validateRecordData } from '../core/ledgers/validate';
import { AppError, forbidden, type LineError } from '../core/errors';
import { todayShanghai, yearRange } from '../core/time';
import { audit } from './audit';
import { orgByCode } from './orgs';
import { newRecordRow } from './derive';
import { envFor, loadDeadlineEnv } from './deadline-env';
import { maskData, parseData } from './record-view';
import { insertRecordRows } from '../db/records-repo';
import { dataColumn, dataValue } from '../db/json';

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
  def: LedgerDef;
  deptId: number;
  status: string | null;
  data: RecordData;
}

const BATCH = 5000;

/**
 * Imports exchange lines into one org unit, all or nothing: every line is checked first (kind,
 * department, each field), and one bad line rejects the whole file with every bad line listed.
 * Valid files are written in batches inside one transaction with one audit entry.
 */
export async function importLines(
  ctx: AppContext,
  who: Actor,
  orgCode: string,
  input: ExchangeLine[],
  opts: { source?: string; parseErrors?: LineError[] } = {},
): Promise<{ imported: number; byKind: Record<string, number> }> {
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
  const prepared: Prepared[] = [];
  for (const { line, value } of input) {
    const err = (message: string, field?: string) => errors.push({ line, field, message: `第${line}行：${message}` });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      err('必须是JSON对象');
      continue;
    }
    const obj = value as Record<string, unknown>;
    const kindKey = (obj.kind ?? obj['台账']) as unknown;
    const def = typeof kindKey === 'string' ? (defs.get(kindKey) ?? [...defs.values()].find((d) => d.label === kindKey)) : undefined;
    if (!def) {
      err(typeof kindKey === 'string' ? `未知台账类型“${kindKey}”` : '缺少台账类型（kind）', 'kind');
      continue;
    }
    const deptName = obj.dept ?? obj['部门'];
    const deptId = typeof deptName === 'string' ? deptByName.get(deptName) : undefined;
    if (deptId === undefined) {
      err(typeof deptName === 'string' ? `${org.name}没有部门“${deptName}”` : '缺少责任部门（dept）', 'dept');
      continue;
    }
    if (!canWrite(who, { orgPath: org.path, deptId, kind: def.kind })) {
      err(`无权为“${deptName}”导入记录`, 'dept');
      continue;
    }
    let labels = labelMaps.get(def.kind);
    if (!labels) {
      labels = new Map(def.fields.map((f) => [f.label, f.key]));
      labelMaps.set(def.kind, labels);
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (!RESERVED.has(k)) fields[labels.get(k) ?? k] = v;
    const r = validateRecordData(def, fields, { deptNames });
    const dateErrors = r.ok ? checkDeadlineDates(def, r.data, today) : [];
    if (!r.ok || dateErrors.length) {
      for (const e of r.ok ? dateErrors : r.errors) err(e.message, e.field);
      continue;
    }
    let status = def.flow?.initial ?? null;
    const st = obj.status ?? obj['状态'];
    if (st !== undefined && st !== null && st !== '') {
      if (!def.flow || !def.flow.states.some((s) => s.key === st)) {
        err(`状态：“${String(st)}”不是${def.label}的流程状态`, 'status');
        continue;
      }
      status = st as string;
    }
    prepared.push({ def, deptId, status, data: r.data });
  }
  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    const shown = errors.slice(0, 20).map((e) => e.message).join('\n');
    throw new AppError('VALIDATION', `导入失败，共${errors.length}处错误，未写入任何记录：\n${shown}${errors.length > 20 ? '\n……' : ''}`, { lines: errors });
  }
  const at = ctx.now().toISOString();
  const byKind: Record<string, number> = {};
  const env = await loadDeadlineEnv(db, today, [org.id]);
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < prepared.length; i += BATCH) {
      const rows = prepared.slice(i, i + BATCH).map((p) => {
        byKind[p.def.kind] = (byKind[p.def.kind] ?? 0) + 1;
        return newRecordRow(p.def, { orgId: org.id, deptId: p.deptId }, p.data, p.status, envFor(env, org.id, p.def.kind), { userId: who.userId, at });
      });
      await insertRecordRows(ctx.storage, trx, rows);
    }
    await audit(trx, who, at, {
      action: 'import',
      entity: 'records',
      orgId: org.id,
      after: { count: prepared.length, byKind },
      detail: opts.source ?? null,
    });
  });
  return { imported: prepared.length, byKind };
}

/** Exports records of an org unit as exchange lines (round-trips with importLines). */
export async function* exportLines(
  ctx: AppContext,
  who: Actor,
  opts: { orgCode: string; kind?: string; year?: number; format?: string },
): AsyncGenerator<Record<string, unknown>> {
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
  await audit(db, who, ctx.now().toISOString(), {
    action: 'export',
    entity: 'records',
    orgId: org.id,
    detail: JSON.stringify({ kind: opts.kind ?? null, year: opts.year ?? null, format: opts.format ?? 'jsonl' }),
  });
  for (const kind of allowed) {
    const def = defs.get(kind)!;
    const scope = readScope(who, kind)!;
    let lastId = 0;
    // Keyset pages keep memory flat for large exports.
    for (;;) {
      let q = db
        .selectFrom('records')
        .innerJoin('departments', 'departments.id', 'records.dept_id')
        .select(['records.id', 'records.status', 'departments.name as dept'])
        .select(dataColumn(ctx.storage.dialect).as('data'))
        .where('records.org_id', '=', org.id)
        .where('records.kind', '=', kind)
        .where('records.deleted_at', 'is', null)
        .where('records.id', '>', lastId);
      if (scope.deptId !== undefined) q = q.where('records.dept_id', '=', scope.deptId);
      if (opts.year !== undefined) {
        const { from, to } = yearRange(opts.year);
        q = q.where('records.occurred_on', '>=', from).where('records.occurred_on', '<=', to);
      }
      const rows = await q.orderBy('records.id').limit(2000).execute();
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
