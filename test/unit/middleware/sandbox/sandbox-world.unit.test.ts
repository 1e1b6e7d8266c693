/**
 * The sandbox's world file and the start-time checks of a data folder's files (middleware/sandbox/sandbox-world.ts):
 * a fresh folder, a complete one, and each way of mixing worlds, refused with the fix.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSandboxCredentials } from '../../../../emulator/http';
import { checkWorldFiles, newWorld, readWorld, SandboxWorldError, worldPaths, writeWorld, type WorldPaths } from '../../../../middleware/sandbox/sandbox-world';

let dir: string;
let paths: WorldPaths;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-world-'));
  paths = worldPaths(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const world = () => newWorld('TSTDRV0000001', generateSandboxCredentials(), { clientId: 'app', clientSecret: 'secret' });
const touch = (file: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{}');
};
const complete = () => {
  const w = { ...world(), sampleOrders: [] };
  writeWorld(paths, w);
  touch(paths.account);
  for (const file of Object.values(paths.simulators)) touch(file);
  return w;
};
const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof SandboxWorldError) return error.message;
    throw error;
  }
  throw new Error('not refused');
};

it('writes sandbox.json owner-only and reads back what it wrote', () => {
  const w = world();
  writeWorld(paths, w);
  expect(fs.statSync(paths.world).mode & 0o777).toBe(0o600);
  expect(readWorld(paths)).toEqual(w);
});

it('a fresh folder takes the --account-id flag or the default', () => {
  expect(readWorld(paths)).toBeNull();
  expect(checkWorldFiles(paths, null, undefined)).toBe('TSTDRV0000001');
  expect(checkWorldFiles(paths, null, 'TSTDRV7')).toBe('TSTDRV7');
});

it('a complete folder uses its own account id; another --account-id is refused with the one it was made with', () => {
  const w = complete();
  expect(checkWorldFiles(paths, w, undefined)).toBe('TSTDRV0000001');
  expect(checkWorldFiles(paths, w, 'TSTDRV0000001')).toBe('TSTDRV0000001');
  expect(refusal(() => checkWorldFiles(paths, w, 'OTHER'))).toContain('was made with local NetSuite account TSTDRV0000001, not OTHER');
});

it('refuses a folder whose local account state file is missing, naming the file and the fix', () => {
  const w = complete();
  fs.rmSync(paths.account);
  const message = refusal(() => checkWorldFiles(paths, w, undefined));
  expect(message).toContain("the data folder's store was made with another local account");
  expect(message).toContain(paths.account);
  expect(message).toContain(`--data-dir <another folder>`);
  expect(message).toContain(`delete ${paths.dataDir}`);
});

it('refuses a folder that lost a simulator state file once the sample orders were made, but not before', () => {
  const w = complete();
  fs.rmSync(paths.simulators.amazon);
  expect(refusal(() => checkWorldFiles(paths, w, undefined))).toContain(`the simulated amazon (${paths.simulators.amazon}) is missing`);
  expect(checkWorldFiles(paths, { ...w, sampleOrders: null }, undefined)).toBe('TSTDRV0000001');
});

it('refuses state files without sandbox.json beside them', () => {
  touch(paths.account);
  expect(refusal(() => checkWorldFiles(paths, null, undefined))).toContain('holds netsuite-account.json but no sandbox.json');
});

it('refuses a damaged sandbox.json instead of starting a new world over it', () => {
  fs.writeFileSync(paths.world, '{"format":"ledgerbridge-sandbox","version":1}');
  expect(refusal(() => readWorld(paths))).toContain(`${paths.world} is damaged (worldId, accountId and createdAt are required)`);
  fs.writeFileSync(paths.world, '');
  expect(refusal(() => readWorld(paths))).toContain('the file is empty');
});
