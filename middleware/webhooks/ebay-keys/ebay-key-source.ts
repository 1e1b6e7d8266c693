/**
 * Resolves the `kid` of an X-EBAY-SIGNATURE header to eBay's public key through the Notification API:
 *   GET {baseUrl}/commerce/notification/v1/public_key/{public_key_id}   (Authorization: Bearer <application token>)
 *   → 200 { key: "-----BEGIN PUBLIC KEY-----…", algorithm: "ECDSA", digest: "SHA1" }
 * https://developer.ebay.com/api-docs/commerce/notification/resources/public_key/methods/getPublicKey
 *
 * eBay asks callers to cache the key (an hour is its example) rather than fetch it per notification. So:
 *   - a known key is cached for `ttlMs` (default one hour), in its own bounded cache (`maxEntries`);
 *   - an id eBay does not know is cached as unknown for `negativeTtlMs` (default ten minutes) in a separate bounded
 *     cache (`maxUnknownEntries`): unknown ids only ever push out other unknown ids, never a known key;
 *   - ids that cannot be eBay's are refused without a call: eBay's key ids are UUIDs (as in eBay's published
 *     notification vectors), and 32 hex digits are accepted too;
 *   - calls to eBay for ids not in either cache are budgeted per scope (the channel id the intake passes):
 *     `lookupsPerScopePerMinute` (default 20); past it the lookup throws EbayKeyUnavailableError without a call, so
 *     a flood of unsigned notifications with made-up ids costs at most that many eBay calls per channel and minute;
 *   - concurrent lookups of one id share one call;
 *   - anything that is not a verdict on the id (network error, timeout, 401/403 on our token, 429, 5xx, an answer
 *     that is not a key) throws EbayKeyUnavailableError and caches nothing: the verifier reports `key_unavailable`
 *     and the intake answers 503, so eBay delivers the notification again later. Never a 2xx, never a 401.
 */
import type { EbayKeySource, EbayPublicKey } from '../verify';

export const EBAY_PUBLIC_KEY_PATH = '/commerce/notification/v1/public_key/';
const HOUR_MS = 60 * 60 * 1000;
/** eBay's key ids: UUIDs (8-4-4-4-12 hex), or 32 hex digits. */
const KID_PATTERN = /^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})$/;
const MINUTE_MS = 60_000;

export interface EbayKeySourceOptions {
  /** https://api.ebay.com, https://api.sandbox.ebay.com, or a simulator. */
  baseUrl: string;
  /** An OAuth application access token (client-credentials grant); called for each fetch, so it may refresh. */
  getAccessToken: () => Promise<string>;
  /** How long a fetched key is trusted without asking again. Default one hour (eBay's example). */
  ttlMs?: number;
  /** How long "eBay does not know this id" is remembered. Default ten minutes. */
  negativeTtlMs?: number;
  /** Per-call timeout. Default 5 s. */
  timeoutMs?: number;
  /** Most known keys remembered at once (oldest dropped first). Default 1,000. */
  maxEntries?: number;
  /** Most unknown ids remembered at once (oldest unknown dropped first; never a known key). Default 10,000. */
  maxUnknownEntries?: number;
  /** Calls to eBay allowed per scope (channel) and minute for ids in neither cache. Default 20. */
  lookupsPerScopePerMinute?: number;
  /** Milliseconds since the epoch; injectable for tests of expiry. */
  now?: () => number;
}

export class EbayKeyUnavailableError extends Error {
  readonly code = 'key_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'EbayKeyUnavailableError';
  }
}

export interface EbayKeySourceStats {
  /** Calls made to eBay's getPublicKey. */
  fetches: number;
  /** Lookups answered from the cache (known or unknown). */
  cacheHits: number;
  /** Lookups refused without a call: an id that cannot be eBay's. */
  refusedIds: number;
  /** Lookups refused without a call: the scope's budget of calls to eBay was spent. */
  overBudget: number;
}

export interface CachingEbayKeySource extends EbayKeySource {
  stats(): EbayKeySourceStats;
  /** Forgets every cached answer (e.g. after eBay announces a key rotation). */
  clear(): void;
}

interface Entry {
  key: EbayPublicKey | null;
  expiresAt: number;
}

function parseKey(body: unknown): EbayPublicKey | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { key, algorithm, digest } = body as Record<string, unknown>;
  if (typeof key !== 'string' || !key.includes('BEGIN PUBLIC KEY')) return undefined;
  return {
    key,
    ...(typeof algorithm === 'string' ? { algorithm } : {}),
    ...(typeof digest === 'string' ? { digest } : {}),
  };
}

export function createEbayKeySource(options: EbayKeySourceOptions): CachingEbayKeySource {
  const ttlMs = options.ttlMs ?? HOUR_MS;
  const negativeTtlMs = Math.min(options.negativeTtlMs ?? 10 * MINUTE_MS, ttlMs);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const maxUnknownEntries = options.maxUnknownEntries ?? 10_000;
  const budget = options.lookupsPerScopePerMinute ?? 20;
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/+$/, '');
  const known = new Map<string, Entry>();
  const unknown = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<EbayPublicKey | null>>();
  const spent = new Map<string, { minute: number; calls: number }>();
  const stats: EbayKeySourceStats = { fetches: 0, cacheHits: 0, refusedIds: 0, overBudget: 0 };

  function put(cache: Map<string, Entry>, max: number, kid: string, entry: Entry): void {
    cache.delete(kid);
    cache.set(kid, entry);
    // Map keeps insertion order: the first entries are the oldest.
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  function remember(kid: string, key: EbayPublicKey | null): void {
    if (key) {
      unknown.delete(kid);
      put(known, maxEntries, kid, { key, expiresAt: now() + ttlMs });
    } else {
      known.delete(kid);
      put(unknown, maxUnknownEntries, kid, { key: null, expiresAt: now() + negativeTtlMs });
    }
  }

  function cached(kid: string): Entry | undefined {
    const entry = known.get(kid) ?? unknown.get(kid);
    return entry && entry.expiresAt > now() ? entry : undefined;
  }

  /** Spends one call of the scope's budget for this minute; false when it is spent. */
  function spend(scope: string): boolean {
    const minute = Math.floor(now() / MINUTE_MS);
    const entry = spent.get(scope);
    if (!entry || entry.minute !== minute) {
      if (spent.size >= 10_000) spent.clear(); // bounded: scopes are channels, far fewer in practice
      spent.set(scope, { minute, calls: 1 });
      return true;
    }
    if (entry.calls >= budget) return false;
    entry.calls += 1;
    return true;
  }

  async function fetchKey(kid: string): Promise<EbayPublicKey | null> {
    let token: string;
    try {
      token = await options.getAccessToken();
    } catch (error) {
      throw new EbayKeyUnavailableError(`no eBay application token: ${error instanceof Error ? error.message : String(error)}`);
    }
    stats.fetches += 1;
    let res: Response;
    try {
      res = await fetch(`${base}${EBAY_PUBLIC_KEY_PATH}${encodeURIComponent(kid)}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new EbayKeyUnavailableError(`eBay getPublicKey failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // 404 is eBay saying the id does not exist. 400 is how eBay refuses an id it cannot read (treating it as a
    // verdict on the id is UNCONFIRMED; it is the fail-closed reading: the notification is refused, not accepted).
    if (res.status === 404 || res.status === 400) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new EbayKeyUnavailableError(`eBay getPublicKey answered HTTP ${res.status}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new EbayKeyUnavailableError('eBay getPublicKey answered with something that is not JSON');
    }
    const key = parseKey(body);
    if (!key) throw new EbayKeyUnavailableError('eBay getPublicKey answered without a PEM public key');
    return key;
  }

  return {
    async getPublicKey(kid: string, scope = ''): Promise<EbayPublicKey | null> {
      if (!KID_PATTERN.test(kid)) {
        stats.refusedIds += 1;
        return null;
      }
      const entry = cached(kid);
      if (entry) {
        stats.cacheHits += 1;
        return entry.key;
      }
      const pending = inFlight.get(kid);
      if (pending) return pending;
      if (!spend(scope)) {
        stats.overBudget += 1;
        throw new EbayKeyUnavailableError(`more than ${budget} eBay key lookups for unknown key ids this minute for this channel`);
      }
      const lookup = fetchKey(kid)
        .then((key) => {
          remember(kid, key);
          return key;
        })
        .finally(() => inFlight.delete(kid));
      inFlight.set(kid, lookup);
      return lookup;
    },
    stats: () => ({ ...stats }),
    clear: () => {
      known.clear();
      unknown.clear();
    },
  };
}
