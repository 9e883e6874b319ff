import { z } from 'zod';
import { AppError, type FieldError } from '../errors';
import { BUSINESS_ROLES, FIELD_TYPES, type LedgerDef } from './types';
import { headerConflicts } from './headers';

/** Validation of ledger definitions submitted by an admin (custom kinds), with Chinese messages. */

const KEY = /^[a-z][A-Za-z0-9_]{0,39}$/;
const durationSchema = z.object({
  amount: z.number().int().min(0).max(3650),
  unit: z.enum(['calendar_days', 'working_days', 'months'], { error: '期限单位必须是 calendar_days、working_days 或 months' }),
});
const condition = z.union([
  z.object({ field: z.string(), eq: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ field: z.string(), in: z.array(z.union([z.string(), z.number(), z.boolean()])) }),
  z.object({ field: z.string(), notIn: z.array(z.union([z.string(), z.number(), z.boolean()])) }),
  z.object({ field: z.string(), present: z.boolean() }),
]);

export const ZLedgerDefInput = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, { error: '台账标识：只能用小写字母、数字和下划线，以字母开头' }),
  label: z.string().trim().min(1, { error: '台账名称：不能为空' }).max(50),
  description: z.string().max(500).optional(),
  occurredOn: z.string({ error: '归属日期字段：必填' }),
  titleField: z.string().optional(),
  closedOnField: z.string().optional(),
  naturalKey: z.string().optional(),
  fields: z
    .array(
      z.object({
        key: z.string().regex(KEY, { error: '字段标识：只能用字母、数字和下划线，以小写字母开头' }),
        label: z.string().trim().min(1, { error: '字段名称：不能为空' }).max(50),
        type: z.enum(FIELD_TYPES, { error: `字段类型：必须是 ${FIELD_TYPES.join('、')} 之一` }),
        required: z.boolean().optional(),
        options: z.array(z.string().trim().min(1)).optional(),
        optionLabels: z.record(z.string(), z.string().trim().min(1).max(100)).optional(),
        extensible: z.boolean().optional(),
        help: z.string().max(500).optional(),
        pii: z.boolean().optional(),
        refKind: z.string().optional(),
        default: z.union([z.string(), z.number(), z.boolean()]).optional(),
        maxLength: z.number().int().positive().optional(),
        searchable: z.boolean().optional(),
        synonyms: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
      }),
      { error: '字段：必须是列表' },
    )
    .min(1, { error: '字段：至少要有一个字段' })
    .max(100),
  deadlines: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z][a-z0-9_]*$/),
        label: z.string().min(1),
        startField: z.string(),
        period: durationSchema,
        when: z.array(condition).optional(),
        variants: z.array(z.object({ when: z.array(condition), period: durationSchema, label: z.string() })).optional(),
        extension: z
          .object({ period: durationSchema, approverRoles: z.array(z.enum(BUSINESS_ROLES)), flagField: z.string().optional(), label: z.string() })
          .optional(),
        stopStates: z.array(z.string()).optional(),
        restart: z
          .object({
            states: z.array(z.string()).min(1),
            label: z.string().min(1),
            basis: z.string().min(1),
            notice: z.object({ period: durationSchema, label: z.string().min(1), basis: z.string().min(1) }).optional(),
          })
          .optional(),
        doneField: z.string(),
        basis: z.string().default('本单位规定'),
        configurable: z.boolean().optional(),
      }),
    )
    .optional(),
  flow: z
    .object({
      initial: z.string(),
      states: z.array(z.object({ key: z.string().min(1), final: z.boolean().optional(), stopsClock: z.boolean().optional() })).min(1),
      transitions: z.array(
        z.object({
          key: z.string().regex(/^[a-z][a-z0-9_]*$/),
          label: z.string().min(1),
          from: z.array(z.string()),
          to: z.string(),
          roles: z.array(z.enum(BUSINESS_ROLES)).optional(),
          requires: z.array(z.string()).optional(),
          needsReason: z.boolean().optional(),
          setsDate: z.array(z.string()).optional(),
          setsFlag: z.array(z.string()).optional(),
        }),
      ),
    })
    .optional(),
});
export type TLedgerDefInput = z.infer<typeof ZLedgerDefInput>;

/**
 * Checks a submitted definition: its shape, that every field it names exists with the right type,
 * and, for a new version of an existing kind, that existing records stay valid (fields may be added,
 * relabelled or gain enum options; they may not be removed, change type, or become required).
 */
export function checkLedgerDefinition(input: unknown, previous?: LedgerDef): LedgerDef {
  const parsed = ZLedgerDefInput.safeParse(input);
  if (!parsed.success) {
    const fields: FieldError[] = parsed.error.issues.map((i) => ({
      field: i.path.join('.'),
      label: i.path.join('.'),
      message: i.message.includes('：') ? i.message : `${i.path.join('.') || '定义'}：${i.message}`,
    }));
    throw new AppError('VALIDATION', fields[0]?.message ?? '台账定义不正确', { fields });
  }
  const d = parsed.data;
  const problems: string[] = [];
  const byKey = new Map(d.fields.map((f) => [f.key, f]));
  if (byKey.size !== d.fields.length) problems.push('字段标识不能重复');
  const dateField = (k: string | undefined, what: string, allowMonth = false) => {
    if (k === undefined) return;
    const f = byKey.get(k);
    if (!f) problems.push(`${what}：没有字段“${k}”`);
    else if (f.type !== 'date' && !(allowMonth && f.type === 'month')) problems.push(`${what}：字段“${f.label}”必须是日期类型`);
  };
  dateField(d.occurredOn, '归属日期字段', true);
  dateField(d.closedOnField, '办结日期字段');
  if (d.titleField && !byKey.has(d.titleField)) problems.push(`标题字段：没有字段“${d.titleField}”`);
  if (d.naturalKey) {
    const f = byKey.get(d.naturalKey);
    if (!f) problems.push(`唯一编号字段：没有字段“${d.naturalKey}”`);
    else if (f.type !== 'text') problems.push(`唯一编号字段：字段“${f.label}”必须是文本类型（如案号、文号、编号）`);
  }
  // The parsed input lacks version and builtin, which headerConflicts does not read.
  problems.push(...headerConflicts(d as unknown as LedgerDef));
  for (const f of d.fields) {
    if ((f.type === 'enum' || f.type === 'multienum') && !(f.options && f.options.length)) problems.push(`${f.label}：选项不能为空`);
  }
  for (const r of d.deadlines ?? []) {
    dateField(r.startField, `期限“${r.label}”的起算字段`);
    dateField(r.doneField, `期限“${r.label}”的完成字段`);
  }
  if (d.flow) {
    const states = new Set(d.flow.states.map((s) => s.key));
    if (!states.has(d.flow.initial)) problems.push(`流程：初始状态“${d.flow.initial}”不在状态列表中`);
    for (const r of d.deadlines ?? []) {
      // A restart state must stop the clock while open (the flow opens and closes its stop).
      for (const s of r.restart?.states ?? []) {
        if (!d.flow.states.some((x) => x.key === s && x.stopsClock)) problems.push(`期限“${r.label}”：重新计算的状态“${s}”须是流程中停止计时的状态`);
      }
    }
    for (const t of d.flow.transitions) {
      for (const s of [...t.from, t.to]) if (!states.has(s)) problems.push(`流程操作“${t.label}”：状态“${s}”不在状态列表中`);
      for (const k of [...(t.requires ?? []), ...(t.setsDate ?? []), ...(t.setsFlag ?? [])])
        if (!byKey.has(k)) problems.push(`流程操作“${t.label}”：没有字段“${k}”`);
    }
  }
  if (previous) {
    if (previous.builtin) problems.push(`“${previous.label}”是内置台账，不能修改定义`);
    for (const old of previous.fields) {
      const now = byKey.get(old.key);
      if (!now) problems.push(`不能删除已有字段“${old.label}”（${old.key}）：已有记录可能使用它`);
      else {
        if (now.type !== old.type) problems.push(`不能修改已有字段“${old.label}”的类型`);
        if (now.required && !old.required) problems.push(`不能把已有字段“${old.label}”改为必填：已有记录可能没有填写`);
        const removed = (old.options ?? []).filter((o) => !(now.options ?? []).includes(o));
        if (removed.length) problems.push(`不能删除字段“${old.label}”已有的选项：${removed.join('、')}`);
      }
    }
    for (const f of d.fields) {
      if (!previous.fields.some((o) => o.key === f.key) && f.required && f.default === undefined)
        problems.push(`新增的必填字段“${f.label}”必须有默认值：已有记录没有填写它`);
    }
  }
  if (problems.length) {
    throw new AppError('VALIDATION', problems[0]!, { fields: problems.map((m) => ({ field: '', label: '', message: m })) });
  }
  return {
    ...d,
    fields: d.fields,
    version: (previous?.version ?? 0) + 1,
    builtin: false,
  } as LedgerDef;
}
