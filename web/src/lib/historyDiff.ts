import type { LedgerDef } from '@core/ledgers/types';
import { formatValue } from './fieldValues';

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
  const norm = (v: unknown) => (v === undefined || v === '' ? null : v);
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
      label: field?.label ?? META_LABELS[key] ?? key,
      before: resolve?.(key, b[key]) ?? formatValue(field, b[key]),
      after: resolve?.(key, a[key]) ?? formatValue(field, a[key]),
    });
  }
  return rows;
}

const ACTION_LABELS: Record<string, string> = {
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

export function actionLabel(action: string): string {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const base = action.split(/[.:]/)[0] ?? action;
  return ACTION_LABELS[base] ?? action;
}
