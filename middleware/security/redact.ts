/**
 * Keeps secrets out of logs. Two layers:
 * - `redactPaths` / `redactOptions` for pino's `redact` option (fast, path based, covers the fields our own code
 *   logs: request headers, config objects, credentials at up to three levels deep);
 * - `redactDeep(value)` for arbitrary payloads (errors from platform APIs, request bodies) before they are logged or
 *   stored: any key that names a secret is censored at any depth, and bearer/basic credentials inside strings too.
 */
export const REDACTED = '[REDACTED]';

/** Field names that hold secrets, in the spellings our code and the platforms use. */
const SECRET_FIELDS = [
  'secret',
  'password',
  'token',
  'authorization',
  'cookie',
  'clientSecret',
  'client_secret',
  'consumerSecret',
  'consumer_secret',
  'consumerKey',
  'consumer_key',
  'tokenSecret',
  'token_secret',
  'tokenKey',
  'token_key',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'privateKey',
  'private_key',
  'apiKey',
  'api_key',
  'masterKey',
  'master_key',
  'webhookSecret',
  'webhook_secret',
  'secretKey',
  'secret_key',
  'signingSecret',
  'signing_secret',
  'assertion',
  'client_assertion',
];

/** Header names (lower case, as Node gives them) that carry credentials. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-authorization', 'x-api-key', 'proxy-authorization'];

function fieldPaths(): string[] {
  const paths: string[] = [];
  for (const field of SECRET_FIELDS) {
    // fast-redact wildcards match exactly one level, so spell out the depths we log at.
    paths.push(field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`);
  }
  for (const header of SECRET_HEADERS) {
    const key = `["${header}"]`;
    paths.push(`req.headers${key}`, `res.headers${key}`, `headers${key}`, `*.headers${key}`);
  }
  return [...new Set(paths)];
}

export const redactPaths: readonly string[] = fieldPaths();

/** Pass as pino's `redact` option: `pino({ redact: redactOptions })`. */
export const redactOptions = { paths: [...redactPaths], censor: REDACTED };

/** Key names (normalised: lower case, no `_`/`-`) that end like these are secrets. */
const SECRET_SUFFIXES = [
  'secret',
  'password',
  'passwd',
  'token',
  'tokenkey',
  'consumerkey',
  'privatekey',
  'apikey',
  'masterkey',
  'secretkey',
  'authorization',
  'cookie',
  'credentials',
  'assertion',
];

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  // Plurals too: `secrets`, `previousWebhookSecrets`, `tokens` hold secrets as much as their singulars.
  return SECRET_SUFFIXES.some((suffix) => normalised.endsWith(suffix) || normalised.endsWith(`${suffix}s`));
}

const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `"client_secret":"…"`, `password=…`, `'apiKey': '…'` inside serialised JSON, forms or messages. */
const SECRET_PAIR_IN_TEXT = /(["']?)([A-Za-z0-9_-]*(?:secret|password|passwd|token|apikey|api_key|api-key|assertion|private_?key)[A-Za-z0-9_-]*)\1(\s*[:=]\s*)(["']?)([^"'&\s,}]+)\4/gi;

/** Masks credentials inside free text (messages, serialised bodies): auth schemes and secret-named pairs. */
export function redactText(text: string): string {
  return text
    .replace(CREDENTIAL_IN_TEXT, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_PAIR_IN_TEXT, (match: string, q: string, key: string, sep: string, vq: string, value: string) =>
      isSecretKey(key) && value !== REDACTED ? `${q}${key}${q}${sep}${vq}${REDACTED}${vq}` : match,
    );
}

/**
 * A deep copy of `value` with secret-named fields censored and credentials inside strings masked. Errors become
 * plain objects (name, message, code, stack, cause and own fields); cycles become "[Circular]".
 */
export function redactDeep(value: unknown, maxDepth = 20): unknown {
  const seen = new WeakSet<object>();

  function walk(v: unknown, depth: number): unknown {
    if (typeof v === 'string') return redactText(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    if (depth > maxDepth) return '[Truncated]';
    seen.add(v);
    try {
      if (Buffer.isBuffer(v)) return `[Buffer ${v.length} bytes]`;
      if (v instanceof Date) return v;
      if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
      const out: Record<string, unknown> = {};
      if (v instanceof Error) {
        out.name = v.name;
        out.message = redactText(v.message);
        if (v.stack) out.stack = redactText(v.stack);
        if (v.cause !== undefined) out.cause = walk(v.cause, depth + 1);
      }
      for (const [key, child] of Object.entries(v)) {
        out[key] = isSecretKey(key) && child !== null && child !== undefined ? REDACTED : walk(child, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  }

  return walk(value, 0);
}
