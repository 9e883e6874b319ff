/**
 * Fields whose choices depend on another field (`optionsBy`, e.g. 具体情形 under 答复类型): shown only
 * under a value that has sub-items, with that value's sub-items. The server checks the same rule.
 */
import type { FieldDef, LedgerDef } from '../api/types';

function controllerValue(def: LedgerDef, f: FieldDef, model: Record<string, unknown>): string | undefined {
  if (!f.optionsBy) return undefined;
  const ctrl = def.fields.find((x) => x.key === f.optionsBy!.field);
  const raw = model[f.optionsBy.field];
  if (typeof raw !== 'string' || raw === '') return undefined;
  return ctrl?.aliases && Object.hasOwn(ctrl.aliases, raw) ? ctrl.aliases[raw] : raw;
}

/** The choices of a dependent field for the record as filled in; null for an ordinary field. */
export function dependentChoices(def: LedgerDef, f: FieldDef, model: Record<string, unknown>): string[] | null {
  if (!f.optionsBy) return null;
  const c = controllerValue(def, f, model);
  return c !== undefined && Object.hasOwn(f.optionsBy.options, c) ? f.optionsBy.options[c]! : [];
}

/** Whether the form shows the field: a dependent field only where its controlling value has sub-items. */
export function isFieldShown(def: LedgerDef, f: FieldDef, model: Record<string, unknown>): boolean {
  const choices = dependentChoices(def, f, model);
  return choices === null || choices.length > 0;
}

/** Dependent values that no longer fit after a change of their controlling field (to be cleared). */
export function staleDependents(def: LedgerDef, model: Record<string, unknown>): string[] {
  return def.fields
    .filter((f) => {
      const choices = dependentChoices(def, f, model);
      const v = model[f.key];
      return choices !== null && v !== undefined && v !== null && v !== '' && !choices.includes(String(v));
    })
    .map((f) => f.key);
}
