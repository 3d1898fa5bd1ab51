/** Minimal `--name value` / `--flag` parsing for the CLI commands. */
export function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new Error(`unexpected argument "${token}"; options look like --name value`);
    const eq = token.indexOf('=');
    if (eq > 0) args.set(token.slice(2, eq), token.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.set(token.slice(2), argv[++i]);
    else args.set(token.slice(2), 'true');
  }
  return args;
}

export function numberArg(args: Map<string, string>, name: string): number | undefined {
  const raw = args.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${raw}"`);
  return value;
}

export function rejectUnknown(args: Map<string, string>, known: string[]): void {
  for (const name of args.keys()) {
    if (!known.includes(name)) throw new Error(`unknown option --${name}; known options: ${known.map((k) => `--${k}`).join(' ')}`);
  }
}
