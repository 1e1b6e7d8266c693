/**
 * The `ledgerbridge` command line. Each subcommand lives in its own module and is loaded on demand, so
 * `ledgerbridge validate` does not start a database and `ledgerbridge sandbox` does not load the validator.
 */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate-command')).validateCommand,
  netsuite: async () => (await import('./netsuite-command')).netsuiteCommand,
  start: async () => (await import('./start-command')).startCommand,
  migrate: async () => (await import('./migrate-command')).migrateCommand,
  sandbox: async () => (await import('./sandbox-command')).sandboxCommand,
};

/** The command list with each command's one-line summary (loading a command module is cheap: no I/O at import). */
export async function usage(): Promise<string> {
  const lines = ['Usage: ledgerbridge <command> [options]', '', 'Commands:'];
  for (const name of Object.keys(commands).sort()) {
    const command = await (commands[name] as () => Promise<Command>)();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run `ledgerbridge <command> --help` for a command\'s options.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`ledgerbridge: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  const command = await load();
  return command.run(rest);
}

/** Registers a command (used by modules that add subcommands). */
export function registerCommand(name: string, load: () => Promise<Command>): void {
  commands[name] = load;
}
