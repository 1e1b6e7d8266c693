/**
 * `npm start` with no configuration at all, as on a fresh clone: only LEDGERBRIDGE_DATA_DIR points the embedded
 * store at an empty temp folder (instead of ./.ledgerbridge in the checkout). It brings up the sandbox, prints the
 * ready line with `-- --json --port 0`, keeps its data and key in the folder, stops on SIGTERM, and starts again on
 * the same folder with the same channels.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let dataDir: string;
const running: ChildProcess[] = [];

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-npm-start-'));
});

afterAll(() => {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start -- --json --port 0` in its own process group (npm → sh → node), resolved with the ready line. */
function npmStart(): Promise<{ child: ChildProcess; ready: Json; stderr: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LEDGERBRIDGE_DATA_DIR: dataDir };
  for (const name of ['DATABASE_URL', 'LEDGERBRIDGE_CONFIG', 'LEDGERBRIDGE_MASTER_KEY', 'PORT']) delete env[name];
  const child = spawn('npm', ['start', '--', '--json', '--port', '0'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // npm prints its own "> ledgerbridge@… start" banner first; the sandbox's line is the JSON one.
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes(`${line}\n`)) resolve({ child, ready: JSON.parse(line) as Json, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before ready:\n${stderr}`)));
  });
}

/**
 * SIGTERM to the whole group (as a service manager does). Resolves on 'close': the output pipes close only when the
 * sandbox process itself (npm's grandchild, which holds them too) has exited.
 */
function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  process.kill(-(child.pid as number), 'SIGTERM');
  return exited;
}

/** The sandbox logs to stderr in --json mode; its last words say the shutdown ran to the end. */
function stoppedGracefully(stderr: string): boolean {
  return stderr.split('\n').some((l) => l.includes('"msg":"ledgerbridge middleware stopped"'));
}

it('brings up the sandbox on a fresh data folder, keeps its data there, and comes back after a restart', async () => {
  expect(fs.readdirSync(dataDir)).toEqual([]);
  const first = await npmStart();
  expect(first.ready).toMatchObject({ ready: true, middleware: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
  expect((await fetch(first.ready.middleware.readyUrl as string)).status).toBe(200);
  // The sandbox generated its master key (owner-only) and created the embedded store in the folder.
  expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
  expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
  const channelIds = Object.values(first.ready.channels as Record<string, Json>).map((c) => c.id as string).sort();
  await stop(first.child);
  expect(stoppedGracefully(first.stderr())).toBe(true);

  const second = await npmStart();
  expect(second.ready.middleware.url).not.toBe('');
  expect(Object.values(second.ready.channels as Record<string, Json>).map((c) => c.id as string).sort()).toEqual(channelIds);
  // The same secrets and partner client on every start on the same folder; they work at once.
  expect(second.ready.channels.shopify.secret).toBe(first.ready.channels.shopify.secret);
  expect(second.ready.partnerApi.clientId).toBe(first.ready.partnerApi.clientId);
  const token = await fetch(second.ready.partnerApi.tokenUrl as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: second.ready.partnerApi.clientId, client_secret: second.ready.partnerApi.clientSecret }),
  });
  expect(token.status).toBe(200);
  await stop(second.child);
  expect(stoppedGracefully(second.stderr())).toBe(true);
}, 150_000);
