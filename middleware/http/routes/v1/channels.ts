/** /v1/channels — storefronts, marketplaces, returns and payments platforms. Secrets are write-only. */
import { z } from 'zod';
import type { SecretBox } from '../../../security/secret-box';
import type { Db } from '../../../store/db';
import { AppError } from '../../../lib/errors';
import type { ChannelSchemas } from '../../../tenancy/channel-kinds';
import { createChannel, getPublicChannel, listPublicChannels, updateChannel, type PublicChannel } from '../../../tenancy/tenancy-service';
import { defineRoute, type BoundRoute } from './define-route';
import { failureToError } from './connections';
import { channelBodiesFor, channelCreateBody, channelResponse, channelUpdateBody, idParams } from './schemas';

const EXAMPLE_CHANNEL = {
  id: '3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
  kind: 'shopify',
  role: 'cart',
  name: 'Demo shop',
  connectionId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  settings: { shopDomain: 'demo-shop.myshopify.com', refundDirection: 'netsuite_to_platform' },
  secretsSet: ['accessToken', 'webhookSecret'],
  enabled: true,
  webhookUrl: 'https://ledgerbridge.example.com/webhooks/shopify/3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
  createdAt: '2026-01-15T09:30:00.000Z',
  updatedAt: '2026-01-15T09:30:00.000Z',
} as const;

export function webhookUrl(baseUrl: string, channel: Pick<PublicChannel, 'kind' | 'id'>): string {
  return `${baseUrl}/webhooks/${channel.kind}/${channel.id}`;
}

/**
 * The bodies are parsed loosely here (kind, role, name, settings and secrets as objects) and the settings and
 * secrets validated by the tenancy service with the composed schemas (invalid_settings, contradictory_settings,
 * invalid_role, invalid_secrets); /openapi.json documents them with those same schemas, per kind.
 */
export function channelRoutes(deps: { db: Db; secretBox: SecretBox; baseUrl: () => string; channelSchemas: ChannelSchemas }): BoundRoute[] {
  const { db, secretBox, channelSchemas } = deps;
  const documented = channelBodiesFor(channelSchemas);
  const settingsErrors = ['invalid_body', 'invalid_role', 'invalid_settings', 'contradictory_settings', 'invalid_secrets'] as const;
  const withUrl = (c: PublicChannel) => ({ ...c, webhookUrl: webhookUrl(deps.baseUrl(), c) });
  return [
    defineRoute(
      {
        method: 'get',
        path: '/v1/channels',
        summary: 'List channels',
        scope: 'channels:read',
        response: z.object({ items: z.array(channelResponse) }),
        status: 200,
        examples: { response: { items: [EXAMPLE_CHANNEL] } },
      },
      async ({ tenantId }) => ({ items: (await listPublicChannels(db, secretBox, tenantId)).map(withUrl) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/v1/channels',
        summary: 'Add a channel',
        description: "The settings and secrets a channel takes depend on its kind (and the flows' settings keys, e.g. `refunds`); the webhook URL to give the platform is in the answer.",
        scope: 'channels:write',
        body: channelCreateBody,
        documentedBody: documented.create,
        response: channelResponse,
        status: 201,
        errors: { 400: settingsErrors, 404: ['connection_not_found'] },
        examples: {
          request: {
            kind: 'shopify',
            name: 'Demo shop',
            connectionId: EXAMPLE_CHANNEL.connectionId,
            settings: { shopDomain: 'demo-shop.myshopify.com', refundDirection: 'netsuite_to_platform' },
            secrets: { webhookSecret: 'whk_3c1d9f0a7b2e4d6f8a1c3e5b', accessToken: 'shpat_0123456789abcdef' },
          },
          response: EXAMPLE_CHANNEL,
        },
      },
      async ({ tenantId, body }) => {
        const created = await createChannel(db, secretBox, tenantId, body, channelSchemas);
        if (!created.ok) throw failureToError(created.error);
        return withUrl(created.value);
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/v1/channels/:id',
        summary: 'Get a channel',
        scope: 'channels:read',
        params: idParams,
        response: channelResponse,
        status: 200,
        errors: { 404: ['channel_not_found'] },
        examples: { response: EXAMPLE_CHANNEL },
      },
      async ({ tenantId, params }) => {
        const channel = await getPublicChannel(db, secretBox, tenantId, params.id);
        if (!channel) throw new AppError(404, 'channel_not_found', 'No channel with this id.');
        return withUrl(channel);
      },
    ),
    defineRoute(
      {
        method: 'patch',
        path: '/v1/channels/:id',
        summary: 'Update a channel\'s name, role, settings, secrets or enabled flag (settings and secrets: JSON Merge Patch, RFC 7396)',
        scope: 'channels:write',
        params: idParams,
        body: channelUpdateBody,
        documentedBody: documented.update,
        response: channelResponse,
        status: 200,
        errors: { 400: settingsErrors, 404: ['channel_not_found', 'connection_not_found'] },
        examples: {
          request: { settings: { refundDirection: 'platform_to_netsuite', apiVersion: null } },
          response: { ...EXAMPLE_CHANNEL, settings: { shopDomain: 'demo-shop.myshopify.com', refundDirection: 'platform_to_netsuite' } },
        },
      },
      async ({ tenantId, params, body }) => {
        const updated = await updateChannel(db, secretBox, tenantId, params.id, body, channelSchemas);
        if (!updated.ok) throw failureToError(updated.error);
        return withUrl(updated.value);
      },
    ),
  ];
}
