import { RESTLET_API_VERSION } from '../../../core/bundle-version';
import { MAX_OPERATIONS_PER_BATCH } from '../../../core/netsuite/restlet-api/limits';
import { validateRequest, type ValidatedBatch } from '../../../core/netsuite/restlet-api/validate';

function batchOf(...operations: unknown[]): ValidatedBatch {
  const v = validateRequest({ action: 'batch', operations });
  if (!v.ok) throw new Error(`refused: ${v.error.code} ${v.error.message}`);
  return v.value as ValidatedBatch;
}

function errorOf(body: unknown): string {
  const v = validateRequest(body);
  if (v.ok) throw new Error('accepted');
  return v.error.code;
}

const create = {
  opId: 'r1',
  kind: 'create',
  recordType: 'cashsale',
  externalId: 'shopify:order:1',
  values: { entity: '12', trandate: { date: '2026-11-20' }, memo: 'x' },
  items: [{ sku: 'SKU-1', quantity: 2, rate: '9.99' }],
};

describe('RESTlet request validation: request level', () => {
  it.each([
    [null, 'INVALID_BODY'],
    ['health', 'INVALID_BODY'],
    [[], 'INVALID_BODY'],
    [{}, 'UNKNOWN_ACTION'],
    [{ action: 'drop' }, 'UNKNOWN_ACTION'],
    [{ action: 'health', apiVersion: RESTLET_API_VERSION + 1 }, 'UNSUPPORTED_API_VERSION'],
    [{ action: 'batch' }, 'INVALID_REQUEST'],
    [{ action: 'batch', operations: [] }, 'INVALID_REQUEST'],
    [{ action: 'batch', operations: [{ kind: 'lookup' }] }, 'INVALID_REQUEST'],
    [{ action: 'batch', operations: [{ opId: 'a', kind: 'x' }, { opId: 'a', kind: 'x' }] }, 'DUPLICATE_OP_ID'],
    [{ action: 'batch', operations: [create], extra: 1 }, 'INVALID_OPERATION'],
    [{ action: 'outbox.pull', after: 5 }, 'INVALID_REQUEST'],
    [{ action: 'outbox.pull', after: '0', limit: 0 }, 'INVALID_REQUEST'],
    [{ action: 'outbox.pull', after: '0', limit: 1001 }, 'INVALID_REQUEST'],
    [{ action: 'outbox.ack', ids: [] }, 'INVALID_REQUEST'],
    [{ action: 'outbox.ack', ids: [7] }, 'INVALID_REQUEST'],
  ])('%j → %s', (body, code) => {
    expect(errorOf(body)).toBe(code);
  });

  it('refuses a batch over the operation limit', () => {
    const ops = Array.from({ length: MAX_OPERATIONS_PER_BATCH + 1 }, (_, i) => ({ ...create, opId: `o${i}` }));
    expect(errorOf({ action: 'batch', operations: ops })).toBe('BATCH_TOO_LARGE');
  });

  it('accepts the current version and defaults outbox.pull', () => {
    expect(validateRequest({ action: 'health', apiVersion: RESTLET_API_VERSION })).toEqual({ ok: true, value: { action: 'health' } });
    expect(validateRequest({ action: 'outbox.pull', after: '0' })).toEqual({
      ok: true,
      value: { action: 'outbox.pull', after: '0', limit: 100 },
    });
    expect(validateRequest({ action: 'outbox.ack', ids: ['3', '3', '4'] })).toEqual({
      ok: true,
      value: { action: 'outbox.ack', ids: ['3', '4'] },
    });
  });
});

describe('RESTlet request validation: operations', () => {
  it('keeps a valid create as sent', () => {
    expect(batchOf(create).entries).toEqual([{ op: create }]);
  });

  function opError(op: Record<string, unknown>): string {
    const [entry] = batchOf({ opId: 'x', ...op }).entries;
    if (!entry || !('failed' in entry)) throw new Error('accepted');
    expect(entry.failed.status).toBe('error');
    expect(entry.failed.error.retryable).toBe(false);
    return entry.failed.error.code;
  }

  it.each([
    [{ kind: 'explode' }, 'INVALID_OPERATION'],
    [{ ...create, recordType: 'spaceship' }, 'UNSUPPORTED_RECORD_TYPE'],
    [{ ...create, recordType: 'itemfulfillment' }, 'UNSUPPORTED_RECORD_TYPE'],
    [{ ...create, recordType: 'customrecord_lb_outbox' }, 'UNSUPPORTED_RECORD_TYPE'],
    [{ ...create, externalId: '' }, 'INVALID_OPERATION'],
    [{ ...create, externalId: 'x'.repeat(256) }, 'INVALID_OPERATION'],
    [{ ...create, values: { externalid: 'sneaky' } }, 'INVALID_OPERATION'],
    [{ ...create, values: { custbody_lb_origin: 'someone' } }, 'INVALID_OPERATION'],
    [{ ...create, values: { 'Bad-Field': 1 } }, 'INVALID_OPERATION'],
    [{ ...create, values: { total: Infinity } }, 'INVALID_OPERATION'],
    [{ ...create, values: { trandate: { date: '2026-02-30' } } }, 'INVALID_OPERATION'],
    [{ ...create, values: { memo: { nested: true } } }, 'INVALID_OPERATION'],
    [{ ...create, items: [{ sku: 'A', quantity: 0 }] }, 'INVALID_OPERATION'],
    [{ ...create, items: [{ sku: 'A', quantity: 1, rate: 9.99 }] }, 'INVALID_OPERATION'],
    [{ ...create, items: [{ sku: 'A', quantity: 1, rate: '9.999999999' }] }, 'INVALID_OPERATION'],
    [{ ...create, items: [{ sku: 'A', quantity: 1, values: { item: '5' } }] }, 'INVALID_OPERATION'],
    [{ ...create, items: [{ sku: '', quantity: 1 }] }, 'INVALID_OPERATION'],
    [{ ...create, bogus: true }, 'INVALID_OPERATION'],
    [{ kind: 'transform', fromType: 'cashsale', toType: 'creditmemo', from: { id: '1' }, externalId: 'e' }, 'UNSUPPORTED_TRANSFORM'],
    [{ kind: 'transform', fromType: 'creditmemo', toType: 'customerrefund', from: { id: '1' }, externalId: 'e' }, 'UNSUPPORTED_TRANSFORM'],
    [{ kind: 'transform', fromType: 'cashsale', toType: 'cashrefund', from: { id: '01' }, externalId: 'e' }, 'INVALID_OPERATION'],
    [{ kind: 'transform', fromType: 'cashsale', toType: 'cashrefund', from: { id: '1', externalId: 'x' }, externalId: 'e' }, 'INVALID_OPERATION'],
    [{ kind: 'setFields', recordType: 'cashrefund', target: { id: '1' }, values: {} }, 'INVALID_OPERATION'],
    [{ kind: 'setFields', recordType: 'inventoryitem', target: { id: '1' }, values: { memo: 'x' } }, 'UNSUPPORTED_RECORD_TYPE'],
    [{ kind: 'lookup', recordType: 'salesorder', by: { field: 'CustBody', value: 'x' } }, 'INVALID_OPERATION'],
    [{ kind: 'lookup', recordType: 'customrecord_lb_outbox', by: { id: '1' } }, 'UNSUPPORTED_RECORD_TYPE'],
    [{ kind: 'itemsBySku', skus: [] }, 'INVALID_OPERATION'],
  ])('%j → %s', (op, code) => {
    expect(opError(op as Record<string, unknown>)).toBe(code);
  });

  it('accepts lookupFirst as a boolean on create and transform only', () => {
    const ok = validateRequest({ action: 'batch', operations: [{ opId: 'a', kind: 'create', recordType: 'cashsale', externalId: 'x:1', lookupFirst: true }] });
    expect(ok.ok && ok.value.action === 'batch' && ok.value.entries[0]).toEqual({ op: { opId: 'a', kind: 'create', recordType: 'cashsale', externalId: 'x:1', lookupFirst: true } });
    const off = validateRequest({ action: 'batch', operations: [{ opId: 'a', kind: 'create', recordType: 'cashsale', externalId: 'x:1', lookupFirst: false }] });
    expect(off.ok && off.value.action === 'batch' && off.value.entries[0]).toEqual({ op: { opId: 'a', kind: 'create', recordType: 'cashsale', externalId: 'x:1' } });
    const bad = validateRequest({ action: 'batch', operations: [{ opId: 'a', kind: 'create', recordType: 'cashsale', externalId: 'x:1', lookupFirst: 'yes' }] });
    expect(bad.ok && bad.value.action === 'batch' && bad.value.entries[0]).toMatchObject({ failed: { error: { code: 'INVALID_OPERATION', message: expect.stringContaining('lookupFirst must be true or false') } } });
    const onSetFields = validateRequest({ action: 'batch', operations: [{ opId: 'a', kind: 'setFields', recordType: 'cashsale', target: { id: '1' }, values: { memo: 'm' }, lookupFirst: true }] });
    expect(onSetFields.ok && onSetFields.value.action === 'batch' && onSetFields.value.entries[0]).toMatchObject({ failed: { error: { code: 'INVALID_OPERATION' } } });
  });

  it('fails only the bad operation of a batch', () => {
    const entries = batchOf(create, { ...create, opId: 'r2', recordType: 'spaceship' }, { opId: 'r3', kind: 'itemsBySku', skus: ['A', 'A', 'B'] }).entries;
    expect(entries.map((e) => ('op' in e ? 'op' : e.failed.error.code))).toEqual(['op', 'UNSUPPORTED_RECORD_TYPE', 'op']);
    expect(entries[2]).toEqual({ op: { opId: 'r3', kind: 'itemsBySku', skus: ['A', 'B'] } });
  });

  it('accepts the refund flows\' operations', () => {
    const entries = batchOf(
      { opId: 't', kind: 'transform', fromType: 'cashsale', from: { field: 'custbody_shop_order', value: '#1001' }, toType: 'cashrefund', externalId: 'shopify:refund:9', items: [{ sku: 'A', quantity: 1 }] },
      { opId: 's', kind: 'setFields', recordType: 'cashrefund', target: { externalId: 'x' }, values: { custbody_shop_refund: '88' } },
      { opId: 'l', kind: 'lookup', recordType: 'salesorder', by: { externalId: 'shopify:order:1' }, columns: ['status', 'total'] },
    ).entries;
    expect(entries.every((e) => 'op' in e)).toBe(true);
  });
});
