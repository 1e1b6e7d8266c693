// Totals from lines in currency precision, apply sublists that move balances (reference 5.4)
// and the status lifecycles they drive (5.5).
import { create, errorCode, salesOrder, transformAndSave, world } from './helpers';
import { formatMinor, multiplyToMinor, toMinor } from '../../../../emulator/records/money';

describe('5.4 totals from lines in currency precision', () => {
  it('quantity x rate summed in minor units: 3 x 19.99 + 0.1 x 3 reconciles to the cent (no float drift)', () => {
    const w = world();
    const so = salesOrder(w, [
      { item: w.widget, quantity: 3 },
      { item: w.service, quantity: 0.1, rate: '3' },
      { item: w.shipping, amount: '4.95' },
      { item: w.discount, amount: '-5.00' },
    ]);
    const r = w.e.load('salesorder', so);
    expect(r.sublists.item?.map((l) => l.amount)).toEqual(['59.97', '0.30', '4.95', '-5.00']);
    expect(r.fields.total).toBe('60.22');
    expect(r.fields.discounttotal).toBe('-5.00');
    expect(r.sublists.item?.[0]?.rate).toBe('19.99');
  });

  it('JPY has 0 decimals, KWD 3; amounts round half away from zero', () => {
    const w = world();
    const jpy = w.e.currencyId('JPY') as string;
    const kwd = w.e.currencyId('KWD') as string;
    const a = salesOrder(w, [{ item: w.widget, quantity: 3, rate: '333.5' }], { currency: jpy });
    expect(w.e.load('salesorder', a).fields.total).toBe('1001');
    const b = salesOrder(w, [{ item: w.widget, quantity: 1, rate: '1.2345' }], { currency: kwd });
    expect(w.e.load('salesorder', b).fields.total).toBe('1.235');
    expect(formatMinor(multiplyToMinor('0.5', '0.01', 2), 2)).toBe('0.01');
    expect(formatMinor(toMinor('-0.005', 2), 2)).toBe('-0.01');
  });

  it('a transaction takes its customer currency when none is given', () => {
    const w = world();
    const eur = w.e.currencyId('EUR') as string;
    const c = create(w.e, 'customer', { companyname: 'Euro GmbH', currency: eur });
    const inv = create(w.e, 'invoice', { entity: c }, { item: [{ item: w.service, quantity: 1 }] });
    expect(w.e.load('invoice', inv).fields.currency).toBe(eur);
  });
});

describe('5.4 apply sublists and 5.5 invoice Open -> Paid In Full', () => {
  it('a partial then final customer payment moves amountremaining to 0 and the status to Paid In Full', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.widget, quantity: 2 }] });
    expect(w.e.load('invoice', inv).fields).toMatchObject({ total: '39.98', amountremaining: '39.98', status: 'Open', statusRef: 'open' });
    const p1 = w.e.transform('invoice', inv, 'customerpayment');
    expect(p1.fields.customer).toBe(w.customer);
    const line = p1.sublists.apply?.find((l) => l.doc === inv);
    expect(line).toMatchObject({ apply: true, amount: '39.98' });
    line!.amount = '10.00';
    p1.fields.payment = '10.00';
    const pay1 = w.e.save(p1);
    expect(w.e.load('invoice', inv).fields).toMatchObject({ amountremaining: '29.98', amountpaid: '10.00', status: 'Open' });
    expect(w.e.load('customerpayment', pay1).fields).toMatchObject({ payment: '10.00', unapplied: '0.00', status: 'Not Deposited' });
    transformAndSave(w.e, 'invoice', inv, 'customerpayment');
    expect(w.e.load('invoice', inv).fields).toMatchObject({ amountremaining: '0.00', status: 'Paid In Full', statusRef: 'paidInFull' });
    expect(errorCode(() => w.e.transform('invoice', inv, 'customerpayment'))).toBe('INVALID_INITIALIZE_REF');
  });

  it('applying more than is due is refused, and so is applying another customer\'s invoice', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.service, quantity: 1 }] });
    const p = w.e.transform('invoice', inv, 'customerpayment');
    p.sublists.apply!.find((l) => l.doc === inv)!.amount = '2.51';
    expect(errorCode(() => w.e.save(p))).toBe('INVALID_FLD_VALUE');
    const foreign = create(w.e, 'invoice', { entity: w.other }, { item: [{ item: w.service, quantity: 1 }] });
    const q = w.e.transform('invoice', inv, 'customerpayment');
    q.sublists.apply!.push({ doc: foreign, apply: true, amount: '1.00' });
    expect(errorCode(() => w.e.save(q))).toBe('INVALID_FLD_VALUE');
  });

  it('deleting a payment reopens the invoice (statuses follow stored data)', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.service, quantity: 1 }] });
    const pay = transformAndSave(w.e, 'invoice', inv, 'customerpayment');
    expect(w.e.load('invoice', inv).fields.status).toBe('Paid In Full');
    w.e.delete('customerpayment', pay);
    expect(w.e.load('invoice', inv).fields).toMatchObject({ status: 'Open', amountremaining: '2.50' });
  });

  it('a credit memo from an open invoice applies to it; credit memo Open -> Fully Applied', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.widget, quantity: 2 }] });
    const cm = w.e.transform('invoice', inv, 'creditmemo');
    cm.sublists.item![0]!.quantity = 1;
    const cmId = w.e.save(cm);
    expect(w.e.load('creditmemo', cmId).fields).toMatchObject({ total: '19.99', applied: '19.99', unapplied: '0.00', status: 'Fully Applied' });
    expect(w.e.load('invoice', inv).fields).toMatchObject({ amountremaining: '19.99', status: 'Open' });
  });

  it('invoice paid, then credited: the credit memo stays Open until a customer refund applies it (5.2 note)', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.widget, quantity: 1 }] });
    transformAndSave(w.e, 'invoice', inv, 'customerpayment');
    const cm = transformAndSave(w.e, 'invoice', inv, 'creditmemo');
    expect(w.e.load('creditmemo', cm).fields).toMatchObject({ status: 'Open', unapplied: '19.99' });
    // Customer refund: created, customer set, the credit memo found on the apply list and marked.
    const refund = w.e.sourceField({ ...w.e.newRecord('customerrefund'), fields: { ...w.e.newRecord('customerrefund').fields, customer: w.customer } }, 'customer');
    const line = refund.sublists.apply?.find((l) => l.doc === cm);
    expect(line).toMatchObject({ apply: false, due: '19.99' });
    line!.apply = true;
    refund.fields.account = w.bank;
    const id = w.e.save(refund);
    expect(w.e.load('customerrefund', id).fields.total).toBe('19.99');
    expect(w.e.load('creditmemo', cm).fields).toMatchObject({ status: 'Fully Applied', unapplied: '0.00' });
    expect(errorCode(() => w.e.delete('creditmemo', cm))).toBe('THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS');
  });

  it('customer deposit Not Deposited -> Fully Applied when refunded; partial refunds keep it open', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const dep = create(w.e, 'customerdeposit', { customer: w.customer, salesorder: so, payment: '19.99' });
    expect(w.e.load('customerdeposit', dep).fields).toMatchObject({ status: 'Not Deposited', statusRef: 'notDeposited', total: '19.99' });
    const r1 = w.e.transform('customerdeposit', dep, 'customerrefund');
    const line = r1.sublists.deposit?.find((l) => l.doc === dep);
    expect(line).toMatchObject({ apply: true, amount: '19.99' });
    line!.amount = '5.00';
    w.e.save(r1);
    expect(w.e.load('customerdeposit', dep).fields).toMatchObject({ status: 'Not Deposited', unapplied: '14.99' });
    transformAndSave(w.e, 'customerdeposit', dep, 'customerrefund');
    expect(w.e.load('customerdeposit', dep).fields).toMatchObject({ status: 'Fully Applied', unapplied: '0.00' });
    expect(errorCode(() => w.e.transform('customerdeposit', dep, 'customerrefund'))).toBe('INVALID_INITIALIZE_REF');
  });

  it('a deposit application applies a customer deposit to the invoice billed from its order', () => {
    const w = world();
    const so = salesOrder(w, [{ item: w.widget, quantity: 1 }]);
    const dep = create(w.e, 'customerdeposit', { customer: w.customer, salesorder: so, payment: '19.99' });
    const inv = transformAndSave(w.e, 'salesorder', so, 'invoice');
    const app = w.e.transform('customerdeposit', dep, 'depositapplication');
    expect(app.sublists.apply?.find((l) => l.doc === inv)).toMatchObject({ apply: true, amount: '19.99' });
    w.e.save(app);
    expect(w.e.load('invoice', inv).fields.status).toBe('Paid In Full');
    expect(w.e.load('customerdeposit', dep).fields.status).toBe('Fully Applied');
  });

  it('a customer payment with unapplied credit is refundable through customerpayment -> customerrefund', () => {
    const w = world();
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.service, quantity: 1 }] });
    const pay = transformAndSave(w.e, 'invoice', inv, 'customerpayment', (p) => { p.fields.payment = '10.00'; });
    expect(w.e.load('customerpayment', pay).fields.unapplied).toBe('7.50');
    const refund = w.e.transform('customerpayment', pay, 'customerrefund');
    expect(refund.sublists.apply?.find((l) => l.doc === pay)).toMatchObject({ apply: true, amount: '7.50' });
    w.e.save(refund);
    expect(w.e.load('customerpayment', pay).fields.unapplied).toBe('0.00');
  });
});

describe('5.4 deposits: payment sublist marks cash sales and payments Deposited (5.5 Not Deposited -> Deposited)', () => {
  it('a new deposit lists undeposited payments; saving it marks them Deposited; they cannot be deposited twice', () => {
    const w = world();
    const cs = create(w.e, 'cashsale', { entity: w.customer, location: w.main }, { item: [{ item: w.widget, quantity: 1 }] });
    const inv = create(w.e, 'invoice', { entity: w.customer }, { item: [{ item: w.service, quantity: 2 }] });
    const pay = transformAndSave(w.e, 'invoice', inv, 'customerpayment');
    const direct = create(w.e, 'cashsale', { entity: w.customer, location: w.main, undepfunds: 'F', account: w.bank }, { item: [{ item: w.service, quantity: 1 }] });
    expect(w.e.load('cashsale', cs).fields.status).toBe('Not Deposited');
    expect(w.e.load('cashsale', direct).fields.status).toBe('Deposited');
    const deposit = w.e.newRecord('deposit', { deposits: `${cs},${pay}` });
    expect(deposit.sublists.payment?.map((l) => [l.id, l.deposit])).toEqual([[cs, true], [pay, true]]);
    deposit.fields.account = w.bank;
    const id = w.e.save(deposit);
    expect(w.e.load('deposit', id).fields.total).toBe('24.99');
    expect(w.e.load('cashsale', cs).fields).toMatchObject({ status: 'Deposited', statusRef: 'deposited' });
    expect(w.e.load('customerpayment', pay).fields.status).toBe('Deposited');
    expect(w.e.newRecord('deposit').sublists.payment).toEqual([]);
    expect(errorCode(() => create(w.e, 'deposit', { account: w.bank }, { payment: [{ id: cs, deposit: true }] }))).toBe('INVALID_FLD_VALUE');
    expect(errorCode(() => create(w.e, 'deposit', { account: w.bank }, { payment: [{ id: direct, deposit: true }] }))).toBe('INVALID_FLD_VALUE');
  });
});
