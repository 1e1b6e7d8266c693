import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../../middleware/config';

const key = (): string => randomBytes(32).toString('base64');

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the sandbox an embedded store in the data folder and a generated key kept there', () => {
    const first = loadConfig({ mode: 'sandbox', env: {}, cwd: dir });
    expect(first.database).toEqual({ kind: 'pglite', dataDir: path.join(dir, '.ledgerbridge', 'pglite') });
    expect(Buffer.from(first.masterKey, 'base64')).toHaveLength(32);
    const keyFile = path.join(dir, '.ledgerbridge', 'master.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // Parsed again (a restart): the same key, so sealed secrets still open.
    expect(loadConfig({ mode: 'sandbox', env: {}, cwd: dir }).masterKey).toBe(first.masterKey);
  });

  it('refuses to start production without a master key, naming the variable', () => {
    expect(() => loadConfig({ mode: 'production', env: {}, cwd: dir })).toThrow(/LEDGERBRIDGE_MASTER_KEY is required/);
    expect(fs.existsSync(path.join(dir, '.ledgerbridge', 'master.key'))).toBe(false);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and env beats the JSON file', () => {
    const file = path.join(dir, 'lb.json');
    fs.writeFileSync(file, JSON.stringify({ http: { port: 9000, host: '0.0.0.0' }, logLevel: 'debug' }));
    const config = loadConfig({
      mode: 'production',
      env: { LEDGERBRIDGE_CONFIG: file, DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', PORT: '9100', LEDGERBRIDGE_MASTER_KEY: key() },
      cwd: dir,
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/db', poolSize: 10 });
    expect(config.http.port).toBe(9100);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('debug');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('reads the token endpoint limits and the eBay key lookup limits from the environment, with defaults', () => {
    const defaults = loadConfig({ mode: 'production', env: { LEDGERBRIDGE_MASTER_KEY: key() }, cwd: dir });
    expect(defaults.partnerApi.tokenLimits).toEqual({ perClientId: 10, perAddress: 50, windowSeconds: 60 });
    expect([defaults.ebay.keyLookupsPerMinute, defaults.ebay.unknownKeyCacheMinutes]).toEqual([20, 10]);
    const set = loadConfig({
      mode: 'production',
      env: {
        LEDGERBRIDGE_MASTER_KEY: key(),
        LEDGERBRIDGE_TOKEN_LIMIT_PER_CLIENT: '3',
        LEDGERBRIDGE_TOKEN_LIMIT_PER_ADDRESS: '7',
        LEDGERBRIDGE_TOKEN_LIMIT_WINDOW_SECONDS: '120',
        LEDGERBRIDGE_EBAY_KEY_LOOKUPS_PER_MINUTE: '5',
        LEDGERBRIDGE_EBAY_UNKNOWN_KEY_CACHE_MINUTES: '30',
      },
      cwd: dir,
    });
    expect(set.partnerApi.tokenLimits).toEqual({ perClientId: 3, perAddress: 7, windowSeconds: 120 });
    expect([set.ebay.keyLookupsPerMinute, set.ebay.unknownKeyCacheMinutes]).toEqual([5, 30]);
    expect(() => loadConfig({ mode: 'production', env: { LEDGERBRIDGE_MASTER_KEY: key(), LEDGERBRIDGE_TOKEN_LIMIT_PER_CLIENT: '0' }, cwd: dir })).toThrow(/partnerApi\.tokenLimits\.perClientId/);
    expect(() => loadConfig({ mode: 'production', env: { LEDGERBRIDGE_MASTER_KEY: key(), LEDGERBRIDGE_EBAY_UNKNOWN_KEY_CACHE_MINUTES: 'soon' }, cwd: dir })).toThrow(/ebay\.unknownKeyCacheMinutes/);
  });

  it('fails fast with every problem named', () => {
    let error: unknown;
    try {
      loadConfig({ mode: 'production', env: { LEDGERBRIDGE_MASTER_KEY: 'short', PORT: 'eighty', LOG_LEVEL: 'loud' }, cwd: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/masterKey: must be 32 random bytes/);
    expect(message).toMatch(/http\.port/);
    expect(message).toMatch(/logLevel/);
  });

  it('refuses unknown keys in the file and an unreadable file', () => {
    const file = path.join(dir, 'lb.json');
    fs.writeFileSync(file, JSON.stringify({ htp: { port: 1 } }));
    expect(() => loadConfig({ mode: 'sandbox', env: { LEDGERBRIDGE_CONFIG: file }, cwd: dir })).toThrow(/htp/);
    expect(() => loadConfig({ mode: 'sandbox', env: { LEDGERBRIDGE_CONFIG: path.join(dir, 'missing.json') }, cwd: dir })).toThrow(/cannot read/);
    fs.writeFileSync(file, '{not json');
    expect(() => loadConfig({ mode: 'sandbox', env: { LEDGERBRIDGE_CONFIG: file }, cwd: dir })).toThrow(/not valid JSON/);
  });
});
