import { SYNC_STATES, SYNC_TRANSITIONS, transition, type SyncEvent } from '../../../../middleware/sync/sync-states';

const EVENTS: SyncEvent[] = ['enqueue', 'start', 'succeed', 'skip', 'park', 'fail', 'requeue', 'release', 'retry', 'cancel', 'uncancel'];

describe('sync-record state machine', () => {
  it('follows the documented happy path received → queued → posting → posted', () => {
    expect(transition('received', 'enqueue')).toEqual({ ok: true, value: 'queued' });
    expect(transition('queued', 'start')).toEqual({ ok: true, value: 'posting' });
    expect(transition('posting', 'succeed')).toEqual({ ok: true, value: 'posted' });
  });

  it('brings records back to queued on retry, release and un-cancel', () => {
    expect(transition('failed', 'retry')).toEqual({ ok: true, value: 'queued' });
    expect(transition('parked', 'release')).toEqual({ ok: true, value: 'queued' });
    expect(transition('cancelled', 'uncancel')).toEqual({ ok: true, value: 'queued' });
  });

  it('refuses cancelling a record while it is being posted, with its own code', () => {
    const result = transition('posting', 'cancel');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('sync_record_in_flight');
  });

  it('refuses every move not in the table (posted is final; no retry of a posted record)', () => {
    let refused = 0;
    for (const from of SYNC_STATES) {
      for (const event of EVENTS) {
        const allowed = SYNC_TRANSITIONS.some((t) => t.from === from && t.event === event);
        const result = transition(from, event);
        expect(result.ok).toBe(allowed);
        if (!allowed) refused++;
      }
    }
    expect(refused).toBe(SYNC_STATES.length * EVENTS.length - SYNC_TRANSITIONS.length);
    expect(transition('posted', 'retry').ok).toBe(false);
    expect(transition('posted', 'cancel').ok).toBe(false);
  });
});
