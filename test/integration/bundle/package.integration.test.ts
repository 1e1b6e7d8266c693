import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm run package` = build + validate + `suitecloud project:package`, which zips the SDF project offline.
const ROOT = path.join(__dirname, '..', '..', '..');

/** Names of the entries in a zip file, read from its central directory. */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  const names: string[] = [];
  for (let i = 0; i + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + nameLength).toString('utf8'));
  }
  return names;
}

describe('SDF package', () => {
  it('suitecloud project:package writes a zip with the manifest, objects and compiled scripts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-pkg-'));
    try {
      fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'suitecloud.config.js'), path.join(dir, 'suitecloud.config.js'));
      fs.copyFileSync(path.join(ROOT, 'suitecloud.project.json'), path.join(dir, 'suitecloud.project.json'));
      const cli = path.join(ROOT, 'node_modules', '@oracle', 'suitecloud-cli', 'src', 'suitecloud.js');
      execFileSync(process.execPath, [cli, 'project:package'], { cwd: dir, stdio: 'pipe', timeout: 60_000 });
      const zips = fs.readdirSync(path.join(dir, 'build')).filter((f) => f.endsWith('.zip'));
      expect(zips).toHaveLength(1);
      const entries = zipEntries(path.join(dir, 'build', zips[0] as string));
      expect(entries).toEqual(expect.arrayContaining([
        'manifest.xml',
        'deploy.xml',
        'Objects/customscript_lb_rl_api.xml',
        'Objects/customscript_lb_ue_outbox.xml',
        'Objects/customscript_lb_mr_outbox_purge.xml',
        'Objects/customrecord_lb_outbox.xml',
        'FileCabinet/SuiteScripts/ledgerbridge/suitescripts/entry/lb_rl_api.js',
        'FileCabinet/SuiteScripts/ledgerbridge/suitescripts/entry/lb_ue_outbox.js',
        'FileCabinet/SuiteScripts/ledgerbridge/suitescripts/entry/lb_mr_outbox_purge.js',
      ]));
      // The File Cabinet folder is made by the build: no placeholder file travels in the package.
      expect(entries.filter((e) => /(^|\/)\.gitkeep$/.test(e))).toEqual([]);
      expect(entries.filter((e) => e.includes('outbox_push'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
