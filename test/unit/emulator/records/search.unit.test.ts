// search(query) with NetSuite's filter shapes and lookupFields (reference 1.1: select -> [{value,text}],
// scalar otherwise, unknown column -> SSS_INVALID_SRCH_COL).
import { create, errorCode, salesOrder, transformAndSave, world, type World } from './helpers';

function orders(w: World) {
  const a = salesOrder(w, [{ item: w.widget, quantity: 2 }, { item: w.shipping, quantity: 1 }], { externalid: 'shop-1001', memo: 'Gift order' });
  const b = salesOrder(w, [{ item: w.gadget, quantity: 1 }], { externalid: 'shop-1002' });
  const c = create(w.e, 'salesorder', { entity: w.other, location: w.main, externalid: 'shop-1003', trandate: '2026-01-15' }, { item: [{ item: w.widget, quantity: 10 }] });
  transformAndSave(w.e, 'salesorder', b, 'itemfulfillment');
  return { a, b, c };
}

describe('1.1/5.5 search filters, columns and status codes', () => {
  it('expression arrays with AND, OR, NOT and nested groups; status by Type:Letter', () => {
    const w = world();
    const { a, b, c } = orders(w);
    const ids = (filters: unknown[]) => w.e.search({ type: 'salesorder', filters: [['mainline', 'is', 'T'], 'AND', filters], columns: [] }).map((r) => r.id);
    expect(ids([['status', 'anyof', ['SalesOrd:B']]])).toEqual([a, c]);
    expect(ids([['status', 'anyof', 'SalesOrd:F', 'SalesOrd:G']])).toEqual([b]);
    expect(ids([['externalid', 'is', 'shop-1001'], 'OR', ['externalid', 'is', 'shop-1003']])).toEqual([a, c]);
    expect(ids(['NOT', ['externalid', 'is', 'shop-1001']])).toEqual([b, c]);
    expect(ids([[['entity', 'anyof', w.customer], 'AND', ['total', 'greaterthan', '10']], 'OR', ['memo', 'contains', 'nothing']])).toEqual([a]);
    expect(ids([['internalid', 'anyof', [b, c]], 'AND', ['trandate', 'before', '3/1/2026']])).toEqual([c]);
    expect(ids([['memo', 'isempty', '']])).toEqual([b, c]);
    expect(ids([['memo', 'startswith', 'gift']])).toEqual([a]);
    expect(ids([['total', 'between', '5', '50']])).toEqual([a, b]);
  });

  it('filter objects {name, join, operator, values} are ANDed; joins reach one level', () => {
    const w = world();
    const { c } = orders(w);
    const rows = w.e.search({
      type: 'salesorder',
      filters: [
        { name: 'mainline', operator: 'is', values: ['T'] },
        { name: 'lastname', join: 'customer', operator: 'is', values: ['Lovelace'] },
      ],
      columns: [{ name: 'tranid' }],
    });
    expect(rows.map((r) => r.id)).toEqual([c]);
  });

  it('transactions: main line plus one row per line without a mainline filter; line rows with mainline F', () => {
    const w = world();
    const { a } = orders(w);
    const all = w.e.search({ type: 'salesorder', filters: [['internalid', 'anyof', a]], columns: [{ name: 'item' }, { name: 'mainline' }] });
    expect(all.map((r) => r.values.mainline?.value)).toEqual(['*', '', '']);
    const lines = w.e.search({ type: 'salesorder', filters: [['internalid', 'anyof', a], 'AND', ['mainline', 'is', 'F']], columns: [{ name: 'item' }, { name: 'amount' }] });
    expect(lines.map((r) => [r.values.item?.text, r.values.amount?.value])).toEqual([['WIDGET', '39.98'], ['SHIPPING', '4.95']]);
    const byItem = w.e.search({ type: 'salesorder', filters: [['item', 'anyof', w.shipping]], columns: [] });
    expect(byItem.map((r) => r.id)).toEqual([a]);
  });

  it('search type "transaction" spans record types; type filter by code', () => {
    const w = world();
    const { b } = orders(w);
    const rows = w.e.search({ type: 'transaction', filters: [['mainline', 'is', 'T'], 'AND', ['type', 'anyof', 'ItemShip']], columns: [{ name: 'createdfrom' }, { name: 'tranid', join: 'createdfrom' }, { name: 'type' }] });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.recordType).toBe('itemfulfillment');
    expect(rows[0]?.values.createdfrom).toEqual({ value: b, text: expect.stringMatching(/^Sales Order #/) });
    expect(rows[0]?.values['createdfrom.tranid']?.value).toBe(w.e.load('salesorder', b).fields.tranid);
    expect(rows[0]?.values.type).toEqual({ value: 'ItemShip', text: 'Item Fulfillment' });
  });

  it('columns carry select and status text; sort ASC/DESC; summary GROUP/COUNT/SUM', () => {
    const w = world();
    orders(w);
    const rows = w.e.search({ type: 'salesorder', filters: [['mainline', 'is', 'T']], columns: [{ name: 'entity', sort: 'ASC' }, { name: 'total', sort: 'DESC' }, { name: 'status' }] });
    expect(rows.map((r) => [r.values.entity?.text, r.values.total?.value])).toEqual([
      ['Acme Ltd', '44.93'], ['Acme Ltd', '5.00'], ['Ada Lovelace', '199.90'],
    ]);
    expect(rows[0]?.values.status).toEqual({ value: 'pendingFulfillment', text: 'Pending Fulfillment' });
    const summary = w.e.search({
      type: 'salesorder', filters: [['mainline', 'is', 'T']],
      columns: [{ name: 'entity', summary: 'GROUP', sort: 'ASC' }, { name: 'internalid', summary: 'COUNT' }, { name: 'total', summary: 'SUM' }],
    });
    expect(summary.map((r) => [r.values.entity?.text, r.values.internalid?.value, r.values.total?.value])).toEqual([
      ['Acme Ltd', 2, '49.93'], ['Ada Lovelace', 1, '199.90'],
    ]);
  });

  it('bad operators, unknown fields and malformed expressions are refused', () => {
    const w = world();
    expect(errorCode(() => w.e.search({ type: 'salesorder', filters: [['status', 'like', 'x']], columns: [] }))).toBe('SSS_INVALID_SRCH_OPERATOR');
    expect(errorCode(() => w.e.search({ type: 'salesorder', filters: [['nosuchfield', 'is', 'x']], columns: [] }))).toBe('SSS_INVALID_SRCH_FILTER');
    expect(errorCode(() => w.e.search({ type: 'salesorder', filters: [['memo', 'is', 'x'], 'AND'], columns: [] }))).toBe('SSS_INVALID_SRCH_FILTER_EXPR');
    expect(errorCode(() => w.e.search({ type: 'salesorder', filters: [], columns: [{ name: 'nosuchcolumn' }] }))).toBe('SSS_INVALID_SRCH_COL');
    expect(errorCode(() => w.e.search({ type: 'spaceship', filters: [], columns: [] }))).toBe('SSS_INVALID_RECORD_TYPE');
  });

  it('non-transaction searches: items by itemid and quantity, customers by email', () => {
    const w = world();
    const items = w.e.search({ type: 'item', filters: [['quantityonhand', 'greaterthan', 60]], columns: [{ name: 'itemid' }] });
    expect(items.map((r) => r.values.itemid?.value)).toEqual(['WIDGET']);
    const customers = w.e.search({ type: 'customer', filters: [['email', 'is', 'AP@acme.test']], columns: [] });
    expect(customers.map((r) => r.id)).toEqual([w.customer]);
  });
});

describe('1.1 lookupFields', () => {
  it('select -> [{value,text}], scalars as text, checkbox boolean, joins, unknown column SSS_INVALID_SRCH_COL', () => {
    const w = world();
    const { a } = orders(w);
    const r = w.e.lookupFields('salesorder', a, ['entity', 'status', 'total', 'trandate', 'externalid', 'memo', 'customer.email', 'currency']);
    expect(r).toEqual({
      entity: [{ value: w.customer, text: 'Acme Ltd' }],
      status: [{ value: 'pendingFulfillment', text: 'Pending Fulfillment' }],
      total: '44.93',
      trandate: '3/10/2026',
      externalid: 'shop-1001',
      memo: 'Gift order',
      'customer.email': 'ap@acme.test',
      currency: [{ value: '1', text: 'US Dollar' }],
    });
    expect(w.e.lookupFields('location', w.holding, ['makeinventoryavailable', 'name'])).toEqual({ makeinventoryavailable: false, name: 'Returns Holding' });
    expect(w.e.lookupFields('salesorder', a, ['createdfrom'])).toEqual({ createdfrom: [] });
    expect(errorCode(() => w.e.lookupFields('salesorder', a, ['nosuchcolumn']))).toBe('SSS_INVALID_SRCH_COL');
    expect(errorCode(() => w.e.lookupFields('salesorder', '9999', ['entity']))).toBe('RCRD_DSNT_EXIST');
  });

  it('textOf gives entity, item, location, account and status names', () => {
    const w = world();
    expect(w.e.textOf('salesorder', 'entity', w.other)).toBe('Ada Lovelace');
    expect(w.e.textOf('salesorder', 'item', w.widget)).toBe('WIDGET');
    expect(w.e.textOf('salesorder', 'location', w.holding)).toBe('Returns Holding');
    expect(w.e.textOf('deposit', 'account', w.bank)).toBe('Operating Bank');
    expect(w.e.textOf('salesorder', 'status', 'pendingBilling')).toBe('Pending Billing');
    expect(w.e.textOf('salesorder', 'memo', null)).toBe('');
  });
});
