import type { Generated } from 'kysely';

/** Table types for kysely. Dates are 'YYYY-MM-DD' text and timestamps ISO text on both databases. */
export interface OrgUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: string;
  parent_id: number | null;
  /** Materialised path of ids, e.g. '/1/4/', so "an org unit and everything below it" is one LIKE. */
  path: string;
  /** Full 发文机关 name (上海市宝山区庙行镇人民政府); null = derived from the name and level. */
  issuing_name: string | null;
}

export interface DepartmentTable {
  id: Generated<number>;
  org_id: number;
  name: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  org_id: number;
  dept_id: number | null;
  active: number;
  /** Unused since 0010_identity: attempts and locks live in login_throttle (per account and address). */
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  must_change_password: Generated<number>;
  password_changed_at: string | null;
  /** Base32 TOTP secret; in use once totp_enabled is 1. */
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  /** The last 30-second step accepted, so a code is never accepted twice. */
  totp_last_step: number | null;
  /** 1: a service account (API tokens only, never a password sign-in); migration 0110. */
  service: Generated<number>;
}

/** An API token of a service account: only the SHA-256 of the secret is kept (migration 0110). */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  /** What the token is for (对接系统), shown in the list. */
  name: string;
  token_hash: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  created_by: number;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  ip: string | null;
  last_seen_at: string | null;
  /** null: a full session; 'totp': waits for the second factor; 'enrol': must enrol one first. */
  pending: string | null;
  user_agent: string | null;
  seq: number | null;
}

/** Attempts counted per key within a window; the lock is a time (GB/T 22239-2019 8.1.4.1 b). */
export interface LoginThrottleTable {
  key: string;
  attempts: number;
  window_start: string;
  locked_until: string | null;
  username: string | null;
  ip: string | null;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  hash: string;
  created_at: string;
}

export interface TotpRecoveryTable {
  user_id: number;
  code_hash: string;
}

export interface LedgerDefTable {
  kind: string;
  version: number;
  definition: string;
  created_at: string;
  created_by: number | null;
}

export interface RecordTable {
  id: Generated<number>;
  kind: string;
  org_id: number;
  dept_id: number;
  occurred_on: string | null;
  status: string | null;
  due_on: string | null;
  closed_on: string | null;
  deadline_state: string | null;
  deadline_rule: string | null;
  /** The kind's fields: JSONB on SQLite (JSON text in rows written before), jsonb on PostgreSQL. */
  data: unknown;
  /** Clock stops and approved extensions (JSON), input of the deadline computation. */
  clock: string | null;
  /** Blind index (HMAC-SM3) of the personal fields sealed in `data`, JSON: field key → hex (or hex[]). */
  pii_index: string | null;
  version: number;
  deleted_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_by: number | null;
  updated_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  kind: string | null;
  org_id: number | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  /** The hash chain (migration 0020): position, previous entry's hash, own hash and its algorithm. */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  alg: string | null;
}

/** One row (id 1): the chain's last seq and hash, locked by every writer of an audit entry. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** Left by retention pruning: the pruned part's last entry, so the rest of the chain still verifies. */
export interface AuditCheckpointTable {
  id: Generated<number>;
  through_seq: number;
  through_id: number;
  through_hash: string;
  at: string;
  alg: string;
  hash: string;
  pruned: number;
}

export interface RateLimitTable {
  key: string;
  count: number;
  reset_at: number;
}

export interface MigrationTable {
  name: string;
  applied_at: string;
}

export interface CalendarOverrideTable {
  date: string;
  kind: string;
  name: string | null;
  updated_by: number | null;
  updated_at: string;
}

export interface CalendarYearTable {
  year: number;
  declared_by: number | null;
  declared_at: string;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  record_id: number | null;
  kind: string | null;
  title: string;
  body: string;
  /** Unique: a reminder for one user, record, state and due date is created once, whoever sweeps. */
  dedupe_key: string;
  created_at: string;
  read_at: string | null;
}

export interface JobTable {
  name: string;
  locked_until: string | null;
  locked_by: string | null;
  last_run_at: string | null;
  last_result: string | null;
}

export interface MetricDefTable {
  key: string;
  org_id: number | null;
  definition: string;
  created_at: string;
  created_by: number | null;
}

export interface ReportTable {
  id: Generated<number>;
  org_id: number;
  /** rule_of_law (法治政府建设情况报告) or disclosure (政府信息公开工作年度报告); see core/report REPORT_TYPES. */
  type: Generated<string>;
  year: number;
  version: number;
  state: string;
  title: string;
  /** The report's own template (paragraph sources), edited paragraph by paragraph. */
  template: string;
  /** Frozen figures and record ids when 定稿. */
  snapshot: string | null;
  /** JSON ReportSettings: 主送机关, 成文日期, no-data mode (null = defaults). */
  settings: string | null;
  /** Who moved the report to 审核: they cannot approve it (定稿 needs a second person). */
  submitted_by: number | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  record_id: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  /** `content` as stored: the SM4 envelope when `sealed` = 1, the file's bytes when 0 (rows from before encryption). */
  content: Uint8Array;
  sealed: Generated<number>;
  created_at: string;
  created_by: number | null;
}

/** An import or export run as a job (table exchange_jobs, formerly import_jobs). */
export interface ExchangeJobTable {
  id: Generated<number>;
  /** import | export */
  direction: Generated<string>;
  /** An export's selection (JSON), checked again when its file is fetched. */
  params: string | null;
  user_id: number;
  org_id: number;
  file_name: string;
  format: string;
  kind: string | null;
  /** running | done | failed */
  state: string;
  /** read | check | write | done */
  phase: string;
  done: number;
  total: number;
  result: string | null;
  error: string | null;
  content: Uint8Array | null;
  created_at: string;
  updated_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

/** The 字典: Chinese names of enum values (core/ledgers/dictionary.ts); a null label is the built-in name. */
export interface DictionaryEntryTable {
  kind: string;
  field: string;
  value: string;
  label: string | null;
  /** Grows with every write across the table: instances see a change by its maximum. */
  rev: number;
  updated_at: string;
  updated_by: number | null;
}

/** Aggregates of one org unit's records of a kind in one month, per date field (metric-summaries.ts). */
export interface MetricBucketTable {
  org_id: number;
  kind: string;
  /** `dateField|dateColumn` of the aggregates. */
  spec_key: string;
  /** YYYY-MM. */
  month: string;
  /** JSON array of the aggregate values, in the order of the spec's signatures. */
  vals: string;
}

export interface MetricBuiltTable {
  org_id: number;
  kind: string;
  /** Hash of the specs the buckets were built with; another hash means rebuild. */
  hash: string;
  built_at: string;
}

/** (org unit, kind) pairs whose records changed since their buckets were built; written by triggers. */
export interface MetricDirtyTable {
  id: Generated<number>;
  org_id: number;
  kind: string;
}

export interface DB {
  org_units: OrgUnitTable;
  departments: DepartmentTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  ledger_defs: LedgerDefTable;
  records: RecordTable;
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointTable;
  rate_limits: RateLimitTable;
  schema_migrations: MigrationTable;
  calendar_overrides: CalendarOverrideTable;
  calendar_years: CalendarYearTable;
  notifications: NotificationTable;
  jobs: JobTable;
  metric_defs: MetricDefTable;
  reports: ReportTable;
  attachments: AttachmentTable;
  settings: SettingTable;
  dictionary_entries: DictionaryEntryTable;
  login_throttle: LoginThrottleTable;
  password_history: PasswordHistoryTable;
  totp_recovery: TotpRecoveryTable;
  exchange_jobs: ExchangeJobTable;
  metric_buckets: MetricBucketTable;
  metric_built: MetricBuiltTable;
  metric_dirty: MetricDirtyTable;
}
