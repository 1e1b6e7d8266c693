/** Example answers for /openapi.json (each parses with its route's response schema: openapi unit tests). */
export const EXAMPLE_CONNECTION = {
  id: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Acme NetSuite',
  accountId: '1234567_SB1',
  authKind: 'tba',
  status: 'connected',
  statusMessage: null,
  concurrencyLimit: 5,
  restlet: { scriptId: 'customscript_lb_rl_api', deployId: 'customdeploy_lb_rl_api' },
  credentialsSet: true,
  createdAt: '2026-01-15T09:00:00.000Z',
  updatedAt: '2026-01-15T09:05:00.000Z',
} as const;

export const EXAMPLE_SYNC_RECORD = {
  id: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f',
  channelId: '3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
  eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  topic: 'refunds/create',
  externalKey: 'shopify:3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  state: 'posted',
  stateCode: null,
  stateMessage: null,
  attemptCount: 1,
  createdAt: '2026-01-15T10:00:00.000Z',
  updatedAt: '2026-01-15T10:00:02.000Z',
  stateChangedAt: '2026-01-15T10:00:02.000Z',
} as const;
