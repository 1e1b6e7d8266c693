/**
 * Files under test/fixtures: published samples and test vectors transcribed into the repository (each folder's
 * README names the source and licence), SDF projects, seeds. Tests read only from here, never from outside the
 * repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

/** The absolute path of a file under test/fixtures; refuses paths that leave the folder. */
export function fixturePath(...parts: string[]): string {
  const file = path.resolve(FIXTURES_DIR, ...parts);
  if (!file.startsWith(FIXTURES_DIR + path.sep)) throw new Error(`not a fixture path: ${parts.join('/')}`);
  return file;
}

/** The text of a fixture file (UTF-8), byte for byte as published. */
export function readFixtureText(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}

/** A JSON fixture parsed with JSON.parse (use readFixtureText where 64-bit ids must survive). */
export function readFixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFixtureText(...parts)) as T;
}
