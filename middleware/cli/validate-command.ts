/** `ledgerbridge validate [projectDir]`: the static SDF validator (tools/sdf). */
import { parseArgs } from 'node:util';
import { formatFinding, validateProject } from '../../tools/sdf/validate';
import type { Command } from './main';

export const validateCommand: Command = {
  summary: 'Validate the SDF project offline (manifest, deploy, objects, compiled scripts).',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
    });
    if (values.help) {
      process.stdout.write('Usage: ledgerbridge validate [projectDir=src] [--json]\n');
      return 0;
    }
    const dir = positionals[0] ?? 'src';
    const result = validateProject(dir);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      for (const f of result.errors) process.stderr.write(`${formatFinding(f)}\n`);
      process.stdout.write(
        result.ok
          ? `SDF project ${dir} is valid: ${result.objectCount} objects, ${result.scriptFileCount} script files.\n`
          : `SDF project ${dir} has ${result.errors.length} error(s).\n`,
      );
    }
    return result.ok ? 0 : 1;
  },
};
