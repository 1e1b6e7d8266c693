// Transform pairs (reference 5.2), createdfrom links and remaining quantities, create/copy restrictions (5.3).
import { create, errorCode, salesOrder, transformAndSave, world } from './helpers';

describe('5.2 supported record.transform pairs', () => {
  it('5.2: cashsale -> cashrefund allowed; creditmemo -> customerrefund refused (INVALID_RCRD_TRANSFRM)', () => {
    const w = world();
    const cs = create(w.e, 'cashsale', { entity: w.customer, location: w.main }, { item: [{ item: w.widget, quantity: 1 }] });
    const refund = w.e.transform('cashsale', cs, 'cashrefund');
    expect(refund.fields.createdfrom).toBe(cs);
    const cm = create(w.e, 'creditmemo', { entity: w.customer }, { item: [{ item: w.service, quantity: 1 }] });
    expect(errorCode(() => w.e.transform('creditmemo', cm, 'customerrefund'))).toBe('INVALID_RCRD_TRANSFRM');
  });

  it('5.2: pairs outside the table are refused, e.g. salesorder -> creditmemo, invoice -> cashrefund, itemfulfillment -> itemreceipt', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const inv = transformAndSave(w.e, 'salesorder', so, 'invoice');
    const ful = transformAndSave(w.e, 'salesorder', so, 'itemfulfillment');
    expect(errorCode(() => w.e.transform('salesorder', so, 'creditmemo'))).toBe('INVALID_RCRD_TRANSFRM');
    expect(errorCode(() => w.e.transform('invoice', inv, 'cashrefund'))).toBe('INVALID_RCRD_TRANSFRM');
    expect(errorCode(() => w.e.transform('itemfulfillment', ful, 'itemreceipt'))).toBe('INVALID_RCRD_TRANSFRM');
    expect(errorCode(() => w.e.transform('customer', w.customer, 'customerrefund'))).toBe('INVALID_RCRD_TRANSFRM');
  });

  it('5.2: every listed pair between known types works', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 2 }]);
    for (const to of ['itemfulfillment', 'invoice', 'cashsale', 'returnauthorization']) {
      expect(w.e.transform('salesorder', so, to).type).toBe(to);
    }
    for (const to of ['salesorder', 'invoice', 'cashsale', 'customerpayment']) {
      expect(w.e.transform('customer', w.customer, to).type).toBe(to);
    }
    const inv = transformAndSave(w.e, 'salesorder', so, 'invoice');
    for (const to of ['customerpayment', 'creditmemo', 'returnauthorization']) expect(w.e.transform('invoice', inv, to).type).toBe(to);
    const ra = transformAndSave(w.e, 'invoice', inv, 'returnauthorization');
    for (const to of ['itemreceipt', 'creditmemo', 'cashrefund']) expect(w.e.transform('returnauthorization', ra, to).type).toBe(to);
    const cr = transformAndSave(w.e, 'returnauthorization', ra, 'cashrefund');
    expect(w.e.transform('cashrefund', cr, 'creditmemo').type).toBe('creditmemo');
    const dep = create(w.e, 'customerdeposit', { customer: w.customer, payment: '10.00', salesorder: so });
    for (const to of ['customerrefund', 'depositapplication']) expect(w.e.transform('customerdeposit', dep, to).type).toBe(to);
    const pay = transformAndSave(w.e, 'invoice', inv, 'customerpayment', (p) => { p.fields.payment = '50.00'; });
    expect(w.e.transform('customerpayment', pay, 'customerrefund').type).toBe('customerrefund');
  });

  it('5.2: a missing source or nothing left to transform throws INVALID_INITIALIZE_REF; unknown types SSS_INVALID_RECORD_TYPE', () => {
    const w = world();
    expect(errorCode(() => w.e.transform('salesorder', '4242', 'invoice'))).toBe('INVALID_INITIALIZE_REF');
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    transformAndSave(w.e, 'salesorder', so, 'invoice');
    expect(errorCode(() => w.e.transform('salesorder', so, 'invoice'))).toBe('INVALID_INITIALIZE_REF');
    expect(errorCode(() => w.e.transform('salesorder', so, 'customsalestransaction'))).toBe('SSS_INVALID_RECORD_TYPE');
    const pending = salesOrder(w, [{ item: w.widget, quantity: 1 }], { orderstatus: 'A' });
    expect(errorCode(() => w.e.transform('salesorder', pending, 'itemfulfillment'))).toBe('INVALID_INITIALIZE_REF');
  });
});

describe('5.4 createdfrom and lines copied with remaining quantities', () => {
  it('a partial fulfilment leaves the rest for the next one; fulfilments carry only fulfillable lines', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 5 }, { item: w.shipping, quantity: 1 }, { item: w.gadget, quantity: 2 }]);
    const first = w.e.transform('salesorder', so, 'itemfulfillment');
    expect(first.fields.createdfrom).toBe(so);
    expect(first.fields.entity).toBe(w.customer);
    expect(first.sublists.item?.map((l) => [l.item, l.quantity, l.itemreceive])).toEqual([[w.widget, 5, true], [w.gadget, 2, true]]);
    first.sublists.item![0]!.quantity = 3;
    first.sublists.item![1]!.itemreceive = false;
    w.e.save(first);
    const second = w.e.transform('salesorder', so, 'itemfulfillment');
    expect(second.sublists.item?.map((l) => [l.item, l.quantity])).toEqual([[w.widget, 2], [w.gadget, 2]]);
    const loaded = w.e.load('salesorder', so);
    expect(loaded.sublists.item?.map((l) => l.quantityfulfilled)).toEqual([3, 0, 0]);
  });

  it('over-fulfilling or over-billing a source line is refused', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 2 }]);
    const inv = w.e.transform('salesorder', so, 'invoice');
    inv.sublists.item![0]!.quantity = 3;
    expect(errorCode(() => w.e.save(inv))).toBe('INVALID_FLD_VALUE');
  });

  it('billing copies rates and bills the remaining quantity; credit memo from invoice credits what is not yet credited', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 4, rate: '10.00' }]);
    const inv1 = transformAndSave(w.e, 'salesorder', so, 'invoice', (r) => { r.sublists.item![0]!.quantity = 1; });
    const inv2 = w.e.transform('salesorder', so, 'invoice');
    expect(inv2.sublists.item?.[0]).toMatchObject({ quantity: 3, rate: '10.00' });
    expect(w.e.load('invoice', inv1).fields.total).toBe('10.00');
    const cm = w.e.transform('invoice', inv1, 'creditmemo');
    expect(cm.fields.createdfrom).toBe(inv1);
    expect(cm.sublists.item?.[0]?.quantity).toBe(1);
  });
});

describe('5.3 create and copy restrictions', () => {
  it('itemfulfillment, itemreceipt, customerpayment and depositapplication cannot be created directly', () => {
    const w = world();
    for (const type of ['itemfulfillment', 'itemreceipt', 'customerpayment', 'depositapplication']) {
      expect(errorCode(() => w.e.newRecord(type))).toBe('INVALID_RCRD_INITIALIZE');
    }
  });

  it('itemfulfillment, customerpayment and deposit cannot be copied; a sales order copy is a fresh record', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }], { externalid: 'ext-so' });
    const ful = transformAndSave(w.e, 'salesorder', so, 'itemfulfillment');
    expect(errorCode(() => w.e.copy('itemfulfillment', ful))).toBe('INVALID_RCRD_INITIALIZE');
    const cs = create(w.e, 'cashsale', { entity: w.customer, location: w.main }, { item: [{ item: w.widget, quantity: 1 }] });
    const dep = create(w.e, 'deposit', { account: w.bank }, { payment: [{ id: cs, deposit: true }] });
    expect(errorCode(() => w.e.copy('deposit', dep))).toBe('INVALID_RCRD_INITIALIZE');
    const copy = w.e.copy('salesorder', so);
    expect(copy.id).toBeNull();
    expect(copy.fields.externalid).toBeUndefined();
    expect(copy.fields.status).toBeUndefined();
    const copyId = w.e.save(copy);
    expect(w.e.load('salesorder', copyId).fields.status).toBe('Pending Fulfillment');
  });

  it('a deposit needs at least one payment, other or cashback line', () => {
    const w = world();
    expect(errorCode(() => create(w.e, 'deposit', { account: w.bank }))).toBe('VALID_LINE_ITEM_REQD');
    expect(errorCode(() => create(w.e, 'deposit', { account: w.bank }, { other: [{ account: w.undep, amount: '5.00' }] }))).toBe('no error');
  });
});
