import { maskName } from '../access/policy';

/**
 * Personal data in an audit entry's before/after values is masked the way records are masked for
 * roles that may not see it (个人信息保护: the audit log is read by the 审计管理员, who does not
 * handle the cases). Masks the PII keys of a `{ data: {…} }` value and of a flat object.
 */
export function maskAuditValue(v: unknown, piiKeys: readonly string[]): unknown {
  if (!piiKeys.length || !v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k of piiKeys) if (out[k] !== undefined) out[k] = maskName(out[k]);
  const data = out.data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const d: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const k of piiKeys) if (d[k] !== undefined) d[k] = maskName(d[k]);
    out.data = d;
  }
  return out;
}
