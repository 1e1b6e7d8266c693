import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root, from this file's place in test/unit/middleware/connectors. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Text of a shared real-world sample (../shared/samples, never copied into the repo). */
export function readSample(...parts: string[]): string {
  return readFileSync(path.join(REPO_ROOT, '..', 'shared', 'samples', ...parts), 'utf8');
}
