/**
 * The 字典: Chinese names of the stored values of enum fields (统计指标 codes such as
 * fraud_110_calls → 诈骗类110接警数, and the options of any kind), maintained per deployment by the
 * 系统管理员. The definitions keep their built-in names (`optionLabels`); a dictionary entry
 * overrides one, or names a value that has none. The stored value never changes: imports,
 * metrics and filters keep using it, people see the name.
 */
import type { FieldDef, LedgerDef } from './types';

/** One stored entry; `label` null means the built-in name is back (entries are never deleted). */
export interface DictionaryEntry {
  kind: string;
  field: string;
  value: string;
  label: string | null;
}

/** One row of the 字典 screen: an option of an enum field, its built-in and its current name. */
export interface DictionaryRow {
  kind: string;
  kindLabel: string;
  field: string;
  fieldLabel: string;
  value: string;
  /** The definition's own name for the value ('' when it has none: the value is its own name). */
  defaultLabel: string;
  /** The name people see now. */
  label: string;
  /** True when a dictionary entry overrides the definition. */
  overridden: boolean;
}

const LABEL_MAX = 100;
/** A code the 字典 adds to an extensible field. */
const NEW_CODE = /^[a-z][a-z0-9_]{0,59}$/;

function hasOptions(f: FieldDef): boolean {
  return (f.type === 'enum' || f.type === 'multienum') && Boolean(f.options?.length);
}

/** The definitions with the dictionary's names laid over their `optionLabels` (inputs untouched). */
export function applyDictionary(defs: readonly LedgerDef[], entries: readonly DictionaryEntry[]): LedgerDef[] {
  const byField = new Map<string, Map<string, string | null>>();
  for (const e of entries) {
    const k = `${e.kind}\u0000${e.field}`;
    if (!byField.has(k)) byField.set(k, new Map());
    byField.get(k)!.set(e.value, e.label);
  }
  if (byField.size === 0) return [...defs];
  return defs.map((def) => {
    if (!def.fields.some((f) => byField.has(`${def.kind}\u0000${f.key}`))) return def;
    return {
      ...def,
      fields: def.fields.map((f) => {
        const names = byField.get(`${def.kind}\u0000${f.key}`);
        if (!names || !hasOptions(f)) return f;
        const labels: Record<string, string> = { ...(f.optionLabels ?? {}) };
        const options = [...f.options!];
        for (const [value, label] of names) {
          if (label === null) continue;
          // A value the definition lacks is an option the 字典 added (extensible fields only).
          if (!options.includes(value)) {
            if (!f.extensible) continue;
            options.push(value);
          }
          labels[value] = label;
        }
        return { ...f, options, optionLabels: labels };
      }),
    };
  });
}

/** Every option of every enum field of the (dictionary-applied) definitions, for the 字典 screen. */
export function dictionaryRows(builtin: readonly LedgerDef[], applied: readonly LedgerDef[]): DictionaryRow[] {
  const base = new Map(builtin.map((d) => [d.kind, d]));
  const rows: DictionaryRow[] = [];
  for (const def of applied) {
    for (const f of def.fields) {
      if (!hasOptions(f)) continue;
      const original = base.get(def.kind)?.fields.find((x) => x.key === f.key);
      for (const value of f.options!) {
        const defaultLabel = original?.optionLabels?.[value] ?? '';
        const label = f.optionLabels?.[value] ?? value;
        rows.push({ kind: def.kind, kindLabel: def.label, field: f.key, fieldLabel: f.label, value, defaultLabel, label, overridden: label !== (defaultLabel || value) });
      }
    }
  }
  return rows;
}

/** Rows whose kind, field, value or names contain every word of `q` (case-insensitive). */
export function searchDictionary(rows: readonly DictionaryRow[], q: string | undefined, kind?: string): DictionaryRow[] {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (kind && r.kind !== kind) return false;
    const hay = [r.kindLabel, r.fieldLabel, r.value, r.label, r.defaultLabel].join('\u0000').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * Checks a new name for `value` of `def.field`; returns the entry to store or a Chinese message.
 * A name may not be another option's value or name in the same field: an import cell holding it
 * would then mean two things.
 */
export function checkDictionaryEntry(
  def: LedgerDef,
  input: { field: string; value: string; label: string | null },
  /** The definition without the dictionary: tells an added option (which has no built-in name to restore) from a built-in one. */
  builtin?: LedgerDef,
): { ok: true; entry: DictionaryEntry } | { ok: false; field: 'field' | 'value' | 'label'; error: string } {
  const f = def.fields.find((x) => x.key === input.field);
  if (!f) return { ok: false, field: 'field', error: `字段：台账“${def.label}”没有字段“${input.field}”` };
  if (!hasOptions(f)) return { ok: false, field: 'field', error: `字段：“${f.label}”不是选项字段，没有可维护的名称` };
  const builtinOptions = (builtin ?? def).fields.find((x) => x.key === f.key)?.options ?? f.options!;
  if (!f.options!.includes(input.value)) {
    if (!f.extensible) return { ok: false, field: 'value', error: `取值：“${f.label}”没有选项“${input.value}”` };
    // A new code: what imports, filters and metric keys (indicator.<code>) use, so a machine name.
    if (!NEW_CODE.test(input.value)) return { ok: false, field: 'value', error: '取值：新增的代码只能用小写字母、数字和下划线，以小写字母开头，不超过60个字符' };
    if (input.label === null) return { ok: false, field: 'label', error: '名称：新增选项必须有名称' };
  }
  if (input.label === null) {
    if (!builtinOptions.includes(input.value)) return { ok: false, field: 'label', error: '名称：新增的选项没有默认名称可以恢复，请修改名称' };
    return { ok: true, entry: { kind: def.kind, field: f.key, value: input.value, label: null } };
  }
  const label = input.label.trim();
  if (!label) return { ok: false, field: 'label', error: '名称：不能为空（恢复默认请用“恢复默认”）' };
  if (label.length > LABEL_MAX) return { ok: false, field: 'label', error: `名称：不能超过${LABEL_MAX}个字符` };
  if (/[\u0000-\u001f]/.test(label)) return { ok: false, field: 'label', error: '名称：不能包含换行或控制字符' };
  for (const other of f.options!) {
    if (other === input.value) continue;
    if (other === label || f.optionLabels?.[other] === label) {
      return { ok: false, field: 'label', error: `名称：“${label}”已是“${f.label}”另一选项（${other}）的名称，导入时无法区分` };
    }
  }
  return { ok: true, entry: { kind: def.kind, field: f.key, value: input.value, label } };
}

/** The name people see for a stored option value (the value itself when it has no name). */
export function optionName(f: Pick<FieldDef, 'optionLabels'>, value: string): string {
  return f.optionLabels?.[value] ?? value;
}

/** The stored value a shown name stands for (an import cell holding 诈骗类110接警数), or undefined. */
export function optionByName(f: Pick<FieldDef, 'options' | 'optionLabels'>, name: string): string | undefined {
  if (!f.optionLabels) return undefined;
  const hits = (f.options ?? []).filter((o) => f.optionLabels![o] === name);
  return hits.length === 1 ? hits[0] : undefined;
}
