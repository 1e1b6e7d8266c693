import { readFixtureJson } from '../../../helpers/fixtures';

/** Reads a published test vector from test/fixtures/vectors/<name>/ (see the README there). */
export function readSample<T = unknown>(...parts: string[]): T {
  return readFixtureJson<T>('vectors', ...parts);
}

/** Node delivers header names lower-cased; the samples spell them as the platforms document them. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
