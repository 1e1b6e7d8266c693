/**
 * `ledgerbridge netsuite check`: verifies a NetSuite connection end to end — authentication (TBA or OAuth 2.0
 * M2M), the bundle's RESTlet answering, its version against this middleware's, and the account features it needs.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { BUNDLE_VERSION, RESTLET_API_VERSION } from '../../core/bundle-version';
import type { HealthResponse } from '../../core/contracts/restlet';
import type { CommandIo, NetsuiteSubcommand } from '../cli/netsuite-command';
import type { NetSuiteCredentials } from '../tenancy/netsuite-credentials';
import { TokenRequestError } from './auth';
import { createNetSuiteConnection, restletUrl, type NetSuiteConnectionSettings } from './connection';
import { NetSuiteAuthError, NetSuiteHttpError, NetSuiteUnavailableError, OutcomeUnknownError, RestletApiError } from './errors';

const USAGE = `Usage: ledgerbridge netsuite check --account <id> [--url <restlet host>] [--script <id>] [--deploy <id>]
         (TBA)    --consumer-key <k> --consumer-secret <s> --token-id <id> --token-secret <s>
         (M2M)    --client-id <id> --certificate-id <id> --private-key-file <pem>
         [--timeout-ms <ms>] [--json]

Checks a NetSuite connection end to end: signs in, calls the bundle's RESTlet (health), and compares the bundle
version and the account features with what this middleware needs. --url defaults to
https://<account>.restlets.api.netsuite.com (give the local account's URL for the sandbox).
`;

export interface CheckStep {
  name: 'authentication' | 'restlet' | 'bundle version' | 'features';
  ok: boolean;
  detail: string;
}

/** The steps of a check from the health answer (or the error that stopped it). Pure. */
export function checkSteps(scheme: string, outcome: { health: HealthResponse } | { error: unknown }): CheckStep[] {
  if ('error' in outcome) {
    const e = outcome.error;
    if (e instanceof NetSuiteAuthError || e instanceof TokenRequestError) {
      const why = e instanceof TokenRequestError ? `token endpoint: ${e.oauthError}` : e.message;
      return [{ name: 'authentication', ok: false, detail: `${scheme} refused (${why}). Check the account id/realm, keys and role; for TBA compare with \`ledgerbridge netsuite sign\`.` }];
    }
    const detail =
      e instanceof NetSuiteHttpError
        ? `NetSuite answered ${e.status} ${e.code}: is the bundle deployed and the script/deploy ids right?`
        : e instanceof RestletApiError
          ? `the RESTlet answered ${e.code}: ${e.message}`
          : e instanceof NetSuiteUnavailableError || e instanceof OutcomeUnknownError
            ? e.message
            : `could not reach NetSuite: ${(e as Error)?.message ?? String(e)}`;
    return [
      // Only an answer from the RESTlet itself proves the sign-in worked.
      { name: 'authentication', ok: e instanceof RestletApiError, detail: e instanceof RestletApiError ? `${scheme} accepted` : 'not confirmed' },
      { name: 'restlet', ok: false, detail },
    ];
  }
  const h = outcome.health;
  const versionOk = h.apiVersion === RESTLET_API_VERSION;
  return [
    { name: 'authentication', ok: true, detail: `${scheme} accepted by account ${h.accountId}` },
    { name: 'restlet', ok: true, detail: `health answered (actions: ${(h.actions ?? []).join(', ')})` },
    {
      name: 'bundle version',
      ok: versionOk,
      detail: versionOk
        ? `bundle ${h.bundleVersion}, API v${h.apiVersion} (middleware ${BUNDLE_VERSION})`
        : `bundle ${h.bundleVersion} speaks API v${h.apiVersion}; this middleware needs v${RESTLET_API_VERSION}: deploy the matching bundle.`,
    },
    {
      name: 'features',
      ok: h.missingFeatures.length === 0,
      detail: h.missingFeatures.length === 0
        ? `${Object.keys(h.features).join(', ')} enabled`
        : `enable ${h.missingFeatures.join(', ')} (Setup → Company → Enable Features → SuiteCloud)`,
    },
  ];
}

function credentialsFrom(v: Record<string, string | boolean | undefined>): NetSuiteCredentials | string {
  const s = (k: string) => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
  const tba = ['consumer-key', 'consumer-secret', 'token-id', 'token-secret'];
  const m2m = ['client-id', 'certificate-id', 'private-key-file'];
  if (tba.every((k) => s(k))) {
    return { kind: 'tba', tba: { consumerKey: s('consumer-key') as string, consumerSecret: s('consumer-secret') as string, tokenId: s('token-id') as string, tokenSecret: s('token-secret') as string } };
  }
  if (m2m.every((k) => s(k))) {
    let privateKey: string;
    try {
      privateKey = fs.readFileSync(s('private-key-file') as string, 'utf8');
    } catch (err) {
      return `--private-key-file: ${(err as Error).message}`;
    }
    return { kind: 'm2m', m2m: { clientId: s('client-id') as string, certificateId: s('certificate-id') as string, privateKey } };
  }
  return `give all TBA flags (${tba.map((k) => `--${k}`).join(' ')}) or all M2M flags (${m2m.map((k) => `--${k}`).join(' ')}).`;
}

export const checkSubcommand: NetsuiteSubcommand = {
  summary: 'Verify a connection end to end (auth, bundle version, features).',
  async run(args: string[], io: CommandIo) {
    let values: Record<string, string | boolean | undefined>;
    const flags = ['account', 'url', 'script', 'deploy', 'consumer-key', 'consumer-secret', 'token-id', 'token-secret', 'client-id', 'certificate-id', 'private-key-file', 'timeout-ms'];
    try {
      ({ values } = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, ...Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])) },
      }));
    } catch (err) {
      io.err(`ledgerbridge netsuite check: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (typeof values.account !== 'string' || values.account === '') {
      io.err(`ledgerbridge netsuite check: missing --account\n\n${USAGE}`);
      return 2;
    }
    const credentials = credentialsFrom(values);
    if (typeof credentials === 'string') {
      io.err(`ledgerbridge netsuite check: ${credentials}\n`);
      return 2;
    }
    const settings: NetSuiteConnectionSettings = {
      accountId: values.account,
      credentials,
      concurrencyLimit: 1,
      timeoutMs: Number(values['timeout-ms'] ?? 30_000),
      backoff: { baseMs: 200, capMs: 2_000, maxAttempts: 3 },
      ...(typeof values.url === 'string' ? { restletBaseUrl: values.url } : {}),
      ...(typeof values.script === 'string' ? { scriptId: values.script } : {}),
      ...(typeof values.deploy === 'string' ? { deployId: values.deploy } : {}),
    };
    const scheme = credentials.kind === 'tba' ? 'TBA' : 'OAuth 2.0 M2M';
    let steps: CheckStep[];
    try {
      const { client } = createNetSuiteConnection(settings);
      steps = checkSteps(scheme, { health: await client.health() });
    } catch (error) {
      steps = checkSteps(scheme, { error });
    }
    const ok = steps.every((s) => s.ok);
    if (values.json) {
      io.out(`${JSON.stringify({ ok, url: restletUrl(settings), steps })}\n`);
    } else {
      io.out(`Checking ${restletUrl(settings)}\n`);
      for (const step of steps) io.out(`  ${step.ok ? 'ok  ' : 'FAIL'}  ${step.name}: ${step.detail}\n`);
      io.out(ok ? 'The connection is ready.\n' : 'The connection is not ready.\n');
    }
    return ok ? 0 : 1;
  },
};
