import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Copies a folder into a fresh temporary folder and returns its path. */
export function copyToTemp(source: string, prefix = 'lb-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}
