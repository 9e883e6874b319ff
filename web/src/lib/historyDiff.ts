import type { LedgerDef } from '@core/ledgers/types';
import { formatValue, formModel, toPayload } from './fieldValues';
import { AUDIT_ACTION_LABELS } from '../../../src/core/audit/labels';

export interface DiffRow {
  key: string;
  label: string;
  before: string;
  after: string;
}

const META_LABELS: Record<string, string> = {
  status: '状态',
  deptId: '责任部门',
  deptName: '责任部门',
  dueOn: '期限',
  closedOn: '办结日期',
  deadlineState: '期限状态',
  deletedAt: '删除时间',
  occurredOn: '发生日期',
};

/** Keys that change on every write and say nothing to the reader. */
const IGNORED = new Set(['version', 'updatedAt', 'updatedBy', 'updatedByName', 'createdAt', 'createdBy', 'id', 'kind', 'orgId', 'transitions', 'deadline']);

/** A snapshot's fields, whether it is a full record (`data` nested) or just the data object. */
function flatten(snapshot: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!snapshot) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(snapshot)) {
    if (k === 'data' && v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** The fields that differ between an audit entry's before and after, in the definition's order, with labels. */
export function diffEntry(
  def: LedgerDef | undefined,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  /** Names for id columns (e.g. deptId -> 司法所); undefined falls back to the raw value. */
  resolve?: (key: string, value: unknown) => string | undefined,
): DiffRow[] {
  const b = flatten(before);
  const a = flatten(after);
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  const fieldOrder = def?.fields.map((f) => f.key) ?? [];
  const ordered = [...fieldOrder.filter((k) => keys.has(k)), ...[...keys].filter((k) => !fieldOrder.includes(k)).sort()];
  const rows: DiffRow[] = [];
  for (const key of ordered) {
    if (IGNORED.has(key)) continue;
    if (key === 'deptId' && (keys.has('deptName'))) continue;
    if (same(b[key], a[key])) continue;
    const field = def?.fields.find((f) => f.key === key);
    rows.push({
      key,
      // A key neither the definition nor the record's columns name (a field an older version had) is never shown raw.
      label: field?.label ?? META_LABELS[key] ?? '其他信息',
      before: resolve?.(key, b[key]) ?? formatValue(field, b[key]),
      after: resolve?.(key, a[key]) ?? formatValue(field, a[key]),
    });
  }
  return rows;
}

const ACTION_LABELS: Record<string, string> = {
  ...AUDIT_ACTION_LABELS,
  create: '新建',
  update: '修改',
  delete: '删除',
  restore: '恢复',
  transition: '流转',
  import: '导入',
  login: '登录',
  attach: '上传附件',
  detach: '删除附件',
  download: '下载附件',
  // Written by the audit of unmasked reads (app/pii-reads.ts): someone saw this record's personal data.
  read_pii: '查看个人信息',
  denied: '拒绝访问',
  logout: '退出登录',
  token_use: '使用API令牌',
};

/** The action's Chinese name; an action this screen does not know is 操作, never its key. */
export function actionLabel(action: string): string {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const base = action.split(/[.:]/)[0] ?? action;
  return ACTION_LABELS[base] ?? '操作';
}

/**
 * The edit-conflict dialog's rows: only the fields where the user's unsaved form and the version
 * saved meanwhile differ, by their labels (the record's bookkeeping columns are never compared).
 */
export function conflictRows(
  def: LedgerDef | undefined,
  mine: { deptId: number | null; data: Record<string, unknown> },
  saved: { deptId: number | null; data: Record<string, unknown> },
  resolve?: (key: string, value: unknown) => string | undefined,
): DiffRow[] {
  // The saved version in the shape the form sends (a bool the record never had is 否 on the form).
  const theirs = def ? toPayload(def, formModel(def, saved.data)) : saved.data;
  const ours = def ? toPayload(def, formModel(def, mine.data)) : mine.data;
  return diffEntry(def, { deptId: mine.deptId, data: ours }, { deptId: saved.deptId, data: theirs }, resolve);
}

/** One entry of a record's history as people read it: who did what, a note, and the changed fields. */
export interface HistoryView {
  label: string;
  note: string;
  rows: DiffRow[];
}

function sizeText(n: unknown): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  if (n < 1024) return `${n}字节`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KB`;
  return `${(n / 1024 / 1024).toFixed(1)}MB`;
}

/** A JSON value if it is an object (not an array, not null). */
function jsonObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** `detail` as stored: a Chinese sentence, or (attachments) a JSON object. */
function detailObject(detail: unknown): Record<string, unknown> | null {
  const direct = jsonObject(detail);
  if (direct) return direct;
  if (typeof detail === 'string' && detail.startsWith('{')) {
    try {
      return jsonObject(JSON.parse(detail));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * An audit entry of a record in Chinese: attachments by their file name and size (never their
 * `attachmentId`, `filename`, `size` keys), flow steps by their name and reason, reads and
 * refusals by their sentence, edits by the changed fields' labels.
 */
export function describeEntry(
  def: LedgerDef | undefined,
  entry: { action: string; before: unknown; after: unknown; detail?: unknown },
  resolve?: (key: string, value: unknown) => string | undefined,
): HistoryView {
  // The server declares an entry's before and after as any JSON (the audited value); a record's are objects.
  const e = { ...entry, before: jsonObject(entry.before), after: jsonObject(entry.after) };
  const label = actionLabel(e.action);
  const obj = detailObject(e.detail);
  if (e.action === 'attach' || e.action === 'detach' || e.action === 'download') {
    const file = (e.after ?? e.before ?? obj ?? {}) as Record<string, unknown>;
    const name = typeof file.filename === 'string' ? file.filename : '';
    const size = sizeText(file.size);
    return { label, note: name ? `文件：${name}${size ? `（${size}）` : ''}` : '', rows: [] };
  }
  let note = '';
  if (obj) {
    const parts = [obj.transition ?? obj.label, obj.reason ? `理由：${String(obj.reason)}` : null].filter((x) => typeof x === 'string' && x);
    note = parts.map(String).join('，');
  } else if (typeof e.detail === 'string') note = e.detail;
  return { label, note, rows: diffEntry(def, e.before, e.after, resolve) };
}
