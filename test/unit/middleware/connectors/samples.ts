import { readFixtureText } from '../../../helpers/fixtures';

/** Text of a published platform sample in test/fixtures/platforms/<platform>/ (see the README there). */
export function readSample(...parts: string[]): string {
  return readFixtureText('platforms', ...parts);
}
