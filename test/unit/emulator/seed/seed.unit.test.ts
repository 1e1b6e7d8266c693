// Seed data (the format: emulator/seed/seed-schema.ts): format, default sandbox seed, loading, clear errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRecordEngine } from '../../../../emulator/records/engine';
import { defaultSandboxSeed, loadSeed, parseSeed, SeedError, seedSandbox } from '../../../../emulator/seed';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/seeds', name), 'utf8')) as unknown;
const engine = () => createRecordEngine({ accountId: 'TSTDRV123', now: () => new Date('2026-03-10T12:00:00Z') });

function messagesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SeedError) return err.messages;
    throw err;
  }
  return [];
}

describe('seed format and errors (DESIGN.md "Seed files")', () => {
  it('refuses unknown keys and bad values, naming each entry', () => {
    const messages = messagesOf(() => parseSeed(fixture('bad.seed.json')));
    expect(messages).toEqual(expect.arrayContaining([
      "customers[0]: unknown key 'nickname'",
      expect.stringMatching(/^items\[0\]\.type: /),
      expect.stringMatching(/^items\[0\]\.price: /),
    ]));
  });

  it('refuses unknown references with the entry path, after the shape is valid', () => {
    const messages = messagesOf(() => parseSeed({
      orders: [
        { customer: 'sandbox-cust-acme', billing: 'invoice', lines: [{ sku: 'LB-STOVE', quantity: 1 }] },
        { customer: 'Nobody', billing: 'cashsale', paid: true, lines: [{ sku: 'LB-STOVE', quantity: 1 }, { sku: 'XYZ', quantity: 1, price: '1.999' }] },
      ],
    }, defaultSandboxSeed()));
    expect(messages).toEqual([
      "orders[1].customer: unknown customer 'Nobody'",
      'orders[1].paid: only an invoiced order can be paid by a customer payment',
      "orders[1].lines[1].sku: unknown SKU 'XYZ'",
      "orders[1].lines[1].price: USD has 2 decimals, got '1.999'",
    ]);
  });

  it('without the default data as base, default SKUs are unknown; the default seed itself is valid', () => {
    expect(messagesOf(() => parseSeed({ orders: [{ customer: 'x', billing: 'none', lines: [{ sku: 'LB-STOVE', quantity: 1 }] }] })))
      .toEqual(["orders[0].customer: unknown customer 'x'", "orders[0].lines[0].sku: unknown SKU 'LB-STOVE'"]);
    expect(parseSeed(defaultSandboxSeed())).toEqual(defaultSandboxSeed());
    expect(messagesOf(() => parseSeed({ items: [{ sku: 'LB-STOVE', name: 'again', type: 'service', price: '1.00' }] }, defaultSandboxSeed())))
      .toEqual(["items[0].sku: duplicate SKU 'LB-STOVE'"]);
  });

  it('SeedError carries code INVALID_SEED and every message in its text', () => {
    try {
      parseSeed({ customers: 'nope' });
      throw new Error('expected a SeedError');
    } catch (err) {
      expect(err).toBeInstanceOf(SeedError);
      expect((err as SeedError).code).toBe('INVALID_SEED');
      expect((err as SeedError).message).toContain('customers');
    }
  });
});

describe('default sandbox seed (DESIGN.md; 5.4 non-nettable location, 5.5 statuses)', () => {
  it('loads customers, items of every type, locations with a non-nettable holding location, accounts and orders', () => {
    const e = engine();
    const r = loadSeed(e, defaultSandboxSeed());
    expect(Object.keys(r.items)).toEqual(expect.arrayContaining(['SHIPPING', 'REFUND-ADJUSTMENT', 'PROMO-10', 'LB-SETUP', 'LB-EGIFT-25']));
    const types = new Set(Object.values(r.items).map((id) => e.search({ type: 'item', filters: [['internalid', 'anyof', id]], columns: [] })[0]?.recordType));
    expect(types).toEqual(new Set(['inventoryitem', 'noninventoryitem', 'serviceitem', 'otherchargeitem', 'discountitem']));
    expect(e.load('location', r.locations['Returns Holding']!).fields.makeinventoryavailable).toBe(false);
    expect(e.load('account', r.accounts['Undeposited Funds']!).fields).toMatchObject({ accttype: 'OthCurrAsset', isundepfunds: true });
    expect(e.load('account', r.accounts.Checking!).fields.accttype).toBe('Bank');
    const tent = e.load('inventoryitem', r.items['LB-TENT-2P']!).fields;
    // 50 + 3 seeded, 1 shipped by order 1001 (order 1004 is unbilled and unshipped).
    expect(tent).toMatchObject({ quantityonhand: 52, quantityavailable: 49 });
  });

  it('orders cover cash sale, paid invoice, open invoice, unbilled with deposit, and a EUR order', () => {
    const e = engine();
    const { orders } = loadSeed(e, defaultSandboxSeed());
    const cash = orders['sandbox-order-1001']!;
    expect(e.load('salesorder', cash.salesOrder).fields.status).toBe('Billed');
    expect(e.load('cashsale', cash.cashSale!).fields).toMatchObject({ total: '208.95', status: 'Not Deposited' });
    const paid = orders['sandbox-order-1002']!;
    expect(e.load('invoice', paid.invoice!).fields).toMatchObject({ total: '108.95', status: 'Paid In Full' });
    expect(e.load('customerpayment', paid.payment!).fields.payment).toBe('108.95');
    const open = orders['sandbox-order-1003']!;
    expect(e.load('invoice', open.invoice!).fields).toMatchObject({ total: '89.50', amountremaining: '89.50', status: 'Open' });
    const unbilled = orders['sandbox-order-1004']!;
    expect(e.load('salesorder', unbilled.salesOrder).fields.status).toBe('Pending Fulfillment');
    expect(e.load('customerdeposit', unbilled.customerDeposit!).fields).toMatchObject({ payment: '234.00', salesorder: unbilled.salesOrder, status: 'Not Deposited' });
    const eur = orders['sandbox-order-1005']!;
    const eurSale = e.load('cashsale', eur.cashSale!);
    expect(eurSale.fields.total).toBe('98.90');
    expect(e.textOf('cashsale', 'currency', eurSale.fields.currency ?? null)).toBe('Euro');
    expect(e.load('salesorder', cash.salesOrder).fields).toMatchObject({ externalid: 'sandbox-order-1001', otherrefnum: '1001' });
  });

  it('loading twice is idempotent by externalId', () => {
    const e = engine();
    const first = loadSeed(e, defaultSandboxSeed());
    const count = () => e.search({ type: 'transaction', filters: [['mainline', 'is', 'T']], columns: [] }).length;
    const before = count();
    const second = loadSeed(e, defaultSandboxSeed());
    expect(second).toEqual(first);
    expect(count()).toBe(before);
  });

  it('a user seed adds to the default data and may use its SKUs and locations', () => {
    const e = engine();
    const r = seedSandbox(e, fixture('extra-store.seed.json'));
    expect(r.orders['sandbox-order-1001']).toBeDefined();
    const order = r.orders['shop-order-5001']!;
    expect(e.load('invoice', order.invoice!).fields).toMatchObject({ total: '84.92', status: 'Open' });
    expect(e.load('inventoryitem', r.items['LB-LANTERN']!).fields.quantityonhand).toBe(37);
    expect(() => seedSandbox(engine(), fixture('bad.seed.json'))).toThrow(SeedError);
  });
});
