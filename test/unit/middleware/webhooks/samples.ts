import * as fs from 'node:fs';
import * as path from 'node:path';

/** Reads a public test vector from ../shared/samples (never copied into the repo). */
export function readSample<T = unknown>(...parts: string[]): T {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  return JSON.parse(fs.readFileSync(path.join(root, '..', 'shared', 'samples', ...parts), 'utf8')) as T;
}

/** Node delivers header names lower-cased; the samples spell them as the platforms document them. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
