/** Where an import file goes: the server takes the file's bytes as the request body, by format. */
export function importTarget(fileName: string, orgId: number | undefined): { path: string; contentType: string } | null {
  const q = orgId === undefined ? '' : `?orgId=${orgId}`;
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return { path: `/import.xlsx${q}`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return { path: `/import${q}`, contentType: 'application/x-ndjson' };
  return null;
}
