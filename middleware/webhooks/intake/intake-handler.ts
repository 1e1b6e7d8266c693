/**
 * POST /webhooks/:channelKind/:channelId — the intake. In order:
 *   1. find the channel (unknown id, other kind → 404; disabled → 403): the row last read for this channel is tried
 *      first, and the delivery goes through a fresh read if anything is refused with it or if the write finds the
 *      channel disabled or re-keyed since (channel-lookup.ts);
 *   2. verify the RAW body with the channel's scheme (constant time; no secret → 401, fail closed; a signature
 *      header sent twice → 401 webhook_repeated_header, read from `req.headersDistinct`);
 *   3. validate: strict UTF-8, JSON object (big integers kept exact, bounded depth), no NUL in any string, an event
 *      id without control characters → else 400 with a code;
 *   4. store durably, deduped by the platform's event id: deliveries ready at about the same time share one
 *      statement (group-commit.ts: events + sync records + jobs, one wake-up of the workers);
 *   5. answer 2xx only after that commit (202 new, 200 duplicate); a failed group answers 5xx to each delivery.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { SecretBox } from '../../security/secret-box';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { Metrics } from '../../observability/metrics';
import { AppError } from '../../lib/errors';
import { findUnsafeText, hasNul, hasUnsafeText, isValidId, stripUnsafeText } from '../../lib/ids';
import { decodeUtf8Strict, JsonParseError, parseJsonSafe, type JsonValue } from '../../lib/safe-json';
import { isChannelKind, type ChannelKind } from '../../tenancy/channel-kinds';
import type { ChannelRow } from '../../store/sql/channels';
import type { AcceptResult } from '../../sync/sync-service';
import { createGroupCommit, type GroupCommitOptions } from './group-commit';
import { createChannelLookup } from './channel-lookup';
import { verifyWebhook, type EbayKeySource, type VerifyFailureCode } from '../verify';
import { webhookSecretsFor } from './webhook-secrets';

export interface IntakeDeps {
  db: Db;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  /** eBay's public keys by kid (createEbayKeySource), for eBay channels that store no keys. */
  ebayKeySource?: EbayKeySource;
  /** How deliveries are grouped into one write (defaults in group-commit.ts). */
  groupCommit?: GroupCommitOptions;
}

/** Headers that carry credentials are never stored with the event. */
const UNSTORED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'x-authorization']);
const MAX_ID_LENGTH = 200;
/** Thrown or returned inside one pass: the channel row used was stale; read it again. */
const STALE = Symbol('stale channel row');

function statusForVerifyFailure(code: VerifyFailureCode): number {
  switch (code) {
    case 'key_unavailable':
      return 503; // could not fetch eBay's key: the platform should retry
    case 'unsupported_kind':
      return 404;
    case 'missing_event_id':
    case 'malformed_body':
      return 400;
    default:
      return 401;
  }
}

function storedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (UNSTORED_HEADERS.has(name) || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function topicFrom(kind: ChannelKind, verifiedTopic: string | undefined, body: Record<string, JsonValue>): string {
  if (verifiedTopic) return stripUnsafeText(verifiedTopic).slice(0, MAX_ID_LENGTH);
  const candidates = kind === 'ebay' ? [(body.metadata as Record<string, JsonValue> | undefined)?.topic] : [body.topic, body.type, body.event, body.trigger];
  const found = candidates.find((t): t is string => typeof t === 'string' && t.length > 0);
  return stripUnsafeText(found ?? 'unknown').slice(0, MAX_ID_LENGTH);
}

export function createWebhookIntake(deps: IntakeDeps): RequestHandler {
  const now = deps.now ?? (() => new Date());
  const store = createGroupCommit(deps.db, deps.groupCommit);
  const channels = createChannelLookup(deps.db, deps.secretBox);

  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const kindParam = String(req.params.channelKind ?? '');
    const kindLabel = isChannelKind(kindParam) ? kindParam : 'unknown';
    const observe = (outcome: string): void => {
      deps.metrics?.webhookIntake.inc({ channel_kind: kindLabel, outcome });
      deps.metrics?.webhookIntakeSeconds.observe({ channel_kind: kindLabel, outcome: outcome.startsWith('rejected') ? 'rejected' : outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    const refuse = (status: number, code: string, message: string): never => {
      observe(`rejected_${code}`);
      throw new AppError(status, code, message);
    };

    const channelId = String(req.params.channelId ?? '');
    if (!isValidId(channelId)) refuse(400, 'invalid_request', 'The channel id is not a valid id (1 to 200 visible ASCII characters).');
    if (!isChannelKind(kindParam)) refuse(404, 'channel_not_found', 'No channel of this kind with this id.');
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const kind = kindParam as ChannelKind;

    /**
     * One pass with a channel row: the recent row of this channel (a hint: any refusal, or a channel changed by
     * the time of the write, sends the delivery through a fresh read instead) or a row just read.
     */
    const attempt = async (channel: ChannelRow | undefined, fromHint: boolean): Promise<AcceptResult | typeof STALE> => {
      const reject = (status: number, code: string, message: string): never => {
        if (fromHint) throw STALE;
        return refuse(status, code, message);
      };
      if (!channel || channel.kind !== kindParam) return reject(404, 'channel_not_found', 'No channel of this kind with this id.');
      if (!channel.enabled) return reject(403, 'channel_disabled', 'This channel is disabled.');

      const secrets = webhookSecretsFor(kind, channels.secrets(channel), deps.ebayKeySource, channel.id);
      // headersDistinct keeps a header sent twice as two values (req.headers joins them, or keeps the first).
      const verified = await verifyWebhook(kind, req.headersDistinct, raw, secrets, now());
      if (!verified.ok) {
        const code = verified.code === 'no_secret' ? 'webhook_secret_not_configured' : `webhook_${verified.code}`;
        if (verified.code === 'key_unavailable') {
          if (fromHint) throw STALE;
          // The reason (our token endpoint's answer, configuration hints) is for operators, not for whoever posted.
          (req as Request & { log?: Logger }).log?.warn({ channelId: channel.id, reason: verified.message }, 'webhook signing key unavailable');
          return reject(503, code, 'The signing key could not be fetched right now; deliver this notification again later.');
        }
        return reject(statusForVerifyFailure(verified.code), code, verified.message);
      }

      const text = decodeUtf8Strict(raw);
      if (text === undefined) return reject(400, 'invalid_utf8', 'The body is not valid UTF-8.');
      let body: JsonValue;
      try {
        body = parseJsonSafe(text);
      } catch (error) {
        if (error instanceof JsonParseError) return reject(400, error.code, `The body is not acceptable JSON: ${error.message}.`);
        throw error;
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return reject(400, 'invalid_body', 'The body must be a JSON object.');
      }
      if (findUnsafeText(body, hasNul)) return reject(400, 'invalid_body', 'The body holds a NUL character (\\u0000), which cannot be stored.');
      if (verified.eventId.length > MAX_ID_LENGTH) return reject(400, 'invalid_event_id', 'The event id is too long.');
      if (hasUnsafeText(verified.eventId)) return reject(400, 'invalid_event_id', 'The event id holds a control character.');

      const stored = await store.accept({
        tenantId: channel.tenant_id,
        channelId: channel.id,
        platformEventId: verified.eventId,
        topic: topicFrom(kind, verified.topic, body),
        externalKey: `${kind}:${channel.id}:${verified.eventId}`,
        headers: storedHeaders(req),
        body: text,
        // Written only if the channel is still enabled with the secrets this signature was verified with.
        channelSecretsSealed: channel.secrets_sealed,
      });
      return stored.channelChanged ? STALE : stored;
    };

    let result: AcceptResult | typeof STALE = STALE;
    const hint = channels.recent(channelId);
    try {
      if (hint) result = await attempt(hint, true);
    } catch (error) {
      if (error !== STALE) throw error;
    }
    // A channel changing again between each read and write: after a few reads, the platform is asked to retry.
    for (let reads = 0; result === STALE; reads++) {
      if (reads === 3) return refuse(503, 'channel_changed', 'The channel changed while this delivery was being stored; deliver it again.');
      result = await attempt(await channels.find(channelId), false);
    }
    observe(result.duplicate ? 'duplicate' : 'accepted');
    (req as Request & { log?: Logger }).log?.info(
      { syncRecordId: result.syncRecordId, channelId, duplicate: result.duplicate },
      result.duplicate ? 'webhook duplicate' : 'webhook accepted',
    );
    res.status(result.duplicate ? 200 : 202).json({
      received: true,
      duplicate: result.duplicate,
      eventId: result.eventId,
      syncRecordId: result.syncRecordId,
    });
  };
}
