/**
 * NetSuite's error bodies (reference netsuite-platform.md 1.4): RESTlets answer `{"error":{"code","message"}}`
 * (XML and text forms for callers that speak those), REST web services answer a problem-details document with
 * `o:errorDetails`.
 */
import type { Response } from 'express';

export const MESSAGES = {
  INVALID_LOGIN_ATTEMPT: 'Invalid login attempt.',
  INVALID_REQUEST: 'The request could not be understood by the server due to malformed syntax.',
  SSS_REQUEST_LIMIT_EXCEEDED: 'Request limit exceeded. The account has too many concurrent requests.',
  SSS_INVALID_SCRIPTLET_ID: 'No deployed RESTlet matches this script and deploy id.',
  UNEXPECTED_ERROR: 'An unexpected error has occurred.',
} as const;

/** The response format the caller speaks, from its Content-Type (reference 1.4 error body forms). */
function formatFor(requestContentType: string | undefined): 'json' | 'xml' | 'text' {
  const media = (requestContentType ?? '').split(';')[0]!.trim();
  if (media === 'text/plain') return 'text';
  if (media === 'application/xml') return 'xml';
  return 'json';
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Sends a RESTlet-style error: JSON by default, XML or text when the request was XML or text. */
export function sendRestletError(
  res: Response,
  status: number,
  code: string,
  message: string,
  requestContentType?: string,
): void {
  switch (formatFor(requestContentType)) {
    case 'text':
      res.status(status).type('text/plain').send(`error code: ${code}\nerror message: ${message}`);
      return;
    case 'xml':
      res
        .status(status)
        .type('application/xml')
        .send(`<error><code>${xmlEscape(code)}</code><message>${xmlEscape(message)}</message></error>`);
      return;
    case 'json':
      res.status(status).json({ error: { code, message } });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Sends a REST web services error (NSH/section_156570709583 shape). */
export function sendRestWsError(res: Response, status: number, code: string, detail: string): void {
  res
    .status(status)
    .type('application/vnd.oracle.resource+json; type=error')
    .send(
      JSON.stringify({
        type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
        title: TITLES[status] ?? 'Error',
        status,
        'o:errorDetails': [{ detail, 'o:errorCode': code }],
      }),
    );
}
