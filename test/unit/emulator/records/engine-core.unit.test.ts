// Record engine basics: types and categories, create/load/save round trips, deep copies, ids, externalId
// uniqueness, optimistic locking, mandatory fields, custom record types and fields.
import { create, errorCode, newEngine, world } from './helpers';

describe('record types and categories (reference 1.1, 5.1)', () => {
  it('knows the standard types with their governance category and refuses unknown ones', () => {
    const e = newEngine();
    expect(e.category('salesorder')).toBe('transaction');
    expect(e.category('customerdeposit')).toBe('transaction');
    expect(e.category('customer')).toBe('other');
    expect(e.category('inventoryitem')).toBe('other');
    expect(e.isKnownType('cashrefund')).toBe(true);
    expect(e.isKnownType('spaceship')).toBe(false);
    expect(errorCode(() => e.category('spaceship'))).toBe('SSS_INVALID_RECORD_TYPE');
    expect(errorCode(() => e.newRecord('spaceship'))).toBe('SSS_INVALID_RECORD_TYPE');
  });
});

describe('create, load, save (5.1 types; 1.3 RCRD_DSNT_EXIST)', () => {
  it('stores deep copies: callers cannot mutate stored state', () => {
    const { e, customer, widget } = world();
    const so = e.newRecord('salesorder');
    so.fields.entity = customer;
    so.sublists.item = [{ item: widget, quantity: 1 }];
    const id = e.save(so);
    so.fields.memo = 'changed after save';
    (so.sublists.item as Array<Record<string, unknown>>)[0]!.quantity = 99;
    const loaded = e.load('salesorder', id);
    expect(loaded.fields.memo).toBeUndefined();
    expect(loaded.sublists.item?.[0]?.quantity).toBe(1);
    loaded.fields.memo = 'mutating a loaded copy';
    (loaded.fields.trandate as Date).setUTCFullYear(1999);
    expect(e.load('salesorder', id).fields.memo).toBeUndefined();
    expect((e.load('salesorder', id).fields.trandate as Date).getUTCFullYear()).toBe(2026);
  });

  it('gives string internal ids from one counter, version 0 unsaved and +1 per save', () => {
    const e = newEngine();
    const r = e.newRecord('customer');
    expect(r.id).toBeNull();
    expect(r.version).toBe(0);
    r.fields.companyname = 'A';
    const a = e.save(r);
    const b = create(e, 'location', { name: 'L' });
    expect(typeof a).toBe('string');
    expect(Number(b)).toBe(Number(a) + 1);
    const loaded = e.load('customer', a);
    expect(loaded.version).toBe(1);
    loaded.fields.email = 'a@x.test';
    e.save(loaded);
    expect(e.load('customer', a).version).toBe(2);
  });

  it('normalises NetSuite values: checkbox T/F to boolean, dates to Date, select ids to strings (quirks.ts)', () => {
    const e = newEngine();
    const id = create(e, 'location', { name: 'Holding', makeinventoryavailable: 'F' });
    expect(e.load('location', id).fields.makeinventoryavailable).toBe(false);
    const c = create(e, 'customer', { companyname: 'X', currency: 2 as unknown as string });
    expect(e.load('customer', c).fields.currency).toBe('2');
  });

  it('RCRD_DSNT_EXIST for a missing record or a record of another type', () => {
    const { e, customer } = world();
    expect(errorCode(() => e.load('customer', '99999'))).toBe('RCRD_DSNT_EXIST');
    expect(errorCode(() => e.load('salesorder', customer))).toBe('RCRD_DSNT_EXIST');
    expect(errorCode(() => e.delete('invoice', '99999'))).toBe('RCRD_DSNT_EXIST');
  });

  it('submitFields sets body fields and keeps the rest', () => {
    const { e, customer } = world();
    e.submitFields('customer', customer, { email: 'new@acme.test' });
    const c = e.load('customer', customer);
    expect(c.fields.email).toBe('new@acme.test');
    expect(c.fields.companyname).toBe('Acme Ltd');
  });
});

describe('externalId unique per record type (5.4 externalid; DUP_RCRD wording UNCONFIRMED)', () => {
  it('a second record of the same type with the same externalId throws DUP_RCRD; another type may reuse it', () => {
    const { e, widget } = world();
    const c1 = create(e, 'customer', { companyname: 'One', externalid: 'shop-1' });
    expect(errorCode(() => create(e, 'customer', { companyname: 'Two', externalid: 'shop-1' }))).toBe('DUP_RCRD');
    expect(e.findByExternalId('customer', 'shop-1')).toBe(c1);
    expect(e.findByExternalId('customer', 'nope')).toBeNull();
    const so = create(e, 'salesorder', { entity: c1, externalid: 'shop-1' }, { item: [{ item: widget, quantity: 1 }] });
    expect(e.findByExternalId('salesorder', 'shop-1')).toBe(so);
  });

  it('re-saving the owner keeps its externalId; changing it frees the old one', () => {
    const e = newEngine();
    const id = create(e, 'customer', { companyname: 'One', externalid: 'a' });
    const r = e.load('customer', id);
    e.save(r);
    r.version = e.load('customer', id).version;
    r.fields.externalid = 'b';
    e.save(r);
    expect(e.findByExternalId('customer', 'a')).toBeNull();
    expect(e.findByExternalId('customer', 'b')).toBe(id);
    create(e, 'customer', { companyname: 'Two', externalid: 'a' });
  });
});

describe('optimistic locking (reference 1.3 RCRD_HAS_BEEN_CHANGED)', () => {
  it('saving a copy loaded before another save throws RCRD_HAS_BEEN_CHANGED', () => {
    const { e, customer } = world();
    const first = e.load('customer', customer);
    const second = e.load('customer', customer);
    first.fields.email = 'first@acme.test';
    e.save(first);
    second.fields.email = 'second@acme.test';
    expect(errorCode(() => e.save(second))).toBe('RCRD_HAS_BEEN_CHANGED');
    expect(e.load('customer', customer).fields.email).toBe('first@acme.test');
  });

  it('a child transaction that changes a parent status bumps the parent version', () => {
    const { e, customer, widget } = world();
    const so = create(e, 'salesorder', { entity: customer }, { item: [{ item: widget, quantity: 1, rate: '10' }] });
    const stale = e.load('salesorder', so);
    e.save(e.transform('salesorder', so, 'invoice'));
    stale.fields.memo = 'late edit';
    expect(errorCode(() => e.save(stale))).toBe('RCRD_HAS_BEEN_CHANGED');
  });
});

describe('mandatory fields and line items (5.3, 5.4)', () => {
  it('sales transactions need entity (USER_ERROR "Please enter value(s) for") unless ignoreMandatoryFields', () => {
    const { e, widget } = world();
    const so = e.newRecord('salesorder');
    so.sublists.item = [{ item: widget, quantity: 1 }];
    expect(() => e.save(so)).toThrow(/Please enter value\(s\) for: Customer/);
    expect(errorCode(() => e.save(so))).toBe('USER_ERROR');
    expect(errorCode(() => e.save(so, { ignoreMandatoryFields: true }))).toBe('no error');
  });

  it('a sales transaction without lines throws VALID_LINE_ITEM_REQD', () => {
    const { e, customer } = world();
    expect(errorCode(() => create(e, 'invoice', { entity: customer }))).toBe('VALID_LINE_ITEM_REQD');
  });

  it('items need itemid; item names are unique across item types (DUP_ITEM)', () => {
    const e = newEngine();
    expect(errorCode(() => create(e, 'serviceitem', { price: '1.00' }))).toBe('USER_ERROR');
    create(e, 'inventoryitem', { itemid: 'SKU-1' });
    expect(errorCode(() => create(e, 'noninventoryitem', { itemid: 'sku-1' }))).toBe('DUP_ITEM');
  });
});

describe('custom record types and custom fields registered at run time (1.1 custom category, 4 SDF objects)', () => {
  it('custom records are category custom, take their fields, defaults and mandatory rules', () => {
    const e = newEngine();
    e.registerCustomRecordType({
      scriptid: 'customrecord_lb_outbox',
      fields: [
        { id: 'custrecord_lb_kind', fieldType: 'TEXT', mandatory: true },
        { id: 'custrecord_lb_done', fieldType: 'CHECKBOX', defaultValue: 'F' },
        { id: 'custrecord_lb_count', fieldType: 'INTEGER' },
      ],
    });
    expect(e.category('customrecord_lb_outbox')).toBe('custom');
    const r = e.newRecord('customrecord_lb_outbox');
    expect(r.fields.custrecord_lb_done).toBe(false);
    expect(errorCode(() => e.save(r))).toBe('USER_ERROR');
    r.fields.custrecord_lb_kind = 'create';
    r.fields.custrecord_lb_count = '3';
    r.fields.externalid = 'evt-1';
    const id = e.save(r);
    expect(e.load('customrecord_lb_outbox', id).fields.custrecord_lb_count).toBe(3);
    expect(e.findByExternalId('customrecord_lb_outbox', 'evt-1')).toBe(id);
    expect(errorCode(() => e.registerCustomRecordType({ scriptid: 'notcustom', fields: [] }))).toBe('INVALID_RCRD_TYPE');
  });

  it('custom body fields apply to their family, with kinds and mandatory checks', () => {
    const { e, customer, widget } = world();
    e.registerCustomField({ id: 'custbody_lb_origin', fieldType: 'SELECT', appliesTo: 'transactionbody' });
    e.registerCustomField({ id: 'custbody_lb_synced', fieldType: 'CHECKBOX', appliesTo: 'transactionbody', defaultValue: 'T' });
    e.registerCustomField({ id: 'custentity_lb_vip', fieldType: 'CHECKBOX', appliesTo: 'entity', mandatory: true });
    expect(e.newRecord('salesorder').fields.custbody_lb_synced).toBe(true);
    expect(e.newRecord('customer').fields.custbody_lb_synced).toBeUndefined();
    expect(errorCode(() => create(e, 'customer', { companyname: 'No VIP flag' }))).toBe('USER_ERROR');
    const so = create(e, 'salesorder', { entity: customer, custbody_lb_origin: 7 as unknown as string }, { item: [{ item: widget, quantity: 1 }] });
    expect(e.load('salesorder', so).fields.custbody_lb_origin).toBe('7');
    expect(errorCode(() => e.registerCustomField({ id: 'custbody_x', fieldType: 'TEXT', appliesTo: 'entity' }))).toBe('INVALID_FLD');
  });
});
