/** /v1/connections — the tenant's NetSuite connections. Credentials are write-only. */
import type { SecretBox } from '../../../security/secret-box';
import type { Db } from '../../../store/db';
import { AppError } from '../../../lib/errors';
import type { AppFailure } from '../../../lib/result';
import * as sql from '../../../store/sql/connections';
import { createConnection, toPublicConnection, updateConnection } from '../../../tenancy/tenancy-service';
import { defineRoute, type BoundRoute } from './define-route';
import { EXAMPLE_CONNECTION } from './examples';
import { connectionCreateBody, connectionResponse, connectionUpdateBody, idParams } from './schemas';
import { z } from 'zod';

export function failureToError(f: AppFailure): AppError {
  if (f.code.endsWith('_not_found')) return new AppError(404, f.code, f.message);
  if (f.code === 'illegal_transition' || f.code === 'sync_record_in_flight') return new AppError(409, f.code, f.message);
  return new AppError(400, f.code, f.message);
}

export function connectionRoutes(deps: { db: Db; secretBox: SecretBox }): BoundRoute[] {
  const { db, secretBox } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/v1/connections',
        summary: 'List NetSuite connections',
        scope: 'connections:read',
        response: z.object({ items: z.array(connectionResponse) }),
        status: 200,
        examples: { response: { items: [EXAMPLE_CONNECTION] } },
      },
      async ({ tenantId }) => ({ items: (await sql.listConnections(db, tenantId)).map(toPublicConnection) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/v1/connections',
        summary: 'Connect a NetSuite account',
        scope: 'connections:write',
        body: connectionCreateBody,
        response: connectionResponse,
        status: 201,
        errors: { 400: ['invalid_credentials'] },
        examples: {
          request: {
            name: 'Acme NetSuite',
            accountId: '1234567_SB1',
            authKind: 'tba',
            credentials: { consumerKey: 'ck-0123', consumerSecret: 'cs-0123', tokenId: 'tk-0123', tokenSecret: 'ts-0123' },
          },
          response: { ...EXAMPLE_CONNECTION, status: 'pending', updatedAt: EXAMPLE_CONNECTION.createdAt },
        },
      },
      async ({ tenantId, body }) => {
        const created = await createConnection(db, secretBox, tenantId, body);
        if (!created.ok) throw failureToError(created.error);
        return created.value;
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/v1/connections/:id',
        summary: 'Get a NetSuite connection',
        scope: 'connections:read',
        params: idParams,
        response: connectionResponse,
        status: 200,
        errors: { 404: ['connection_not_found'] },
        examples: { response: EXAMPLE_CONNECTION },
      },
      async ({ tenantId, params }) => {
        const row = await sql.getConnection(db, tenantId, params.id);
        if (!row) throw new AppError(404, 'connection_not_found', 'No NetSuite connection with this id.');
        return toPublicConnection(row);
      },
    ),
    defineRoute(
      {
        method: 'patch',
        path: '/v1/connections/:id',
        summary: 'Update a NetSuite connection (new credentials set it back to pending)',
        scope: 'connections:write',
        params: idParams,
        body: connectionUpdateBody,
        response: connectionResponse,
        status: 200,
        errors: { 400: ['invalid_credentials', 'credentials_required'], 404: ['connection_not_found'] },
        examples: { request: { name: 'Acme NetSuite (sandbox)', concurrencyLimit: 10 }, response: { ...EXAMPLE_CONNECTION, name: 'Acme NetSuite (sandbox)', concurrencyLimit: 10 } },
      },
      async ({ tenantId, params, body }) => {
        const updated = await updateConnection(db, secretBox, tenantId, params.id, body);
        if (!updated.ok) throw failureToError(updated.error);
        return updated.value;
      },
    ),
  ];
}
