/**
 * N/cache (reference 1.1): getCache({name, scope}) -> Cache with get/put/remove. Keys <= 4,096 bytes, values
 * <= 500 KB (non-strings are JSON.stringify'd), ttl minimum 300 s and no maximum. Units: get 1 (2 when the
 * loader runs), put 1, remove 1. The store lives on the account and survives executions; PRIVATE caches are
 * per script, PROTECTED and PUBLIC are shared (the local account has one bundle).
 * The error codes for a short ttl / long key / large value are UNCONFIRMED in the reference; the names below
 * describe the rule broken.
 */
import type { ExecutionSlot } from '../runtime/execution';
import { SuiteScriptError } from '../runtime/errors';
import { API_COSTS } from '../runtime/governance';

const Scope = { PRIVATE: 'PRIVATE', PROTECTED: 'PROTECTED', PUBLIC: 'PUBLIC' } as const;
const MIN_TTL_SECONDS = 300;
const MAX_KEY_BYTES = 4096;
const MAX_VALUE_BYTES = 500 * 1024;

function checkKey(key: unknown): string {
  if (key === undefined || key === null || key === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'cache: options.key is required.');
  }
  const k = String(key);
  if (Buffer.byteLength(k, 'utf8') > MAX_KEY_BYTES) {
    throw new SuiteScriptError('SSS_CACHE_KEY_TOO_LONG', `cache key is ${Buffer.byteLength(k, 'utf8')} bytes; the limit is ${MAX_KEY_BYTES}.`);
  }
  return k;
}

function checkTtl(ttl: unknown): number | null {
  if (ttl === undefined || ttl === null) return null;
  const n = Number(ttl);
  if (!Number.isFinite(n) || n < MIN_TTL_SECONDS) {
    throw new SuiteScriptError('SSS_INVALID_CACHE_TTL', `cache ttl must be at least ${MIN_TTL_SECONDS} seconds, got ${String(ttl)}.`);
  }
  return n;
}

function serialize(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  if (Buffer.byteLength(s ?? '', 'utf8') > MAX_VALUE_BYTES) {
    throw new SuiteScriptError('SSS_CACHE_VALUE_TOO_LARGE', `cache value is over ${MAX_VALUE_BYTES} bytes (500 KB).`);
  }
  return s ?? '';
}

export function createCacheModule(slot: ExecutionSlot): Record<string, unknown> {
  return {
    Scope,
    getCache(options: { name?: unknown; scope?: unknown } | undefined) {
      if (!options || !options.name) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'cache.getCache: options.name is required.');
      const name = String(options.name);
      const scope = String(options.scope ?? Scope.PRIVATE);
      const owner = scope === Scope.PRIVATE ? slot.current.script.scriptId : '*';
      const prefix = `${scope}\u0000${owner}\u0000${name}\u0000`;
      const store = () => slot.current.host.cacheStore();
      const live = (key: string) => {
        const hit = store().get(prefix + key);
        if (!hit) return null;
        if (hit.expiresAt <= slot.current.host.now()) {
          store().delete(prefix + key);
          return null;
        }
        return hit.value;
      };
      const put = (key: string, value: string, ttl: number | null) => {
        const expiresAt = ttl === null ? Number.POSITIVE_INFINITY : slot.current.host.now() + ttl * 1000;
        store().set(prefix + key, { value, expiresAt });
      };
      return {
        name,
        scope,
        get(o: { key?: unknown; loader?: unknown; ttl?: unknown } | undefined) {
          const key = checkKey(o?.key);
          const ttl = checkTtl(o?.ttl);
          const hit = live(key);
          if (hit !== null || typeof o?.loader !== 'function') {
            slot.current.meter.charge('cache.get', API_COSTS['cache.get']);
            return hit;
          }
          slot.current.meter.charge('cache.get', API_COSTS['cache.getWithLoader']);
          const loaded = (o.loader as (ctx: { key: string }) => unknown)({ key });
          if (loaded === null || loaded === undefined) return null;
          const value = serialize(loaded);
          put(key, value, ttl);
          return value;
        },
        put(o: { key?: unknown; value?: unknown; ttl?: unknown } | undefined) {
          const key = checkKey(o?.key);
          const ttl = checkTtl(o?.ttl);
          const value = serialize(o?.value);
          slot.current.meter.charge('cache.put', API_COSTS['cache.put']);
          put(key, value, ttl);
        },
        remove(o: { key?: unknown } | undefined) {
          const key = checkKey(o?.key);
          slot.current.meter.charge('cache.remove', API_COSTS['cache.remove']);
          store().delete(prefix + key);
        },
      };
    },
  };
}
