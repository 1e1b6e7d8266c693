import * as path from 'node:path';
import { children, loadSdfProject, text } from '../../../tools/sdf/project';
import { RECORDED_TYPES, isRecordedType, toOutboxEvent } from '../../../suitescripts/domain/outbox-event';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, purgeCutoff, retentionDays } from '../../../suitescripts/domain/outbox-purge';

const SRC = path.join(__dirname, '..', '..', '..', 'src');

describe('recorded outbox types', () => {
  const facts = { recordId: '7', userEventType: 'create', origin: '', executionContext: 'USERINTERFACE', now: new Date('2026-12-01T00:00:00Z') };

  it('are the record types the refund flow consumes, and nothing else', () => {
    expect(RECORDED_TYPES.map((t) => t.recordType)).toEqual(['cashrefund', 'creditmemo']);
    expect(toOutboxEvent({ ...facts, recordType: 'creditmemo' })).toMatchObject({ recordType: 'creditmemo', recordId: '7' });
    for (const recordType of ['invoice', 'customerpayment', 'returnauthorization', 'itemreceipt', 'customerrefund', 'salesorder']) {
      expect(toOutboxEvent({ ...facts, recordType })).toBeNull();
    }
    expect(isRecordedType('CASHREFUND')).toBe(true);
  });

  it('agree with the User Event deployments in src/Objects: one deployment per recorded type, no other', () => {
    const project = loadSdfProject(SRC);
    const ue = project.objects.find((o) => o.scriptid === 'customscript_lb_ue_outbox');
    if (!ue) throw new Error('customscript_lb_ue_outbox is missing from src/Objects');
    const deployed = children(ue.body, 'scriptdeployments', 'scriptdeployment').map((d) => text(d, 'recordtype').toLowerCase());
    expect(deployed.sort()).toEqual(RECORDED_TYPES.map((t) => t.recordType).sort());
  });

  it('the push Map/Reduce and its parameters are gone; the purge is scheduled with a retention parameter', () => {
    const project = loadSdfProject(SRC);
    expect(project.objects.map((o) => o.scriptid)).not.toContain('customscript_lb_mr_outbox_push');
    const purge = project.objects.find((o) => o.scriptid === 'customscript_lb_mr_outbox_purge');
    if (!purge) throw new Error('customscript_lb_mr_outbox_purge is missing from src/Objects');
    const params = children(purge.body, 'scriptcustomfields', 'scriptcustomfield');
    expect(params.map((p) => [p['@_scriptid'], text(p, 'fieldtype'), text(p, 'defaultvalue')])).toEqual([['custscript_lb_purge_days', 'INTEGER', '7']]);
    const [deployment] = children(purge.body, 'scriptdeployments', 'scriptdeployment');
    expect(text(deployment, 'status')).toBe('SCHEDULED');
    expect(deployment?.['recurrence']).toBeTruthy();
  });
});

describe('outbox purge rules', () => {
  it('reads the retention in whole days, defaulting to 7 for an empty or bad value', () => {
    expect(DEFAULT_RETENTION_DAYS).toBe(7);
    expect(retentionDays('')).toBe(7);
    expect(retentionDays('abc')).toBe(7);
    expect(retentionDays('-3')).toBe(7);
    expect(retentionDays('2.5')).toBe(7);
    expect(retentionDays(' 30 ')).toBe(30);
    expect(retentionDays('0')).toBe(0);
    expect(retentionDays('999999')).toBe(MAX_RETENTION_DAYS);
  });

  it('puts the cut-off the retention before now', () => {
    expect(purgeCutoff(new Date('2026-12-10T12:00:00Z'), 7).toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(purgeCutoff(new Date('2026-12-10T12:00:00Z'), 0).toISOString()).toBe('2026-12-10T12:00:00.000Z');
  });
});
