/**
 * A real headless Chromium for browser tests, through playwright-core's `chromium.launch({ executablePath })`.
 *
 * Which Chromium:
 *  1. the system's: `/usr/bin/chromium` (Debian's package; `.ci/run` installs it when missing), or
 *     `/usr/bin/chromium-browser`;
 *  2. else the Chromium (chrome-headless-shell) shipped inside the npm package `@sparticuz/chromium`, a devDependency:
 *     its `bin/chromium.br` (brotli) is decompressed once into `<tmp>/ledgerbridge-chromium-<version>/`, with the
 *     package's fonts (`fonts.tar.br`) and, when the system lacks them, the shared libraries it ships for Amazon Linux
 *     (`al2023.tar.br`: libnss3, libnssutil3, libnspr4, libplc4, libplds4, libexpat, NSS's softokn/freebl) given to
 *     the browser through LD_LIBRARY_PATH. Nothing is downloaded. The binary's other needs (libc, libm, libdl,
 *     libpthread, libgcc_s) are in every Debian, so it runs on a plain Debian 12 with no extra package; `ldd` on the
 *     binary decides whether the bundled libraries are needed.
 * `LEDGERBRIDGE_TEST_BROWSER=npm` (or `system`) forces one source; only this test helper reads it.
 * The npm fallback is Linux x64 only (the package's npm tarball ships the x64 build). Nothing is skipped: without a
 * browser this fails with a message saying what it looked for.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export type BrowserSource = 'system' | 'npm';

export interface BrowserExecutable {
  source: BrowserSource;
  executablePath: string;
  /** Extra environment for the browser process (the bundled libraries and fonts), empty for the system's. */
  env: Record<string, string>;
}

export interface FindBrowserOptions {
  /** Force a source (default: LEDGERBRIDGE_TEST_BROWSER, else the system's when present, else npm). */
  source?: BrowserSource;
  /** npm fallback: use the package's bundled libraries even when the system has its own (to test that path). */
  bundledLibraries?: boolean;
}

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags every browser test runs with: no sandbox (tests may run as root), nothing reaching the network. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function findSystemChromium(): string | null {
  return SYSTEM_CHROMIUM.find((p) => fs.existsSync(p)) ?? null;
}

function sparticuzDir(): string {
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium'); // <package>/build/cjs/index.cjs
  } catch {
    throw new Error(
      'no browser: /usr/bin/chromium is missing and the npm package @sparticuz/chromium is not installed ' +
        "(run npm install; it is a devDependency). Or install the system's (Debian: apt-get install -y chromium).",
    );
  }
  return path.resolve(path.dirname(entry), '..', '..');
}

async function brotliTo(file: string, out: NodeJS.WritableStream): Promise<void> {
  await pipeline(fs.createReadStream(file), zlib.createBrotliDecompress(), out);
}

/** Decompresses a (small) .tar.br into dir with the system's tar (in every Debian). */
function extractTarBr(file: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-x', '--no-same-owner', '-f', '-', '-C', dir], { input: zlib.brotliDecompressSync(fs.readFileSync(file)), stdio: ['pipe', 'ignore', 'pipe'] });
}

/** The package's browser, fonts and libraries decompressed once per version into the temp dir. */
async function unpackSparticuz(): Promise<string> {
  const pkg = sparticuzDir();
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(os.tmpdir(), `ledgerbridge-chromium-${version}-${process.arch}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  const bin = path.join(pkg, 'bin');
  if (!fs.existsSync(path.join(bin, 'chromium.br'))) {
    throw new Error(`@sparticuz/chromium ${version} ships no browser for ${process.platform}-${process.arch} (${bin})`);
  }
  // Unpacked beside the final folder and renamed into place, so a concurrent test never sees half a binary.
  const partial = fs.mkdtempSync(`${target}.partial-`);
  try {
    const exe = path.join(partial, 'chromium');
    await brotliTo(path.join(bin, 'chromium.br'), fs.createWriteStream(exe, { mode: 0o755 }));
    extractTarBr(path.join(bin, 'fonts.tar.br'), partial); // fonts.conf + fonts/
    extractTarBr(path.join(bin, 'al2023.tar.br'), partial); // lib/*.so
    fs.writeFileSync(path.join(partial, '.complete'), '');
    try {
      fs.renameSync(partial, target);
    } catch {
      if (!fs.existsSync(path.join(target, '.complete'))) throw new Error(`cannot move ${partial} to ${target}`);
      fs.rmSync(partial, { recursive: true, force: true }); // another process finished first
    }
  } catch (e) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  return target;
}

/** Shared libraries the dynamic loader cannot find for a binary (from ldd), given an extra library folder or not. */
export function missingLibraries(executable: string, libraryPath?: string): string[] {
  const env = libraryPath ? { ...process.env, LD_LIBRARY_PATH: libraryPath } : process.env;
  const out = execFileSync('ldd', [executable], { encoding: 'utf8', env });
  return out
    .split('\n')
    .filter((l) => l.includes('not found'))
    .map((l) => l.trim().split(/\s+/)[0] ?? l.trim());
}

export async function findBrowser(options: FindBrowserOptions = {}): Promise<BrowserExecutable> {
  const forced = options.source ?? process.env.LEDGERBRIDGE_TEST_BROWSER;
  if (forced !== undefined && forced !== '' && forced !== 'system' && forced !== 'npm') {
    throw new Error(`LEDGERBRIDGE_TEST_BROWSER must be "system" or "npm", not ${JSON.stringify(forced)}`);
  }
  if (forced !== 'npm') {
    const system = findSystemChromium();
    if (system) return { source: 'system', executablePath: system, env: {} };
    if (forced === 'system') throw new Error(`LEDGERBRIDGE_TEST_BROWSER=system but none of ${SYSTEM_CHROMIUM.join(', ')} exists`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no browser: none of ${SYSTEM_CHROMIUM.join(', ')}, and @sparticuz/chromium ships Linux x64 only`);
  }
  const dir = await unpackSparticuz();
  const executablePath = path.join(dir, 'chromium');
  const env: Record<string, string> = { FONTCONFIG_PATH: dir };
  const lib = path.join(dir, 'lib');
  if (options.bundledLibraries || missingLibraries(executablePath).length > 0) {
    const still = missingLibraries(executablePath, lib);
    if (still.length > 0) throw new Error(`${executablePath} still lacks ${still.join(', ')} with the bundled libraries`);
    env.LD_LIBRARY_PATH = lib;
  }
  return { source: 'npm', executablePath, env };
}

/** Launches the browser findBrowser picks, headless, with BROWSER_ARGS. */
export async function launchBrowser(options: FindBrowserOptions & { launch?: LaunchOptions } = {}): Promise<Browser> {
  const found = await findBrowser(options);
  const env = Object.keys(found.env).length > 0 ? { ...process.env, ...found.env } : undefined;
  return chromium.launch({
    headless: true,
    args: BROWSER_ARGS,
    ...options.launch,
    executablePath: found.executablePath,
    ...(env ? { env: env as Record<string, string> } : {}),
  });
}
