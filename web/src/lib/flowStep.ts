import type { FieldDef, FlowTransitionDef, LedgerDef, Role } from '@core/ledgers/types';
import { isValidDate } from '../../../src/core/ledgers/validate';
import { roleMayPerform, stateRefusal } from '../../../src/core/flows/transitions';

/** Today on the user's clock, YYYY-MM-DD: a step's default date and its latest allowed one. */
export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The words of the server (core/flows) for a step's date that is missing, no date or ahead; a date
 * before a record's start is the server's to refuse (its message names the field it conflicts with).
 */
export function stepDateError(on: string, dateLabel: string, today = todayLocal()): string | null {
  if (!on) return `请填写${dateLabel}`;
  if (!isValidDate(on)) return `办理日期「${on}」无效，应为YYYY-MM-DD`;
  if (on > today) return `办理日期（${on}）不得晚于今天`;
  return null;
}

/** The date a step writes, named as the form names it (受理日期, 答复日期…), else 〈step〉日期. */
export function stepDateLabel(def: LedgerDef, t: FlowTransitionDef): string {
  return def.fields.find((f) => f.key === t.setsDate?.[0])?.label ?? `${t.label}日期`;
}

/** The fields a step asks for, in the order it names them. */
export function stepFields(def: LedgerDef, t: FlowTransitionDef): FieldDef[] {
  return (t.requires ?? []).map((k) => def.fields.find((f) => f.key === k)).filter((f): f is FieldDef => Boolean(f));
}

/** An empty value for each field, as the form starts it. */
export function emptyStepData(fields: readonly FieldDef[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === 'bool' ? false : f.type === 'multienum' || f.type === 'depts' ? [] : null]));
}

/** Why a step does not apply to a record in `status` (null when it does), in the server's words. */
export function stepRefusal(def: LedgerDef, t: FlowTransitionDef, status: string | null): string | null {
  return def.flow ? stateRefusal(def.flow, t, status) : null;
}

/**
 * Flow steps offered for the selected records (批量办理): those this role may perform that apply to
 * at least one of them; the dialog names the records where one does not, and why. A step that
 * asks for fields takes one value for all (filling only records where the field is empty); one
 * that sets a flag (an extension, a decision per record) is not a batch step.
 */
export function batchTransitions(def: LedgerDef, statuses: readonly (string | null)[], role: Role): FlowTransitionDef[] {
  const flow = def.flow;
  if (!flow || statuses.length === 0) return [];
  return flow.transitions.filter((t) => !t.setsFlag?.length && roleMayPerform(t, role) && statuses.some((s) => stepRefusal(def, t, s) === null));
}
