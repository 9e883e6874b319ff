/**
 * The ledger definition format. A ledger kind (台账) is data: the 16 built-in kinds and a town's
 * own kinds are values of `LedgerDef`, and validation, storage, API, import/export, forms, tables,
 * deadlines and metrics all derive from it.
 */

export const FIELD_TYPES = [
  'text', // one line of text
  'longtext', // several lines
  'date', // YYYY-MM-DD
  'month', // YYYY-MM
  'int', // integer >= 0
  'number', // any finite number (indicator values)
  'money', // yuan, at most 2 decimals, >= 0
  'bool', // true/false (是/否 in Excel)
  'enum', // one of `options`
  'multienum', // several of `options`
  'dept', // name of a department of the record's org unit
  'depts', // several department names
  'person', // free-text name of a person
  'ref', // id of another record (of `refKind`)
  'files', // attachment ids
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldDef {
  /** Machine name: API, JSON and import files. Never changes once records exist. */
  key: string;
  /** Chinese label: what users see and what Excel templates use as headers. */
  label: string;
  type: FieldType;
  required?: boolean;
  /** Values for enum / multienum (the Chinese values are the stored values). */
  options?: string[];
  /**
   * Chinese names shown for stored option values that are codes (统计指标: fraud_110_calls →
   * 诈骗类110接警数). The stored value stays the code; the 字典 screen maintains the names.
   */
  optionLabels?: Record<string, string>;
  /**
   * The 字典 may add options to this enum (统计指标: a new indicator code with its name), not only
   * rename them. Added values validate, import and get their generic metrics like built-in ones.
   */
  extensible?: boolean;
  help?: string;
  /** Personal information (个人信息保护法): masked in lists and exports unless the role may see it. */
  pii?: boolean;
  /** For `ref`: the kind referred to. */
  refKind?: string;
  /** For `int` fields: default value when absent on create (e.g. legal_consultation.persons = 1). */
  default?: string | number | boolean;
  /** For text: maximum length (default 500 for text, 20000 for longtext). */
  maxLength?: number;
  /** For text: lists filter and sort on it often enough to keep an index on it (db/field-indexes.ts). */
  searchable?: boolean;
  /** Other column headings clerks use for this field in their spreadsheets (e.g. 参训人数 for 参训人次). */
  synonyms?: string[];
  /**
   * Required on new records only: records written before a new version added the field stay valid
   * (and editable) without it.
   */
  requiredOnCreate?: boolean;
  /**
   * An enum whose allowed values depend on another enum field (a sub-item of a type): the field is
   * required when the other field's value is a key of `options`, may then take only that key's
   * values, and must stay empty for any other value. `options` of the field lists every value.
   */
  optionsBy?: { field: string; options: Record<string, string[]> };
  /**
   * Other spellings accepted on input (API, import) for an enum value: alias -> stored value. For
   * wordings fixed by a national format (e.g. 申请人主动撤销 is 其他), never a guess.
   */
  aliases?: Record<string, string>;
}

export type DurationUnit = 'calendar_days' | 'working_days' | 'months';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** A condition on a record's fields, used by deadline rules and metric filters. */
export type Condition =
  | { field: string; eq: string | number | boolean }
  | { field: string; in: (string | number | boolean)[] }
  | { field: string; notIn: (string | number | boolean)[] }
  | { field: string; present: boolean };

/**
 * A statutory time limit. `dueOn` of a record is the rule now running (the first one in order
 * whose `doneField` is still empty and whose `when` holds).
 */
export interface RestartDef {
  /** Flow states that restart the period when they end (e.g. 补正中). */
  states: string[];
  /** What ending the state means, for the explanation, e.g. 收到补正后的申请. */
  label: string;
  /** Legal basis of the restart, shown in the explanation. */
  basis: string;
  /**
   * A time limit for entering the state, counted from the rule's start date (the 补正 notice:
   * within 7 working days of receipt, art. 30); a later notice is flagged as late.
   */
  notice?: { period: Duration; label: string; basis: string };
}

export interface DeadlineRuleDef {
  /** Stable key, e.g. 'reply', 'accept', 'handle', 'disclose'. */
  key: string;
  /** Chinese name of the time limit, e.g. 答复期限. */
  label: string;
  /** Date field the period runs from (the day itself is not counted). */
  startField: string;
  /** Default period. */
  period: Duration;
  /** The rule applies only to records matching all these conditions. */
  when?: Condition[];
  /** A shorter/longer period when the record matches (e.g. 检察建议 marked urgent: 15 days). */
  variants?: { when: Condition[]; period: Duration; label: string }[];
  /** Extension allowed by law: how much and who may approve it. */
  extension?: { period: Duration; approverRoles: Role[]; flagField?: string; label: string };
  /** Flow states in which the clock is stopped (e.g. 补正中, 征求第三方意见中). */
  stopStates?: string[];
  /**
   * Flow states whose end starts the period again in full instead of resuming it (a 补正: the
   * reply period runs from the day the corrected request is received, 政府信息公开条例 art. 30).
   * While such a state is open the clock stands still; its stops are not counted as pauses.
   */
  restart?: RestartDef;
  /** Date field whose presence means the time limit was met (or missed, if after due). */
  doneField: string;
  /** Legal basis, shown in the explanation. */
  basis: string;
  /** Whether the admin may change the period per org (configurable rules in the spec). */
  configurable?: boolean;
}

/** The roles that handle ledgers; a flow or an extension names only these. */
export const BUSINESS_ROLES = ['admin', 'office', 'clerk', 'leader', 'adviser', 'supervisor'] as const;
/**
 * 三员分立 (GB/T 22239-2019 8.1.4.2 / 8.1.10.x): the administrator's powers split in three. The
 * 系统管理员 keeps its key `admin`; 安全管理员 and 审计管理员 handle no ledger at all.
 */
export const PRIVILEGED_ROLES = ['admin', 'security', 'auditor'] as const;
export const ROLES = [...BUSINESS_ROLES, 'security', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type BusinessRole = (typeof BUSINESS_ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  security: '安全管理员',
  auditor: '审计管理员',
  office: '法治办',
  clerk: '部门填报员',
  leader: '领导',
  adviser: '法律顾问',
  supervisor: '区级督察',
};

export interface FlowStateDef {
  key: string; // stored value, Chinese, e.g. 受理
  /** Terminal state: the record is closed. */
  final?: boolean;
  /** The deadline clock stops while in this state. */
  stopsClock?: boolean;
}

export interface FlowTransitionDef {
  key: string; // machine name, e.g. 'accept'
  label: string; // button text, e.g. 受理
  from: string[];
  to: string;
  /** Roles that may perform it (besides admin). Empty = anyone who may write the record. */
  roles?: Role[];
  /** Fields that must be filled (in the record or in the transition's payload) to perform it. */
  requires?: string[];
  /** A free-text reason must be given (e.g. for extensions and clock stops). */
  needsReason?: boolean;
  /** Date fields set to the transition's date when performed, unless given. */
  setsDate?: string[];
  /** Flag fields set to true when performed (e.g. extended). */
  setsFlag?: string[];
}

export interface FlowDef {
  initial: string;
  states: FlowStateDef[];
  transitions: FlowTransitionDef[];
}

export interface LedgerDef {
  /** Machine name: [a-z][a-z0-9_]*. */
  kind: string;
  /** Chinese name of the ledger. */
  label: string;
  /** Longer description shown in the UI. */
  description?: string;
  /** Increases on each change of a custom kind; built-ins are version 1. */
  version: number;
  builtin: boolean;
  fields: FieldDef[];
  /** Field (date or month) that puts a record in a year. */
  occurredOn: string;
  /** Field used as a record's title in lists and links. */
  titleField?: string;
  /** Field that records when the matter was closed (sets the record's closedOn). */
  closedOnField?: string;
  deadlines?: DeadlineRuleDef[];
  flow?: FlowDef;
  /**
   * A text field that identifies a record within its org unit (案号, 文号, 编号): an imported row whose
   * natural key exists updates that record instead of creating a second one.
   */
  naturalKey?: string;
}

/** Common columns every record has besides its kind's fields. */
export interface RecordMeta {
  id: number;
  kind: string;
  orgId: number;
  deptId: number;
  occurredOn: string | null;
  status: string | null;
  dueOn: string | null;
  closedOn: string | null;
  deadlineState: DeadlineState | null;
  version: number;
  deletedAt: string | null;
  createdBy: number | null;
  createdAt: string;
  updatedBy: number | null;
  updatedAt: string;
}

export type RecordData = Record<string, unknown>;

export interface LedgerRecord extends RecordMeta {
  data: RecordData;
}

export const DEADLINE_STATES = ['正常', '临期', '逾期', '按期办结', '逾期办结'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];
