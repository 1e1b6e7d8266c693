import type { ItemLineInput, PulledOutboxEvent } from '../../../core/contracts/restlet';
import { planItemLines } from '../../../suitescripts/domain/item-lines';
import { ackEvents, pullResponse } from '../../../suitescripts/domain/outbox-api';

const ids: Record<string, string> = { A: '10', B: '20', C: '30', ADJ: '99' };
const line = (sku: string, quantity: number, extra: Partial<ItemLineInput> = {}): ItemLineInput => ({ sku, quantity, ...extra });

describe('planItemLines', () => {
  it('keeps listed source lines, removes the others from the end, adds new items last', () => {
    const plan = planItemLines([{ item: '10' }, { item: '20' }, { item: '30' }], [line('C', 1), line('A', 2), line('ADJ', 1, { rate: '-0.01' })], (s) => ids[s] as string);
    expect(plan).toEqual([
      { action: 'update', index: 2, input: line('C', 1) },
      { action: 'update', index: 0, input: line('A', 2) },
      { action: 'remove', index: 1 },
      { action: 'add', item: '99', input: line('ADJ', 1, { rate: '-0.01' }) },
    ]);
  });

  it('matches repeated items to distinct source lines in order', () => {
    const plan = planItemLines([{ item: '10' }, { item: '10' }, { item: '20' }], [line('A', 1), line('A', 3)], (s) => ids[s] as string);
    expect(plan).toEqual([
      { action: 'update', index: 0, input: line('A', 1) },
      { action: 'update', index: 1, input: line('A', 3) },
      { action: 'remove', index: 2 },
    ]);
  });

  it('removes in descending index order so earlier indexes stay valid', () => {
    const plan = planItemLines([{ item: '10' }, { item: '20' }, { item: '30' }], [], (s) => ids[s] as string);
    expect(plan.map((p) => ('index' in p ? p.index : -1))).toEqual([2, 1, 0]);
  });
});

describe('outbox pull and ack', () => {
  const ev = (id: string): PulledOutboxEvent => ({ id, recordType: 'cashrefund', recordId: '5', event: 'create', occurredAt: '2026-11-23T00:00:00.000Z' });

  it('pages with the last id as the next cursor and says whether more follow', () => {
    expect(pullResponse('0', 2, [ev('3'), ev('7'), ev('9')])).toEqual({ ok: true, action: 'outbox.pull', events: [ev('3'), ev('7')], nextCursor: '7', more: true });
    expect(pullResponse('7', 2, [ev('9')])).toMatchObject({ events: [ev('9')], nextCursor: '9', more: false });
  });

  it('keeps the cursor when nothing is pending after it', () => {
    expect(pullResponse('9', 100, [])).toEqual({ ok: true, action: 'outbox.pull', events: [], nextCursor: '9', more: false });
  });

  it('acks known ids, reports unknown ones, and stops before governance runs out', () => {
    let remaining = 27;
    const acked: string[] = [];
    const response = ackEvents(['1', '2', '404', '4', '5'], {
      remainingUsage: () => remaining,
      markDelivered: (id) => {
        remaining -= 2;
        if (id === '404') return false;
        acked.push(id);
        return true;
      },
    });
    expect(response.results).toEqual([
      { id: '1', status: 'acked' },
      { id: '2', status: 'acked' },
      { id: '404', status: 'not_found' },
      { id: '4', status: 'not_attempted' },
      { id: '5', status: 'not_attempted' },
    ]);
    expect(acked).toEqual(['1', '2']);
  });
});
