/** The `.jsonl` exchange format of the spec: one record per line, kind fields at the top level. */

export type ExchangeValue = string | number | boolean | string[];

export interface ExchangeLine {
  kind: string;
  /** Department (责任部门) name, of the same org unit. */
  dept: string;
  /** Optional state of the kind's flow. */
  status?: string;
  [field: string]: ExchangeValue | undefined;
}

/** Serialises lines with `kind`, `dept`, `status` first; undefined fields are left out. */
export function toJsonl(lines: readonly ExchangeLine[]): string {
  return lines
    .map((line) => {
      const { kind, dept, status, ...fields } = line;
      const ordered: Record<string, ExchangeValue> = { kind, dept };
      if (status !== undefined) ordered.status = status;
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) ordered[k] = v;
      return JSON.stringify(ordered);
    })
    .join('\n')
    .concat(lines.length > 0 ? '\n' : '');
}

export function parseJsonl(text: string): ExchangeLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ExchangeLine);
}
