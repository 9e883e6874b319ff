/**
 * Bidirectional controls (LRE/RLE/PDF/LRO/RLO U+202A–202E, isolates U+2066–2069, the marks U+200E,
 * U+200F and U+061C) let a name display differently from what it is: "发票\u202Efdp.exe" shows as
 * "发票exe.pdf". They are stripped from file names (GB/T 22239-2019 8.1.4.4 入侵防范).
 */
export const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** A stored file name: no path separators or control characters (no traversal), no bidi controls, at most 200 characters. */
export function cleanFileName(name: string): string {
  return name.replace(BIDI, '').replace(/[\\/\u0000-\u001f\u007f]/g, '_').slice(0, 200) || '附件';
}

/**
 * A file name as shown to a role that sees personal data masked, and as written into audit entries
 * (a name like 张三身份证.pdf names a person): the first character and the extension stay.
 */
export function maskFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  const base = ext ? name.slice(0, dot) : name;
  return (base[0] ?? '') + '*'.repeat(Math.max(1, Math.min(base.length - 1, 6))) + ext;
}
