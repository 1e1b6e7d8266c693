/**
 * What the flows' partner routes share: the shapes of a platform id and of a channel's order in a path, and how a
 * flow step's FlowError becomes the partner API's answer.
 */
import { z } from 'zod';
import { AppError } from '../../../lib/errors';
import { FlowError } from '../../../ports/netsuite';

export const platformId = z.string().min(1).max(200);
export const channelOrderParams = z.strictObject({ id: z.string().min(1).max(100), orderId: platformId });

/** A flow step's FlowError as the partner API's answer (404, 409, 503 or 400 with its code). */
export function asHttp(error: unknown): never {
  if (error instanceof FlowError) {
    const status = error.code.endsWith('_not_found') && error.code !== 'platform_order_not_found' ? 404 : error.code === 'order_not_synced' || error.code === 'netsuite_order_deleted' || error.code === 'order_import_disabled' ? 409 : error.retryable ? 503 : 400;
    throw new AppError(status, error.code, error.message);
  }
  throw error;
}
