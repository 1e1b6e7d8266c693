import { decodeUtf8Strict, JsonParseError, parseJsonSafe } from '../../../middleware/lib/safe-json';

describe('parseJsonSafe', () => {
  it('keeps integers beyond 2^53 exact, as strings, where JSON.parse rounds them', () => {
    const text = '{"id":820982911946154508,"small":42,"price":"19.99","ratio":1.5,"neg":-9007199254740993}';
    expect(JSON.parse(text).id).toBe(820982911946154500);
    const parsed = parseJsonSafe(text) as Record<string, unknown>;
    expect(parsed.id).toBe('820982911946154508');
    expect(parsed.neg).toBe('-9007199254740993');
    expect(parsed.small).toBe(42);
    expect(parsed.ratio).toBe(1.5);
    expect(parsed.price).toBe('19.99');
  });

  it('parses what JSON.parse parses, escapes included', () => {
    const samples = ['{"a":[1,2,{"b":null}],"c":true,"d":false}', '"\\u00e9\\n\\"x\\""', '[]', ' {"k" : [ ] } ', '1e3', '-0.5'];
    for (const s of samples) expect(parseJsonSafe(s)).toEqual(JSON.parse(s));
  });

  it('refuses malformed JSON with invalid_json', () => {
    for (const bad of ['', '{', '{"a":}', '[1,]', '{"a":1}x', "{'a':1}", 'NaN', '01', '"\u0001"', '{"a" 1}']) {
      expect(() => parseJsonSafe(bad)).toThrow(JsonParseError);
      try {
        parseJsonSafe(bad);
      } catch (e) {
        expect((e as JsonParseError).code).toBe('invalid_json');
      }
    }
  });

  it('refuses nesting deeper than the limit without exhausting the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJsonSafe(deep)).toThrow(expect.objectContaining({ code: 'json_too_deep' }));
    expect(parseJsonSafe('[[[1]]]', 3)).toEqual([[[1]]]);
    expect(() => parseJsonSafe('[[[[1]]]]', 3)).toThrow(expect.objectContaining({ code: 'json_too_deep' }));
  });

  it('treats __proto__ as an ordinary key', () => {
    const parsed = parseJsonSafe('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});

describe('decodeUtf8Strict', () => {
  it('decodes valid UTF-8 and refuses invalid sequences instead of replacing them', () => {
    expect(decodeUtf8Strict(Buffer.from('{"name":"Zoë"}'))).toBe('{"name":"Zoë"}');
    expect(decodeUtf8Strict(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBeUndefined();
    expect(decodeUtf8Strict(Buffer.from([0xc3]))).toBeUndefined();
  });
});
