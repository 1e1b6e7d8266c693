// Seed files: a file that is not JSON is refused with file:line:column; a seed with several bad entries names
// every one of them (shape errors and reference errors together), not just the first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findJsonSyntaxError } from '../../../../emulator/json-errors';
import { defaultSandboxSeed, parseSeed, parseSeedText, readSeedFile, SeedError } from '../../../../emulator/seed';

function seedError(fn: () => unknown): SeedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SeedError) return err;
    throw err;
  }
  throw new Error('expected a SeedError');
}

describe('seed files that are not JSON', () => {
  it('names file, line and column of the first syntax error', () => {
    const text = '{\n  "customers": [\n    { "name": "A" },\n    { "name": "B" }\n  ],\n  "items": [\n    { "sku": "X", }\n  ]\n}\n';
    const err = seedError(() => parseSeedText(text, 'seed.json'));
    expect(err.messages).toEqual(["seed.json:7:19: Unexpected token '}'"]);
    expect(err.message).toContain('Invalid seed seed.json');
  });

  it.each([
    ['{"a": 1', '1:8: Unexpected end of input'],
    ['{"a": "open', '1:7: Unterminated string'],
    ['{"a": tru}', "1:10: Unexpected token '}'"],
    ['{"a": 01}', "1:8: Unexpected token '1'"],
    ["{'a': 1}", "1:2: Unexpected token '''"],
    ['{"a": 1}\n\nx', "3:1: Unexpected token 'x'"],
    ['[1, 2,]', "1:7: Unexpected token ']'"],
    ['{"a": "\\q"}', '1:9: Bad escape in string'],
  ])('%j -> %s', (text, where) => {
    expect(seedError(() => parseSeedText(text, 'f.json')).messages).toEqual([`f.json:${where}`]);
  });

  it('the scanner accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', '"x"', '-0.5e+3', ' {"a": [true, false, null, {"b": "\\u00e9\\n"}]} ', '\ufeff{"bom": 1}']) {
      expect(findJsonSyntaxError(text)).toBeNull();
    }
  });

  it('an empty file and a missing file are refused by name', () => {
    expect(seedError(() => parseSeedText('  \n', 'empty.json')).messages).toEqual(['empty.json: the file is empty']);
    const missing = path.join(os.tmpdir(), 'lb-no-such-seed.json');
    expect(seedError(() => readSeedFile(missing)).messages).toEqual([`${missing}: cannot be read (ENOENT)`]);
  });

  it('readSeedFile reads a valid file (references into the default data allowed)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-seed-'));
    try {
      const file = path.join(dir, 'seed.json');
      fs.writeFileSync(file, JSON.stringify({ orders: [{ customer: 'sandbox-cust-acme', billing: 'none', lines: [{ sku: 'LB-STOVE', quantity: 1 }] }] }, null, 2));
      expect(readSeedFile(file, defaultSandboxSeed()).orders).toHaveLength(1);
      fs.writeFileSync(file, '{\n  "orders": [\n    { "customer": "x" billing: 1 }\n  ]\n}');
      expect(seedError(() => readSeedFile(file)).messages).toEqual([`${file}:3:23: Unexpected token 'b'`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a seed with several bad entries names all of them', () => {
  it('reports every malformed entry and every bad reference of the well-formed ones, in file order', () => {
    const err = seedError(() => parseSeed({
      customers: [
        { name: 'Good Co' },
        { name: 'Bad Co', nickname: 'bc' },
        { email: 'no-name@example.test' },
      ],
      items: [
        { sku: 'OK-1', name: 'ok', type: 'inventory', price: '1.00', stock: [{ location: 'Nowhere', quantity: 1 }] },
        { sku: 'BAD-1', name: 'bad', type: 'gadget', price: 12.5 },
        { sku: 'OK-1', name: 'again', type: 'service', price: '2.00' },
      ],
      locations: [{ name: 'Main' }, { name: '' }],
      orders: [
        { customer: 'Bad Co', billing: 'invoice', lines: [{ sku: 'BAD-1', quantity: 1 }] },
        { customer: 'Nobody', billing: 'cashsale', paid: true, lines: [{ sku: 'XYZ', quantity: 1, price: '1.999' }] },
        { customer: 'Good Co', billing: 'refund', lines: [] },
      ],
      extra: [],
    }, undefined, 'multi.json'));
    expect(err.messages).toEqual([
      "(root): unknown key 'extra'",
      "customers[1]: unknown key 'nickname'",
      'customers[2]: needs a name (company) or a lastName',
      expect.stringMatching(/^items\[1\]\.type: /),
      expect.stringMatching(/^items\[1\]\.price: /),
      'locations[1].name: must not be empty',
      expect.stringMatching(/^orders\[2\]\.billing: /),
      'orders[2].lines: an order needs at least one line',
      // Reference checks of the well-formed entries; a malformed entry's name still counts as known
      // (orders[0] points at 'Bad Co' and 'BAD-1' and is not reported again).
      "items[0].stock[0].location: unknown location 'Nowhere'",
      "items[2].sku: duplicate SKU 'OK-1'",
      "orders[1].customer: unknown customer 'Nobody'",
      'orders[1].paid: only an invoiced order can be paid by a customer payment',
      "orders[1].lines[0].sku: unknown SKU 'XYZ'",
      "orders[1].lines[0].price: USD has 2 decimals, got '1.999'",
    ]);
    expect(err.message.split('\n')).toHaveLength(err.messages.length + 1);
    expect(err.message).toMatch(/^Invalid seed multi\.json:/);
  });

  it('refuses a seed that is not an object, and kinds that are not arrays', () => {
    expect(seedError(() => parseSeed([])).messages).toEqual(['(root): must be a JSON object with the arrays customers, items, locations, accounts, orders']);
    expect(seedError(() => parseSeed({ customers: 'nope', orders: {} })).messages).toEqual(['customers: must be an array', 'orders: must be an array']);
  });
});
