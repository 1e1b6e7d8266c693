/**
 * The NetSuite client's one outbound HTTP wrapper (axios with a timeout). It never throws for an HTTP status; it
 * throws NetworkError when no response arrived, saying whether the request may have reached NetSuite — the
 * difference between "safe to send again" and "a write may have committed: look it up first".
 */
import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The raw body (JSON text or a form). */
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class NetworkError extends Error {
  /** Axios/Node error code (ECONNRESET, ECONNABORTED, ETIMEDOUT …). */
  readonly code: string;
  /**
   * False only when the request certainly never reached the server (connection refused, DNS failure). Anything
   * else — a reset, a timeout, a socket closed mid-response — may have run on NetSuite.
   */
  readonly maybeDelivered: boolean;
  constructor(code: string, message: string, maybeDelivered: boolean) {
    super(message);
    this.name = 'NetworkError';
    this.code = code;
    this.maybeDelivered = maybeDelivered;
  }
}

/** Codes that mean the connection was never made. */
const NOT_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL'];

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export function createHttpClient(options: { timeoutMs: number }): HttpClient {
  const instance: AxiosInstance = axios.create({
    timeout: options.timeoutMs,
    // Bodies are strings both ways: the client parses JSON itself and keeps errors' raw text.
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    responseType: 'text',
    validateStatus: () => true,
    maxRedirects: 0,
    // Reused connections: no TCP/TLS handshake inside the account's few concurrency slots.
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    maxBodyLength: 11 * 1024 * 1024,
    maxContentLength: 11 * 1024 * 1024,
  });
  return {
    async send(request) {
      try {
        const response = await instance.request<string>({
          method: request.method,
          url: request.url,
          headers: request.headers,
          data: request.body,
        });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
        }
        return { status: response.status, headers, body: typeof response.data === 'string' ? response.data : '' };
      } catch (e) {
        const code = String((e as { code?: unknown }).code ?? 'UNKNOWN');
        const message = e instanceof Error ? e.message : String(e);
        throw new NetworkError(code, `${request.method} ${new URL(request.url).pathname}: ${message}`, !NOT_SENT.includes(code));
      }
    },
  };
}
