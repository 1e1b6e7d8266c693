/** `ledgerbridge migrate`: applies pending schema migrations to the configured store and exits. */
import type { Command } from './main';
import { ConfigError, loadConfig } from '../config';
import { openDb } from '../store/open-db';
import { migrate } from '../store/migrate';

export const migrateCommand: Command = {
  summary: 'Apply pending database migrations',
  async run(args) {
    if (args.includes('--help')) {
      process.stdout.write('Usage: ledgerbridge migrate\n\nApplies pending migrations to DATABASE_URL (or the embedded store in LEDGERBRIDGE_DATA_DIR).\n');
      return 0;
    }
    if (args.length > 0) {
      process.stderr.write(`ledgerbridge migrate: unexpected argument "${args[0]}"\n`);
      return 2;
    }
    let config;
    try {
      config = loadConfig({ mode: 'production', masterKeyRequired: false });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`ledgerbridge migrate: ${error.message}\n`);
      return 2;
    }
    const db = await openDb(config.database);
    try {
      const report = await migrate(db);
      process.stdout.write(`${JSON.stringify({ database: db.kind, applied: report.applied, alreadyApplied: report.alreadyApplied })}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
