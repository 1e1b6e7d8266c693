import { JsonNumber, JsonParseError, jsonId, parseJson, stringifyJson } from '../../../../middleware/connectors/shared/json';
import { randomInt, seededRandom } from '../../core/prng';

describe('bigint-safe JSON', () => {
  it('keeps integers above 2^53 exact, as strings', () => {
    const text = '{"id": 9007199254740993, "neg": -12345678901234567890, "small": 42, "price": 41.94}';
    expect(JSON.parse(text).id).toBe(9007199254740992); // what JSON.parse would have done
    expect(parseJson(text)).toEqual({ id: '9007199254740993', neg: '-12345678901234567890', small: 42, price: 41.94 });
  });

  it('agrees with JSON.parse on ordinary documents', () => {
    const doc = { a: [1, -2.5, 'x\n"y"', true, false, null, { b: {} }], 'ü\u2028': '\u00e9', e: 1e-7, big: 1.5e300, z: [] };
    const text = JSON.stringify(doc, null, 2);
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('agrees with JSON.parse on 500 generated documents', () => {
    const random = seededRandom(99);
    const gen = (depth: number): unknown => {
      const k = randomInt(random, 0, depth > 3 ? 3 : 5);
      if (k === 0) return randomInt(random, -1e9, 1e9) / (random() < 0.5 ? 100 : 1);
      if (k === 1) return String.fromCharCode(...Array.from({ length: randomInt(random, 0, 8) }, () => randomInt(random, 1, 0x2fff)));
      if (k === 2) return random() < 0.5;
      if (k === 3) return null;
      if (k === 4) return Array.from({ length: randomInt(random, 0, 4) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: randomInt(random, 0, 4) }, (_, i) => [`k${i}`, gen(depth + 1)]));
    };
    for (let i = 0; i < 500; i += 1) {
      const text = JSON.stringify(gen(0));
      expect(parseJson(text)).toEqual(JSON.parse(text));
    }
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1 2]', '01', '{"a" 1}', 'nul', '"abc', '{} x', "{'a':1}"]) {
      expect(() => parseJson(bad)).toThrow(JsonParseError);
    }
  });

  it('writes JsonNumber values as bare literals', () => {
    const text = stringifyJson({ line_item_id: jsonId('9007199254740993'), sku: jsonId('ABC-1'), n: new JsonNumber('12') });
    expect(text).toBe('{"line_item_id":9007199254740993,"sku":"ABC-1","n":12}');
    expect(parseJson(text)).toEqual({ line_item_id: '9007199254740993', sku: 'ABC-1', n: 12 });
    expect(() => new JsonNumber('12a')).toThrow(TypeError);
  });
});
