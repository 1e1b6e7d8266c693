/** /v1/channels — storefronts, marketplaces, returns and payments platforms. Secrets are write-only. */
import { z } from 'zod';
import type { SecretBox } from '../../../security/secret-box';
import type { Db } from '../../../store/db';
import { AppError } from '../../../lib/errors';
import { createChannel, getPublicChannel, listPublicChannels, updateChannel, type PublicChannel } from '../../../tenancy/tenancy-service';
import { defineRoute, type BoundRoute } from './define-route';
import { failureToError } from './connections';
import { channelCreateBody, channelResponse, channelUpdateBody, idParams } from './schemas';

export function webhookUrl(baseUrl: string, channel: Pick<PublicChannel, 'kind' | 'id'>): string {
  return `${baseUrl}/webhooks/${channel.kind}/${channel.id}`;
}

export function channelRoutes(deps: { db: Db; secretBox: SecretBox; baseUrl: () => string }): BoundRoute[] {
  const { db, secretBox } = deps;
  const withUrl = (c: PublicChannel) => ({ ...c, webhookUrl: webhookUrl(deps.baseUrl(), c) });
  return [
    defineRoute(
      { method: 'get', path: '/v1/channels', summary: 'List channels', scope: 'channels:read', response: z.object({ items: z.array(channelResponse) }), status: 200 },
      async ({ tenantId }) => ({ items: (await listPublicChannels(db, secretBox, tenantId)).map(withUrl) }),
    ),
    defineRoute(
      { method: 'post', path: '/v1/channels', summary: 'Add a channel', scope: 'channels:write', body: channelCreateBody, response: channelResponse, status: 201 },
      async ({ tenantId, body }) => {
        const created = await createChannel(db, secretBox, tenantId, body);
        if (!created.ok) throw failureToError(created.error);
        return withUrl(created.value);
      },
    ),
    defineRoute(
      { method: 'get', path: '/v1/channels/:id', summary: 'Get a channel', scope: 'channels:read', params: idParams, response: channelResponse, status: 200 },
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
        response: channelResponse,
        status: 200,
      },
      async ({ tenantId, params, body }) => {
        const updated = await updateChannel(db, secretBox, tenantId, params.id, body);
        if (!updated.ok) throw failureToError(updated.error);
        return withUrl(updated.value);
      },
    ),
  ];
}
