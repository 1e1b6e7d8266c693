/** The fidelity fixture project (hand-written SuiteScripts) in a local account, and helpers to call its RESTlet. */
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount, type LocalAccountOptions } from '../../../../emulator';

export const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'fixtures', 'emulator-scripts', 'fidelity');

export function fixtureAccount(options: LocalAccountOptions = {}): LocalAccount {
  return createLocalAccount({ projectDir: FIXTURE_DIR, accountId: 'TSTDRV1234567', ...options });
}

/** POSTs a JSON body to the fixture RESTlet; returns status, parsed body and units. */
export function post(account: LocalAccount, body: Record<string, unknown>) {
  const out = account.restlets.invokeSync({
    script: 'customscript_fx_rl',
    deploy: 'customdeploy_fx_rl',
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify(body),
    query: {},
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: out.status, body: out.body ? (JSON.parse(out.body) as any) : null, units: out.unitsUsed, raw: out.body };
}

/** Creates `n` fixture plain custom records straight in the engine (no scripts, no units). */
export function plainRecords(account: LocalAccount, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = account.engine.newRecord('customrecord_fx_plain');
    r.fields['name'] = `plain ${i}`;
    r.fields['custrecord_fx_plain_text'] = `text ${i}`;
    ids.push(account.engine.save(r));
  }
  return ids;
}
