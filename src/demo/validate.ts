/**
 * Checks exchange lines against the ledger definitions, the way an importer would: unknown kinds and
 * fields, types, enum values, real calendar dates, required fields, department names, flow states
 * and that a flow state agrees with the record's closing date. Used by the dataset tests so that the
 * fixtures can never drift from `src/core/ledgers/kinds`.
 */
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import { isValidIsoDate, isValidIsoMonth } from './dates';
import type { ExchangeLine } from './exchange';

const META_KEYS = new Set(['kind', 'dept', 'status']);

function checkField(field: FieldDef, value: unknown, depts: ReadonlySet<string>): string | null {
  const bad = (why: string): string => `${field.label}（${field.key}）：${why}`;
  switch (field.type) {
    case 'text':
    case 'longtext':
    case 'person': {
      if (typeof value !== 'string' || value.trim() === '') return bad('必须是非空文本');
      const max = field.maxLength ?? (field.type === 'longtext' ? 20000 : 500);
      return value.length > max ? bad(`超过${max}字`) : null;
    }
    case 'date':
      return typeof value === 'string' && isValidIsoDate(value) ? null : bad('必须是有效日期 YYYY-MM-DD');
    case 'month':
      return typeof value === 'string' && isValidIsoMonth(value) ? null : bad('必须是有效月份 YYYY-MM');
    case 'int':
      return Number.isInteger(value) && (value as number) >= 0 ? null : bad('必须是不小于0的整数');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : bad('必须是数字');
    case 'money':
      return typeof value === 'number' && value >= 0 && Math.abs(Math.round(value * 100) - value * 100) < 1e-6
        ? null
        : bad('必须是不小于0、最多两位小数的金额');
    case 'bool':
      return typeof value === 'boolean' ? null : bad('必须是 true 或 false');
    case 'enum':
      return typeof value === 'string' && (field.options ?? []).includes(value) ? null : bad(`“${String(value)}”不在可选值中`);
    case 'multienum':
      return Array.isArray(value) && value.length > 0 && value.every((v) => (field.options ?? []).includes(v as string))
        ? null
        : bad('必须是可选值的非空列表');
    case 'dept':
      return typeof value === 'string' && depts.has(value) ? null : bad(`“${String(value)}”不是本单位的部门`);
    case 'depts':
      return Array.isArray(value) && value.every((v) => depts.has(v as string)) ? null : bad('必须是本单位部门的列表');
    case 'ref':
      return Number.isInteger(value) ? null : bad('必须是记录编号');
    case 'files':
      return Array.isArray(value) ? null : bad('必须是附件列表');
  }
}

/**
 * Flow states in which the closing date must be set: those reached by the transition that sets it
 * and every state after them (建议提案 已答复 → 已反馈), or the final states when no transition sets it.
 */
function closedStates(def: LedgerDef): Set<string> {
  const flow = def.flow;
  if (!flow || !def.closedOnField) return new Set();
  const field = def.closedOnField;
  const out = new Set(flow.transitions.filter((t) => t.setsDate?.includes(field)).map((t) => t.to));
  if (out.size === 0) return new Set(flow.states.filter((s) => s.final).map((s) => s.key));
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of flow.transitions) {
      if (t.from.some((f) => out.has(f)) && !out.has(t.to)) {
        out.add(t.to);
        grew = true;
      }
    }
  }
  return out;
}

/** Problems of one line (empty when valid). */
export function validateLine(line: ExchangeLine, defs: readonly LedgerDef[], depts: readonly string[]): string[] {
  const def = defs.find((d) => d.kind === line.kind);
  if (!def) return [`未知台账类型：${String(line.kind)}`];
  const deptSet = new Set(depts);
  const errors: string[] = [];
  if (typeof line.dept !== 'string' || !deptSet.has(line.dept)) errors.push(`责任部门（dept）：“${String(line.dept)}”不是本单位的部门`);
  for (const key of Object.keys(line)) {
    if (!META_KEYS.has(key) && !def.fields.some((f) => f.key === key)) errors.push(`未知字段：${key}`);
  }
  for (const field of def.fields) {
    const value = line[field.key];
    if (value === undefined || value === null) {
      if (field.required) errors.push(`${field.label}（${field.key}）：必填`);
      continue;
    }
    const problem = checkField(field, value, deptSet);
    if (problem) errors.push(problem);
  }
  if (line.status !== undefined) {
    const state = def.flow?.states.find((s) => s.key === line.status);
    if (!def.flow) errors.push(`状态（status）：${def.label}没有办理流程`);
    else if (!state) errors.push(`状态（status）：“${line.status}”不是${def.label}的流程状态`);
    else if (def.closedOnField) {
      const closed = line[def.closedOnField] !== undefined;
      if (closedStates(def).has(state.key) !== closed) errors.push(`状态（status）：“${line.status}”与${def.closedOnField}${closed ? '已填' : '未填'}不一致`);
    }
  }
  return errors;
}

/** Every problem of every line, prefixed with its 1-based line number. */
export function validateLines(lines: readonly ExchangeLine[], defs: readonly LedgerDef[], depts: readonly string[]): string[] {
  return lines.flatMap((line, i) => validateLine(line, defs, depts).map((e) => `第${i + 1}行 ${line.kind}：${e}`));
}
