/** Gateway to N/https: pushes outbox events to the middleware. */
import * as https from 'N/https';
import type { OutboxEvent } from '../../core/contracts/outbox';

export interface PushResult {
  delivered: boolean;
  status: number;
}

export function pushEvent(url: string, token: string, outboxId: string, event: OutboxEvent): PushResult {
  const response = https.post({
    url,
    body: JSON.stringify({ outboxId, event }),
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': `lb-outbox-${outboxId}`,
    },
  });
  return { delivered: response.code >= 200 && response.code < 300, status: response.code };
}
