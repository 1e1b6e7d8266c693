/** A small `--flag value` / `--flag=value` / `--switch` parser for the CLI commands (no positional arguments). */
export interface FlagSpec {
  /** 'boolean' flags take no value. */
  type: 'string' | 'number' | 'boolean';
  description: string;
}

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

export class UsageError extends Error {}

export function parseFlags(args: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
      out[name] = n;
    } else {
      out[name] = value;
    }
  }
  return out;
}

export function helpText(usage: string, specs: Record<string, FlagSpec>): string {
  const lines = [usage, '', 'Options:'];
  for (const [name, spec] of Object.entries(specs)) {
    const flag = spec.type === 'boolean' ? `--${name}` : `--${name} <${spec.type === 'number' ? 'n' : 'value'}>`;
    lines.push(`  ${flag.padEnd(30)} ${spec.description}`);
  }
  return lines.join('\n');
}

/** Resolves on SIGINT/SIGTERM (once), so a command can shut down gracefully. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** The address a listen() refused because something already listens there (EADDRINUSE), or undefined. */
export function addressInUse(error: unknown): { address: string; port: number } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; address?: unknown; port?: unknown };
  if (e.code !== 'EADDRINUSE') return undefined;
  return { address: typeof e.address === 'string' ? e.address : 'this host', port: typeof e.port === 'number' ? e.port : NaN };
}

/** One line for a busy port: which port, and the flag that picks a free one. */
export function addressInUseMessage(busy: { address: string; port: number }, flag: string): string {
  const where = Number.isNaN(busy.port) ? `the port on ${busy.address}` : `port ${busy.port} on ${busy.address}`;
  return `${where} is already in use (another ledgerbridge, or another program, listens there). Stop it, pick another port with ${flag} <n>, or let the system pick a free one with ${flag} 0.`;
}
