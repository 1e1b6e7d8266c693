/**
 * What a connector call can fail with: a snake_case code, whether retrying could help, the HTTP status when the
 * provider answered, and the provider's own error body (already parsed) for the logs and the exception view.
 */

export type ConnectorErrorCode =
  | 'network_error'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'provider_rejected'
  | 'provider_error'
  | 'invalid_json'
  | 'invalid_payload'
  | 'unreadable_refund';

export interface ConnectorError {
  code: ConnectorErrorCode;
  message: string;
  retryable: boolean;
  status?: number;
  providerBody?: unknown;
}

export type Result<T, E = ConnectorError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const connectorFailure = (
  code: ConnectorErrorCode,
  message: string,
  extra: Partial<Pick<ConnectorError, 'retryable' | 'status' | 'providerBody'>> = {},
): { ok: false; error: ConnectorError } => ({
  ok: false,
  error: { code, message, retryable: extra.retryable ?? false, ...(extra.status === undefined ? {} : { status: extra.status }), ...(extra.providerBody === undefined ? {} : { providerBody: extra.providerBody }) },
});
