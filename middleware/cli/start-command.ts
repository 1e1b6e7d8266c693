/**
 * `ledgerbridge start`: the middleware with production configuration (environment and LEDGERBRIDGE_CONFIG). Refuses
 * to start without what production needs (the master key). Several processes may run against one PostgreSQL server:
 * they share intake and jobs.
 */
import type { Command } from './main';
import { ConfigError, ENV_VARS, loadConfig } from '../config';
import { startMiddleware } from '../runtime/server';
import { addressInUse, addressInUseMessage, helpText, parseFlags, UsageError, untilSignal, type FlagSpec } from './args';

const FLAGS: Record<string, FlagSpec> = {
  port: { type: 'number', description: 'Port to listen on (over PORT; 0 picks a free one)' },
  host: { type: 'string', description: 'Interface to listen on (over LEDGERBRIDGE_HOST)' },
  help: { type: 'boolean', description: 'Show this help' },
};

function usage(): string {
  const env = Object.entries(ENV_VARS).map(([name, what]) => `  ${name.padEnd(40)} ${what}`);
  return `${helpText('Usage: ledgerbridge start [options]', FLAGS)}\n\nEnvironment:\n${env.join('\n')}`;
}

export const startCommand: Command = {
  summary: 'Run the middleware with production configuration',
  async run(args) {
    let flags;
    try {
      flags = parseFlags(args, FLAGS);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`ledgerbridge start: ${error.message}\n\n${usage()}\n`);
      return 2;
    }
    if (flags.help) {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    let config;
    try {
      const http: Record<string, unknown> = {};
      if (flags.port !== undefined) http.port = flags.port;
      if (flags.host !== undefined) http.host = flags.host;
      config = loadConfig({ mode: 'production', overrides: { http } });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`ledgerbridge start: ${error.message}\n`);
      return 2;
    }
    // Refunds: the outbox / Magento / eBay / Amazon sweep once a minute, shared by every process (pg-boss schedule).
    let running;
    try {
      running = await startMiddleware(config, { refunds: { sweep: { cron: '* * * * *' } } });
    } catch (error) {
      const busy = addressInUse(error);
      if (!busy) throw error;
      process.stderr.write(`ledgerbridge start: ${addressInUseMessage(busy, '--port')}\n`);
      return 2;
    }
    const signal = await untilSignal();
    running.logger.info({ signal }, 'shutting down');
    await running.close();
    return 0;
  },
};
