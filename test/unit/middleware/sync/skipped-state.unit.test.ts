import { REQUEUEABLE_STATES, SETTLED_STATES, SYNC_STATES, SYNC_TRANSITIONS, transition } from '../../../../middleware/sync/sync-states';

describe('the skipped sync state', () => {
  it('is a state of its own, reached from posting on skip', () => {
    expect(SYNC_STATES).toContain('skipped');
    expect(transition('posting', 'skip')).toEqual({ ok: true, value: 'skipped' });
    for (const from of SYNC_STATES.filter((s) => s !== 'posting')) expect(transition(from, 'skip').ok).toBe(false);
  });

  it('is settled (final): nothing moves it but a person retrying it', () => {
    expect(SETTLED_STATES).toContain('skipped');
    const out = SYNC_TRANSITIONS.filter((t) => t.from === 'skipped');
    expect(out).toEqual([{ from: 'skipped', event: 'retry', to: 'queued' }]);
    expect(transition('skipped', 'retry')).toEqual({ ok: true, value: 'queued' });
    expect(transition('skipped', 'succeed').ok).toBe(false);
    expect(transition('skipped', 'release').ok).toBe(false);
    expect(transition('skipped', 'uncancel').ok).toBe(false);
  });

  it('counts among the states a person sends back to the queue (a newer job owns a retried record)', () => {
    expect([...REQUEUEABLE_STATES].sort()).toEqual(['cancelled', 'failed', 'parked', 'skipped']);
  });
});
