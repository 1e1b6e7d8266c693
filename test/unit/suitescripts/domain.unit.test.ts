import { BUNDLE_VERSION } from '../../../core/bundle-version';
import { buildHealth } from '../../../suitescripts/domain/health';
import { INTEGRATION_ORIGIN, integrationOriginStamp, isIntegrationOrigin, toOutboxEvent } from '../../../suitescripts/domain/outbox-event';
import card from '../../../suitecloud.project.json';

describe('bundle version', () => {
  it('the health answer carries the project card\'s version (suitecloud.project.json)', () => {
    expect(card.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(buildHealth('TSTDRV1', () => true).bundleVersion).toBe(card.version);
    expect(BUNDLE_VERSION).toBe(card.version);
  });
});

describe('health', () => {
  it('is ok when every required feature is on', () => {
    const h = buildHealth('TSTDRV1', () => true);
    expect(h).toMatchObject({ ok: true, bundleVersion: BUNDLE_VERSION, accountId: 'TSTDRV1', missingFeatures: [] });
    expect(h.features).toEqual({ SERVERSIDESCRIPTING: true, CUSTOMRECORDS: true });
    expect(h.actions).toEqual(['health', 'batch', 'outbox.pull', 'outbox.ack']);
    expect(h.capabilities).toEqual(['lookupFirst', 'read', 'billing']);
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

  describe('per-write origin stamps', () => {
    const stamp = integrationOriginStamp(new Date('2026-11-23T00:00:00Z'), () => 0.5);
    const later = integrationOriginStamp(new Date('2026-11-23T00:00:01Z'), () => 0.5);

    it('are the integration prefix plus time and randomness, different per write', () => {
      expect(stamp).toMatch(/^ledgerbridge:[0-9a-z]+:[0-9a-z]+$/);
      expect(later).not.toBe(stamp);
      expect(integrationOriginStamp(new Date(0), () => 0.1)).not.toBe(integrationOriginStamp(new Date(0), () => 0.2));
      expect(isIntegrationOrigin(stamp)).toBe(true);
      expect(isIntegrationOrigin(INTEGRATION_ORIGIN)).toBe(true);
      expect(isIntegrationOrigin('ledgerbridgex')).toBe(false);
      expect(isIntegrationOrigin('')).toBe(false);
    });

    it('skip the RESTlet save that set the stamp: create, and setFields as xedit or edit', () => {
      expect(toOutboxEvent({ ...base, origin: stamp, previousOrigin: '', executionContext: 'RESTLET' })).toBeNull();
      expect(toOutboxEvent({ ...base, userEventType: 'xedit', origin: later, previousOrigin: stamp, executionContext: 'RESTLET' })).toBeNull();
      expect(toOutboxEvent({ ...base, userEventType: 'edit', origin: later, previousOrigin: stamp, executionContext: 'RESTLET' })).toBeNull();
      // A record an older bundle stamped with the bare prefix, written again by this bundle.
      expect(toOutboxEvent({ ...base, userEventType: 'xedit', origin: stamp, previousOrigin: INTEGRATION_ORIGIN, executionContext: 'RESTLET' })).toBeNull();
    });

    it('record another integration\'s RESTlet saving an integration-written record (the stamp it carries is unchanged)', () => {
      expect(toOutboxEvent({ ...base, userEventType: 'edit', origin: stamp, previousOrigin: stamp, executionContext: 'RESTLET' })).not.toBeNull();
      // Its inline edit carries no stamp at all.
      expect(toOutboxEvent({ ...base, userEventType: 'xedit', origin: '', previousOrigin: stamp, executionContext: 'RESTLET' })).not.toBeNull();
    });

    it('record a person, a CSV import or a workflow saving an integration-written record', () => {
      for (const executionContext of ['USERINTERFACE', 'CSVIMPORT', 'WORKFLOW', 'MAPREDUCE']) {
        expect(toOutboxEvent({ ...base, userEventType: 'edit', origin: stamp, previousOrigin: stamp, executionContext })).not.toBeNull();
        // Even a save outside a RESTlet that somehow sets a new stamp is not the integration's.
        expect(toOutboxEvent({ ...base, userEventType: 'edit', origin: later, previousOrigin: stamp, executionContext })).not.toBeNull();
      }
    });

    it('record deletes of integration-written records', () => {
      expect(toOutboxEvent({ ...base, userEventType: 'delete', origin: stamp, previousOrigin: stamp, executionContext: 'RESTLET' })).not.toBeNull();
    });
  });
});
