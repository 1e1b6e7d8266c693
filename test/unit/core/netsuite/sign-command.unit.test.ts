// `ledgerbridge netsuite sign` against the documented TBA worked example (reference netsuite-platform.md 2.1).
import { main } from '../../../../middleware/cli/main';
import { runNetsuiteCommand, type CommandIo } from '../../../../middleware/cli/netsuite-command';

function capture(): CommandIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

const workedArgs = [
  '--method', 'POST',
  '--url', 'https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue',
  '--account', '123456',
  '--consumer-key', 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
  '--consumer-secret', 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
  '--token-id', '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
  '--token-secret', 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
  '--nonce', 'fjaLirsIcCGVZWzBX0pg',
  '--timestamp', '1508242306',
];

describe('ledgerbridge netsuite sign', () => {
  it('prints the base string and the Authorization header of the worked example', async () => {
    const io = capture();
    expect(await runNetsuiteCommand(['sign', ...workedArgs], io)).toBe(0);
    expect(io.stdout).toContain(
      'POST&https%3A%2F%2F123456.restlets.api.netsuite.com%2Fapp%2Fsite%2Fhosting%2Frestlet.nl&customParam%3DsomeValue%26deploy%3D1%26oauth_consumer_key%3D',
    );
    expect(io.stdout).toContain('oauth_signature="%2BKK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ%3D"');
    expect(io.stdout).toMatch(/^Authorization: OAuth realm="123456", /m);
    expect(io.stderr).toBe('');
  });

  it('--json prints one JSON object', async () => {
    const io = capture();
    expect(await runNetsuiteCommand(['sign', ...workedArgs, '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout) as Record<string, string>;
    expect(out.signature).toBe('+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ=');
    expect(out.realm).toBe('123456');
    expect(out.baseString!.endsWith('oauth_version%3D1.0%26script%3D6%26testParam%3DsomeOtherValue')).toBe(true);
    expect(out.authorization).toContain('oauth_signature_method="HMAC-SHA256"');
  });

  it('uses the upper-case sandbox realm whatever form --account takes', async () => {
    const io = capture();
    const args = workedArgs.map((a) => (a === '123456' ? '123456-sb1' : a));
    expect(await runNetsuiteCommand(['sign', ...args, '--json'], io)).toBe(0);
    expect((JSON.parse(io.stdout) as { realm: string }).realm).toBe('123456_SB1');
  });

  it('names missing flags and exits 2', async () => {
    const io = capture();
    expect(await runNetsuiteCommand(['sign', ...workedArgs.slice(0, 4)], io)).toBe(2);
    expect(io.stderr).toContain('missing --account, --consumer-key, --consumer-secret, --token-id, --token-secret, --nonce, --timestamp');
    expect(io.stdout).toBe('');
  });

  it('refuses unknown flags and bad values with exit 2', async () => {
    const unknown = capture();
    expect(await runNetsuiteCommand(['sign', ...workedArgs, '--bogus', 'x'], unknown)).toBe(2);
    expect(unknown.stderr).toMatch(/bogus/);
    const badTs = capture();
    const args = workedArgs.map((a) => (a === '1508242306' ? 'yesterday' : a));
    expect(await runNetsuiteCommand(['sign', ...args], badTs)).toBe(2);
    expect(badTs.stderr).toContain('--timestamp must be Unix seconds');
  });

  it('--help prints the usage and exits 0', async () => {
    const io = capture();
    expect(await runNetsuiteCommand(['sign', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('--consumer-key');
  });

  it('answers an unknown subcommand with exit 2', async () => {
    const io = capture();
    expect(await runNetsuiteCommand(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toContain('unknown subcommand "frobnicate"');
    expect(io.stderr).toContain('sign');
  });

  it('is registered as `ledgerbridge netsuite`', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['netsuite', 'sign', ...workedArgs, '--json'])).toBe(0);
      const printed = write.mock.calls.map((c) => String(c[0])).join('');
      expect(printed).toContain('"signature":"+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="');
    } finally {
      write.mockRestore();
    }
  });
});
