/**
 * JSON that keeps big integers. Shopify ids exceed 2^53 and JSON.parse silently rounds them (9007199254740993
 * becomes ...992), so provider bodies are parsed here, BEFORE zod: an integer literal outside the safe range is kept
 * as its exact digit string; every other value is what JSON.parse would give. The writer does the reverse for ids we
 * send: a `JsonNumber` is written as a bare number literal from its exact text.
 *
 * Why not lossless-json (4.3): it would parse big integers exactly, but it throws on a duplicate key with a different
 * value (provider bodies are read with JSON.parse's last-wins rule) and has no depth limit of its own (deep nesting
 * is a stack overflow instead of a "nesting too deep" parse error); the writer here is a JSON.stringify replacer
 * away. middleware/lib/safe-json.ts records the same evaluation for intake.
 */

export class JsonParseError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'JsonParseError';
  }
}

/** A number written verbatim by `stringifyJson` (e.g. a 64-bit id held as a string). */
export class JsonNumber {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new TypeError(`'${text}' is not a JSON number`);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text; integers beyond Number.MAX_SAFE_INTEGER come back as strings of their exact digits. */
export function parseJson(text: string): unknown {
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonParseError(`${what} at position ${pos}`, pos);
  };
  const skip = () => {
    while (pos < text.length && WHITESPACE.has(text[pos] as string)) pos += 1;
  };
  const expect = (literal: string) => {
    if (text.startsWith(literal, pos)) pos += literal.length;
    else fail(`expected '${literal}'`);
  };

  const parseString = (): string => {
    // Find the closing quote, then let JSON.parse decode the escapes of this one string.
    const start = pos;
    pos += 1;
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '\\') pos += 2;
      else if (ch === '"') break;
      else pos += 1;
    }
    if (pos >= text.length) fail('unterminated string');
    pos += 1;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('invalid string');
    }
  };

  const parseNumber = (): number | string => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (!m) return fail('invalid number');
    const literal = m[0];
    pos += literal.length;
    const value = Number(literal);
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value)) return literal.replace(/^(-?)0+(?=\d)/, '$1');
    return value;
  };

  const parseValue = (depth: number): unknown => {
    if (depth > 512) fail('nesting too deep');
    skip();
    const ch = text[pos];
    if (ch === '{') {
      pos += 1;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[pos] === '}') {
        pos += 1;
        return obj;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail('expected a property name');
        const key = parseString();
        skip();
        expect(':');
        const value = parseValue(depth + 1);
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        expect('}');
        return obj;
      }
    }
    if (ch === '[') {
      pos += 1;
      const arr: unknown[] = [];
      skip();
      if (text[pos] === ']') {
        pos += 1;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        expect(']');
        return arr;
      }
    }
    if (ch === '"') return parseString();
    if (ch === 't') return (expect('true'), true);
    if (ch === 'f') return (expect('false'), false);
    if (ch === 'n') return (expect('null'), null);
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
    return fail('unexpected token');
  };

  const value = parseValue(0);
  skip();
  if (pos !== text.length) fail('unexpected trailing text');
  return value;
}

/** JSON.stringify that writes `JsonNumber` values as bare number literals. */
export function stringifyJson(value: unknown): string {
  const marks = new Map<string, string>();
  let counter = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof JsonNumber) {
      const mark = `\u0000jsonnumber${counter++}\u0000`;
      marks.set(mark, v.text);
      return mark;
    }
    return v;
  });
  if (marks.size === 0) return json;
  // JSON.stringify escapes U+0000 as \u0000, so the quoted marks are unambiguous in the output.
  return json.replace(/"\\u0000jsonnumber(\d+)\\u0000"/g, (_m, n: string) => marks.get(`\u0000jsonnumber${n}\u0000`) ?? 'null');
}

/** An id for a request body: a bare JSON number when it is all digits (how providers expect ids), else a string. */
export function jsonId(id: string): JsonNumber | string {
  return /^(0|[1-9]\d*)$/.test(id) ? new JsonNumber(id) : id;
}
