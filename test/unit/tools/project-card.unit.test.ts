import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';

// scripts/project-card.js: the build step that writes the card's metadata into manifest.xml and the bundle version.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectCard = require('../../../scripts/project-card.js') as {
  readCard(root: string): Record<string, unknown>;
  manifestXml(card: Record<string, unknown>): string;
  outputs(root: string): { file: string; content: string }[];
};

const ROOT = path.join(__dirname, '..', '..', '..');

describe('project card build step', () => {
  it('the committed manifest.xml and core/bundle-version.ts are what the card generates', () => {
    for (const { file, content } of projectCard.outputs(ROOT)) {
      expect({ file, content: fs.readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({ file, content });
    }
  });

  it('writes the version into core/bundle-version.ts from the card', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-card-build-'));
    try {
      fs.mkdirSync(path.join(dir, 'core'));
      fs.copyFileSync(path.join(ROOT, 'core', 'bundle-version.ts'), path.join(dir, 'core', 'bundle-version.ts'));
      const cardFile = path.join(dir, 'suitecloud.project.json');
      fs.copyFileSync(path.join(ROOT, 'suitecloud.project.json'), cardFile);
      const card = JSON.parse(fs.readFileSync(cardFile, 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(cardFile, JSON.stringify({ ...card, version: '7.8.9' }));
      const version = projectCard.outputs(dir).find((o) => o.file.endsWith('bundle-version.ts'));
      expect(version?.content).toContain("export const BUNDLE_VERSION = '7.8.9';");
      expect(version?.content).toContain('export const RESTLET_API_VERSION = 1;');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an ACCOUNTCUSTOMIZATION manifest carries no SuiteApp elements; a SUITEAPP one carries ids and version', () => {
    const base = { projectFolder: 'src', projectName: 'X & Co', version: '1.2.3', publisherId: 'org.example', projectId: 'xco', frameworkVersion: '1.0', features: [{ id: 'CUSTOMRECORDS', required: true }] };
    const acp = projectCard.manifestXml({ ...base, projectType: 'ACCOUNTCUSTOMIZATION' });
    expect(acp).toContain('<projectname>X &amp; Co</projectname>');
    expect(acp).not.toMatch(/projectversion|publisherid|projectid/);
    const app = projectCard.manifestXml({ ...base, projectType: 'SUITEAPP' });
    expect(app).toContain('<publisherid>org.example</publisherid>');
    expect(app).toContain('<projectid>xco</projectid>');
    expect(app).toContain('<projectversion>1.2.3</projectversion>');
    expect(app).toContain('<feature required="true">CUSTOMRECORDS</feature>');
  });

  it('refuses a card with defects, naming each', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-card-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'suitecloud.project.json'), JSON.stringify({ projectFolder: 'src', projectType: 'SUITEAPP', projectName: 'X', version: '1.2', frameworkVersion: '1.0', projectId: 'Bad-Id', features: [] }));
      expect(() => projectCard.readCard(dir)).toThrow(/version must be MAJOR\.MINOR\.PATCH; a SUITEAPP needs publisherId; a SUITEAPP needs projectId/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
