/** Minimal argv parsing: positionals and `--name value` / `--flag` options. */
export interface Parsed {
  positionals: string[];
  options: Record<string, string | true>;
}

export function parseArgs(argv: string[]): Parsed {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) options[a.slice(2)] = argv[++i]!;
      else options[a.slice(2)] = true;
    } else positionals.push(a);
  }
  return { positionals, options };
}

export class UsageError extends Error {}

export function opt(p: Parsed, name: string): string | undefined {
  const v = p.options[name];
  if (v === true) throw new UsageError(`--${name} 需要一个值`);
  return v;
}

export function req(p: Parsed, name: string): string {
  const v = opt(p, name);
  if (v === undefined) throw new UsageError(`缺少参数 --${name}`);
  return v;
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
