/**
 * Seed files: reads a seed from disk and validates it. A file that is not JSON is refused with its line and column
 * ("seed.json:12:5: Unexpected token '}'"); a file with bad entries is refused naming every one of them.
 */
import * as fs from 'node:fs';
import { parseJsonText } from '../json-errors';
import { parseSeed, SeedError, type Seed } from './seed-schema';

/** Parses seed text; `name` (the file's path as the user gave it) prefixes syntax errors. Throws SeedError. */
export function parseSeedText(text: string, name: string, base?: Seed): Seed {
  let json: unknown;
  try {
    json = parseJsonText(text, name);
  } catch (err) {
    throw new SeedError([(err as Error).message], name);
  }
  return parseSeed(json, base, name);
}

/** Reads and validates a seed file (see parseSeed for `base`). Throws SeedError naming the file. */
export function readSeedFile(file: string, base?: Seed): Seed {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SeedError([`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`], file);
  }
  return parseSeedText(text, file, base);
}
