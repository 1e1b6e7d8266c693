// Status lifecycles (reference 5.5), inventory per location and dependent-record delete blocking (5.6).
import { create, errorCode, salesOrder, transformAndSave, world } from './helpers';

describe('5.5 sales order: Pending Fulfillment -> Pending Billing -> Billed', () => {
  it('moves through partial fulfilment and billing, and back when a child is deleted', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 2 }, { item: w.shipping, quantity: 1 }]);
    const status = () => w.e.load('salesorder', so).fields.status;
    expect(status()).toBe('Pending Fulfillment');
    expect(w.e.load('salesorder', so).fields.statusRef).toBe('pendingFulfillment');
    transformAndSave(w.e, 'salesorder', so, 'itemfulfillment', (f) => { f.sublists.item![0]!.quantity = 1; });
    expect(status()).toBe('Pending Billing/Partially Fulfilled');
    const f2 = transformAndSave(w.e, 'salesorder', so, 'itemfulfillment');
    expect(status()).toBe('Pending Billing');
    transformAndSave(w.e, 'salesorder', so, 'invoice');
    expect(status()).toBe('Billed');
    expect(errorCode(() => w.e.delete('itemfulfillment', f2))).toBe('no error');
    expect(status()).toBe('Partially Fulfilled');
  });

  it('Pending Approval until approved; an order of service lines only needs no fulfilment', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }], { orderstatus: 'A' });
    expect(w.e.load('salesorder', so).fields.status).toBe('Pending Approval');
    w.e.submitFields('salesorder', so, { orderstatus: 'B' });
    expect(w.e.load('salesorder', so).fields.status).toBe('Pending Fulfillment');
    const svc = salesOrder(w, [{ item: w.service, quantity: 1 }]);
    expect(w.e.load('salesorder', svc).fields.status).toBe('Pending Billing');
    transformAndSave(w.e, 'salesorder', svc, 'cashsale');
    expect(w.e.load('salesorder', svc).fields.status).toBe('Billed');
  });

  it('an item fulfillment is Shipped unless shipstatus says Picked or Packed', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const f = transformAndSave(w.e, 'salesorder', so, 'itemfulfillment', (r) => { r.fields.shipstatus = 'B'; });
    expect(w.e.load('itemfulfillment', f).fields.status).toBe('Packed');
  });
});

describe('5.5 return authorization: Pending Receipt -> Pending Refund -> Refunded (Advanced Receiving)', () => {
  it('receives into the non-nettable holding location, then refunds by cash refund', () => {
    const w = world();
    const cs = create(w.e, 'cashsale', { entity: w.customer, location: w.main }, { item: [{ item: w.widget, quantity: 2 }] });
    const ra = transformAndSave(w.e, 'cashsale', cs, 'returnauthorization', (r) => { r.sublists.item![0]!.location = w.holding; });
    const status = () => w.e.load('returnauthorization', ra).fields.status;
    expect(w.e.load('returnauthorization', ra).fields.createdfrom).toBe(cs);
    expect(status()).toBe('Pending Receipt');
    transformAndSave(w.e, 'returnauthorization', ra, 'itemreceipt', (r) => { r.sublists.item![0]!.quantity = 1; });
    expect(status()).toBe('Pending Refund/Partially Received');
    transformAndSave(w.e, 'returnauthorization', ra, 'itemreceipt');
    expect(status()).toBe('Pending Refund');
    const cr = w.e.transform('returnauthorization', ra, 'cashrefund');
    expect(cr.fields.createdfrom).toBe(ra);
    expect(cr.sublists.item?.[0]).toMatchObject({ quantity: 2, rate: '19.99' });
    w.e.save(cr);
    expect(status()).toBe('Refunded');
    expect(w.e.load('returnauthorization', ra).fields.statusRef).toBe('refunded');
    expect(w.e.inventoryLevel(w.widget, w.holding)).toEqual({ onHand: 2, available: 0 });
  });
});

describe('inventory per item per location, on hand vs available (5.4), and blocked deletes (5.6)', () => {
  it('fulfilment decrements, receipt into a holding location adds on hand but not available, transfer makes it available', () => {
    const w = world();
    const item = () => w.e.load('inventoryitem', w.widget).fields;
    expect(item()).toMatchObject({ quantityonhand: 100, quantityavailable: 100 });
    const so = salesOrder(w, [{ item: w.widget, quantity: 3 }]);
    transformAndSave(w.e, 'salesorder', so, 'itemfulfillment');
    expect(item()).toMatchObject({ quantityonhand: 97, quantityavailable: 97 });
    const inv = transformAndSave(w.e, 'salesorder', so, 'invoice');
    const ra = transformAndSave(w.e, 'invoice', inv, 'returnauthorization', (r) => { r.sublists.item![0]!.location = w.holding; });
    transformAndSave(w.e, 'returnauthorization', ra, 'itemreceipt');
    expect(item()).toMatchObject({ quantityonhand: 100, quantityavailable: 97 });
    expect(w.e.load('inventoryitem', w.widget).sublists.locations).toEqual(expect.arrayContaining([
      { location: w.holding, quantityonhand: 3, quantityavailable: 0 },
    ]));
    create(w.e, 'inventorytransfer', { location: w.holding, transferlocation: w.main }, { inventory: [{ item: w.widget, adjustqtyby: 2 }] });
    expect(item()).toMatchObject({ quantityonhand: 100, quantityavailable: 99 });
    const adj = w.e.findByExternalId('inventoryadjustment', 'none');
    expect(adj).toBeNull();
    const adjId = create(w.e, 'inventoryadjustment', { account: w.bank, adjlocation: w.holding }, { inventory: [{ item: w.widget, adjustqtyby: -1 }] });
    expect(w.e.inventoryLevel(w.widget, w.holding)).toEqual({ onHand: 0, available: 0 });
    w.e.delete('inventoryadjustment', adjId);
    expect(w.e.inventoryLevel(w.widget, w.holding).onHand).toBe(1);
  });

  it('a standalone cash sale ships from its location; one billed from an order leaves stock to the fulfilment', () => {
    const w = world();
    create(w.e, 'cashsale', { entity: w.customer, location: w.main }, { item: [{ item: w.gadget, quantity: 4 }] });
    expect(w.e.inventoryLevel(w.gadget, w.main).onHand).toBe(46);
    const so = salesOrder(w, [{ item: w.gadget, quantity: 1 }]);
    transformAndSave(w.e, 'salesorder', so, 'cashsale');
    expect(w.e.inventoryLevel(w.gadget, w.main).onHand).toBe(46);
  });

  it('an inventory line without a location is refused', () => {
    const w = world();
    const so = create(w.e, 'salesorder', { entity: w.customer }, { item: [{ item: w.widget, quantity: 1 }] });
    expect(errorCode(() => transformAndSave(w.e, 'salesorder', so, 'itemfulfillment'))).toBe('USER_ERROR');
  });
});

describe('5.6 deletes blocked while dependent records exist', () => {
  it('a sales order with an invoice or a customer deposit cannot be deleted until they are', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const dep = create(w.e, 'customerdeposit', { customer: w.customer, salesorder: so, payment: '5.00' });
    const code = 'THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS';
    expect(errorCode(() => w.e.delete('salesorder', so))).toBe(code);
    w.e.delete('customerdeposit', dep);
    const inv = transformAndSave(w.e, 'salesorder', so, 'invoice');
    expect(errorCode(() => w.e.delete('salesorder', so))).toBe(code);
    const pay = transformAndSave(w.e, 'invoice', inv, 'customerpayment');
    expect(errorCode(() => w.e.delete('invoice', inv))).toBe(code);
    w.e.delete('customerpayment', pay);
    w.e.delete('invoice', inv);
    w.e.delete('salesorder', so);
    expect(errorCode(() => w.e.load('salesorder', so))).toBe('RCRD_DSNT_EXIST');
  });

  it('customers, items and locations used by transactions cannot be deleted; unused ones can', () => {
    const w = world();
    salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const code = 'THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS';
    expect(errorCode(() => w.e.delete('customer', w.customer))).toBe(code);
    expect(errorCode(() => w.e.delete('inventoryitem', w.widget))).toBe(code);
    expect(errorCode(() => w.e.delete('location', w.main))).toBe(code);
    w.e.delete('customer', w.other);
    expect(errorCode(() => w.e.load('customer', w.other))).toBe('RCRD_DSNT_EXIST');
  });
});
