/**
 * JSON parsing for untrusted platform payloads:
 * - integers beyond Number.MAX_SAFE_INTEGER stay exact, as strings (Shopify ids exceed 2^53; `JSON.parse` would
 *   round them silently);
 * - nesting deeper than `maxDepth` is refused (a deeply nested body cannot exhaust the stack);
 * - duplicate keys keep the last value, as `JSON.parse` does; `__proto__` is an ordinary key (no prototype change).
 * Strings and other numbers are decoded by `JSON.parse` itself on each token, so escapes follow the spec exactly.
 *
 * Why not a library (evaluated: lossless-json 4.3, json-bigint 1.0):
 *   - lossless-json keeps big integers (a custom number parser can turn unsafe ones into strings) and treats
 *     `__proto__` as an ordinary key, but throws on a duplicate key with a different value (`{"a":1,"a":2}`), where
 *     platform payloads are read like `JSON.parse` (last wins); and it has no depth limit: deep nesting ends in a
 *     `RangeError` (stack overflow) at whatever depth the stack allows, not a coded refusal at `maxDepth`.
 *   - json-bigint (`storeAsString`, `protoAction: 'preserve'`) keeps big integers and last-wins duplicates, but
 *     returns objects with a null prototype (callers expect plain objects) and has no depth limit either.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export class JsonParseError extends Error {
  constructor(
    readonly code: 'invalid_json' | 'json_too_deep',
    message: string,
  ) {
    super(message);
    this.name = 'JsonParseError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function parseJsonSafe(text: string, maxDepth = 64): JsonValue {
  let i = 0;

  const fail = (what: string): never => {
    throw new JsonParseError('invalid_json', `${what} at position ${i}`);
  };
  const skip = (): void => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
  };

  function parseString(): string {
    const start = i;
    i++; // opening quote
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) i++;
      else if (c < 0x20) fail('control character in string');
      i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad string escape');
    }
  }

  function parseValue(depth: number): JsonValue {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) throw new JsonParseError('json_too_deep', `nesting deeper than ${maxDepth} levels`);
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) return fail('unexpected token');
    i = NUMBER.lastIndex;
    const literal = match[0];
    const value = Number(literal);
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value)) return literal;
    return value;
  }

  function parseObject(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    i++;
    skip();
    if (text[i] === '}') return i++, out;
    for (;;) {
      skip();
      if (text[i] !== '"') fail('expected a key');
      const key = parseString();
      skip();
      if (text[i] !== ':') fail('expected ":"');
      i++;
      Object.defineProperty(out, key, { value: parseValue(depth), enumerable: true, writable: true, configurable: true });
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return i++, out;
      fail('expected "," or "}"');
    }
  }

  function parseArray(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    i++;
    skip();
    if (text[i] === ']') return i++, out;
    for (;;) {
      out.push(parseValue(depth));
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return i++, out;
      fail('expected "," or "]"');
    }
  }

  const value = parseValue(0);
  skip();
  if (i !== text.length) fail('unexpected text after the JSON value');
  return value;
}

/** Decodes UTF-8 strictly: invalid byte sequences are an error, never replaced. Strips a leading BOM. */
export function decodeUtf8Strict(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
