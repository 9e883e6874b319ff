import type { DeadlineRuleDef, DurationUnit, FieldDef, FieldType, LedgerDef } from '@core/ledgers/types';

/** What the form designer edits: a flat, form-friendly version of a custom LedgerDef. */
export interface DesignerField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** Options as typed by the admin, one per line or separated by 、/,/， */
  options: string;
  help: string;
  pii: boolean;
}

export interface DesignerState {
  kind: string;
  label: string;
  description: string;
  fields: DesignerField[];
  occurredOn: string;
  titleField: string;
  deadline: { enabled: boolean; label: string; startField: string; amount: number; unit: DurationUnit; doneField: string; basis: string };
}

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: '单行文本',
  longtext: '多行文本',
  date: '日期',
  month: '月份',
  int: '整数',
  number: '数值',
  money: '金额（元）',
  bool: '是/否',
  enum: '单选',
  multienum: '多选',
  dept: '部门',
  depts: '多个部门',
  person: '人名',
  ref: '关联记录',
  files: '附件',
};

export const UNIT_LABELS: Record<DurationUnit, string> = { calendar_days: '自然日', working_days: '工作日', months: '个月' };

const KEY_RE = /^[a-z][a-z0-9_]*$/;
const FIELD_KEY_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;

export function splitOptions(s: string): string[] {
  return [...new Set(s.split(/[\n,，、;；]/).map((x) => x.trim()).filter(Boolean))];
}

export function emptyDesigner(): DesignerState {
  return {
    kind: '',
    label: '',
    description: '',
    fields: [
      { key: 'title', label: '事项', type: 'text', required: true, options: '', help: '', pii: false },
      { key: 'happenedOn', label: '日期', type: 'date', required: true, options: '', help: '', pii: false },
    ],
    occurredOn: 'happenedOn',
    titleField: 'title',
    deadline: { enabled: false, label: '办理期限', startField: 'happenedOn', amount: 30, unit: 'calendar_days', doneField: '', basis: '' },
  };
}

/** Loads an existing definition into the designer (to make a new version of a custom kind). */
export function defToDesigner(def: LedgerDef): DesignerState {
  const rule = def.deadlines?.[0];
  return {
    kind: def.kind,
    label: def.label,
    description: def.description ?? '',
    fields: def.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, required: Boolean(f.required), options: (f.options ?? []).join('\n'), help: f.help ?? '', pii: Boolean(f.pii) })),
    occurredOn: def.occurredOn,
    titleField: def.titleField ?? '',
    deadline: rule
      ? { enabled: true, label: rule.label, startField: rule.startField, amount: rule.period.amount, unit: rule.period.unit, doneField: rule.doneField, basis: rule.basis }
      : { ...emptyDesigner().deadline, startField: def.occurredOn },
  };
}

/**
 * Builds the definition to POST from the designer, or the list of problems (in Chinese) that prevent it.
 * The server validates again; this catches what an admin would otherwise learn one error at a time.
 */
export function designerToDef(s: DesignerState): { def?: Omit<LedgerDef, 'version' | 'builtin'>; errors: string[] } {
  const errors: string[] = [];
  if (!KEY_RE.test(s.kind)) errors.push('类型标识须以小写字母开头，只含小写字母、数字和下划线');
  if (!s.label.trim()) errors.push('请填写台账名称');
  if (s.fields.length === 0) errors.push('至少需要一个字段');
  const seen = new Set<string>();
  const fields: FieldDef[] = [];
  s.fields.forEach((f, i) => {
    const n = `第${i + 1}个字段`;
    if (!FIELD_KEY_RE.test(f.key)) errors.push(`${n}：字段标识须以字母开头，只含字母、数字和下划线`);
    else if (seen.has(f.key)) errors.push(`${n}：字段标识“${f.key}”重复`);
    seen.add(f.key);
    if (!f.label.trim()) errors.push(`${n}：请填写字段名称`);
    const options = splitOptions(f.options);
    if ((f.type === 'enum' || f.type === 'multienum') && options.length === 0) errors.push(`${n}（${f.label || f.key}）：单选/多选字段须填写选项`);
    const def: FieldDef = { key: f.key, label: f.label.trim(), type: f.type };
    if (f.required) def.required = true;
    if (f.type === 'enum' || f.type === 'multienum') def.options = options;
    if (f.help.trim()) def.help = f.help.trim();
    if (f.pii) def.pii = true;
    fields.push(def);
  });
  const typeOf = (key: string) => s.fields.find((f) => f.key === key)?.type;
  if (!['date', 'month'].includes(typeOf(s.occurredOn) ?? '')) errors.push('“归属日期字段”须是日期或月份字段');
  let deadlines: DeadlineRuleDef[] | undefined;
  if (s.deadline.enabled) {
    const d = s.deadline;
    if (typeOf(d.startField) !== 'date') errors.push('期限的起算字段须是日期字段');
    if (typeOf(d.doneField) !== 'date') errors.push('期限的办结字段须是日期字段');
    if (d.startField && d.startField === d.doneField) errors.push('起算字段和办结字段不能相同');
    if (!Number.isInteger(d.amount) || d.amount <= 0) errors.push('期限天数须是正整数');
    if (!d.label.trim()) errors.push('请填写期限名称');
    deadlines = [{ key: 'handle', label: d.label.trim(), startField: d.startField, period: { amount: d.amount, unit: d.unit }, doneField: d.doneField, basis: d.basis.trim() || '本单位规定' }];
  }
  if (errors.length) return { errors };
  const def: Omit<LedgerDef, 'version' | 'builtin'> = { kind: s.kind, label: s.label.trim(), fields, occurredOn: s.occurredOn };
  if (s.description.trim()) def.description = s.description.trim();
  if (s.titleField && seen.has(s.titleField)) def.titleField = s.titleField;
  if (deadlines) {
    def.deadlines = deadlines;
    def.closedOnField = s.deadline.doneField;
  }
  return { def, errors };
}
