/**
 * `ledgerbridge netsuite <subcommand>`: tools for a NetSuite connection.
 *
 *   sign   prints the TBA signature base string and Authorization header for given inputs, to compare with what a
 *          client sent when NetSuite answers INVALID_LOGIN_ATTEMPT (reference netsuite-platform.md 2.1).
 */
import { parseArgs } from 'node:util';
import { realmForAccount, signTbaRequest } from '../../core/netsuite/oauth1';
import type { Command } from './main';
import { checkSubcommand } from '../netsuite/check-command';

interface Subcommand {
  summary: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Where a subcommand writes (process streams by default; tests may capture). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const SIGN_FLAGS = [
  'method',
  'url',
  'account',
  'consumer-key',
  'consumer-secret',
  'token-id',
  'token-secret',
  'nonce',
  'timestamp',
] as const;

const SIGN_USAGE = `Usage: ledgerbridge netsuite sign --method <GET|POST|PUT|DELETE> --url <url> --account <id>
         --consumer-key <key> --consumer-secret <secret> --token-id <id> --token-secret <secret>
         --nonce <nonce> --timestamp <unix seconds> [--json]

Prints the OAuth 1.0a (TBA, HMAC-SHA256) signature base string and the Authorization header NetSuite expects.
Use the nonce and timestamp of the request NetSuite refused, then compare with what your client sent.
--account takes the account id in any form (123456, 123456_SB1, 123456-sb1); the realm is upper-case with an
underscore (123456_SB1).
`;

const sign: Subcommand = {
  summary: 'Print the TBA signature base string and Authorization header for given inputs.',
  async run(args, io) {
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: {
          help: { type: 'boolean', short: 'h' },
          json: { type: 'boolean' },
          ...Object.fromEntries(SIGN_FLAGS.map((f) => [f, { type: 'string' as const }])),
        },
      }));
    } catch (err) {
      io.err(`ledgerbridge netsuite sign: ${(err as Error).message}\n\n${SIGN_USAGE}`);
      return 2;
    }
    if (values.help) {
      io.out(SIGN_USAGE);
      return 0;
    }
    const missing = SIGN_FLAGS.filter((f) => typeof values[f] !== 'string' || values[f] === '');
    if (missing.length > 0) {
      io.err(`ledgerbridge netsuite sign: missing ${missing.map((f) => `--${f}`).join(', ')}\n\n${SIGN_USAGE}`);
      return 2;
    }
    const v = values as Record<(typeof SIGN_FLAGS)[number], string> & { json?: boolean };
    const problem = checkSignInputs(v);
    if (problem) {
      io.err(`ledgerbridge netsuite sign: ${problem}\n`);
      return 2;
    }
    const realm = realmForAccount(v.account);
    const signed = signTbaRequest({
      method: v.method.toUpperCase(),
      url: v.url,
      realm,
      consumerKey: v['consumer-key'],
      consumerSecret: v['consumer-secret'],
      tokenId: v['token-id'],
      tokenSecret: v['token-secret'],
      nonce: v.nonce,
      timestamp: v.timestamp,
    });
    if (v.json) {
      io.out(`${JSON.stringify({ realm, baseString: signed.baseString, signature: signed.signature, authorization: signed.authorization })}\n`);
    } else {
      io.out(
        [
          `Realm: ${realm}`,
          '',
          'Signature base string:',
          signed.baseString,
          '',
          `Signature (base64): ${signed.signature}`,
          '',
          'Authorization header:',
          `Authorization: ${signed.authorization}`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  },
};

function checkSignInputs(v: Record<(typeof SIGN_FLAGS)[number], string>): string | null {
  if (!/^(GET|POST|PUT|DELETE|PATCH|HEAD)$/i.test(v.method)) return `--method "${v.method}" is not an HTTP method.`;
  let url: URL;
  try {
    url = new URL(v.url);
  } catch {
    return `--url "${v.url}" is not an absolute URL.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '--url must be an http(s) URL.';
  try {
    realmForAccount(v.account);
  } catch (err) {
    return `--account: ${(err as Error).message}`;
  }
  if (!/^\d+$/.test(v.timestamp)) return '--timestamp must be Unix seconds (digits only).';
  return null;
}

const subcommands: Record<string, Subcommand> = { sign, check: checkSubcommand };

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(8)}${s.summary}`);
  return `Usage: ledgerbridge netsuite <subcommand> [options]\n\nSubcommands:\n${lines.join('\n')}\n\n` +
    'Run `ledgerbridge netsuite <subcommand> --help` for its options.\n';
}

/** Runs `netsuite <subcommand> …` with the given output streams. */
export async function runNetsuiteCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io[name ? 'out' : 'err'](usage());
    return name ? 0 : 2;
  }
  const sub = subcommands[name];
  if (!sub) {
    io.err(`ledgerbridge netsuite: unknown subcommand "${name}"\n\n${usage()}`);
    return 2;
  }
  return sub.run(rest, io);
}

/** Adds a subcommand (e.g. `check`) without touching the dispatcher. */
export function registerNetsuiteSubcommand(name: string, subcommand: Subcommand): void {
  subcommands[name] = subcommand;
}

export type { Subcommand as NetsuiteSubcommand };

export const netsuiteCommand: Command = {
  summary: 'NetSuite connection tools (sign, check).',
  run: (args) => runNetsuiteCommand(args),
};
