import { BUNDLE_VERSION } from '../../../core/bundle-version';
import { buildHealth } from '../../../suitescripts/domain/health';
import { INTEGRATION_ORIGIN, toOutboxEvent } from '../../../suitescripts/domain/outbox-event';
import packageJson from '../../../package.json';

describe('bundle version', () => {
  it('equals package.json version', () => {
    expect(BUNDLE_VERSION).toBe(packageJson.version);
  });
});

describe('health', () => {
  it('is ok when every required feature is on', () => {
    const h = buildHealth('TSTDRV1', () => true);
    expect(h).toMatchObject({ ok: true, bundleVersion: BUNDLE_VERSION, accountId: 'TSTDRV1', missingFeatures: [] });
    expect(h.features).toEqual({ SERVERSIDESCRIPTING: true, CUSTOMRECORDS: true });
    expect(h.actions).toEqual(['health', 'batch', 'outbox.pull', 'outbox.ack']);
  });

  it('reports the deployment configuration, null when a parameter is empty', () => {
    expect(buildHealth('TSTDRV1', () => true).configuration).toEqual({ custscript_lb_order_id_field: null });
    const h = buildHealth('TSTDRV1', () => true, (id) => (id === 'custscript_lb_order_id_field' ? 'custbody_shop_order' : ''));
    expect(h.configuration).toEqual({ custscript_lb_order_id_field: 'custbody_shop_order' });
  });

  it('names the features that are off', () => {
    const h = buildHealth('TSTDRV1', (f) => f !== 'CUSTOMRECORDS');
    expect(h.ok).toBe(false);
    expect(h.missingFeatures).toEqual(['CUSTOMRECORDS']);
  });
});

describe('outbox event', () => {
  const base = {
    recordType: 'cashrefund',
    recordId: '42',
    userEventType: 'create',
    origin: '',
    executionContext: 'USERINTERFACE',
    now: new Date('2026-11-23T00:00:00Z'),
  };

  it('records creates, edits, inline edits and deletes', () => {
    for (const t of ['create', 'edit', 'xedit', 'delete']) {
      expect(toOutboxEvent({ ...base, userEventType: t })).toEqual({
        recordType: 'cashrefund',
        recordId: '42',
        event: t,
        occurredAt: '2026-11-23T00:00:00.000Z',
      });
    }
  });

  it('ignores other event types', () => {
    expect(toOutboxEvent({ ...base, userEventType: 'view' })).toBeNull();
    expect(toOutboxEvent({ ...base, userEventType: 'print' })).toBeNull();
  });

  it('skips records the integration itself wrote through its RESTlet (no echo loop)', () => {
    expect(toOutboxEvent({ ...base, origin: INTEGRATION_ORIGIN, executionContext: 'RESTLET' })).toBeNull();
  });

  it('still records a person editing an integration-written record in the UI', () => {
    expect(toOutboxEvent({ ...base, userEventType: 'edit', origin: INTEGRATION_ORIGIN })).not.toBeNull();
  });

  it('records writes by other RESTlets that do not carry the marker', () => {
    expect(toOutboxEvent({ ...base, executionContext: 'RESTLET' })).not.toBeNull();
  });
});
