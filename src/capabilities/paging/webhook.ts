// POST /webhooks/pagerduty: PagerDuty webhooks v3 in. Refuse a request without a signature
// header before reading a byte of its body, read at most PAGERDUTY_BODY_LIMIT, verify the
// signature, store the body and dedup on the signed event.id in one transaction, answer well
// inside PagerDuty's 5 s, and do the work (state, timeline, Slack message) in a queued job.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertStorable, HttpError, parseJson, readBody, sendJson } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import { storePagerDutyDelivery } from '../../store/pagerduty-webhooks.ts';
import type { PagingDeps } from './deps.ts';
import { incidentIdOf, WebhookPayload } from './webhook-event.ts';
import { verifyPagerDutySignature } from './webhook-signature.ts';

/** PagerDuty's v3 payloads are a few KiB; 64 KiB leaves room for long notes and custom fields. */
export const PAGERDUTY_BODY_LIMIT = 64 * 1024;

const refused = () => new HttpError(401, 'invalid_signature', 'missing or invalid X-PagerDuty-Signature');

export async function receivePagerDutyWebhook(
  deps: PagingDeps,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const secrets = deps.config.pagerduty.webhookSecrets;
  const signature = req.headers['x-pagerduty-signature'];
  if (typeof signature !== 'string' || !signature.includes('v1=') || secrets.length === 0) {
    if (secrets.length === 0) ctx.log.warn('PagerDuty webhook refused: PAGERDUTY_WEBHOOK_SECRETS is not set');
    throw refused();
  }
  const raw = await readBody(req, PAGERDUTY_BODY_LIMIT);
  if (!verifyPagerDutySignature(signature, raw, secrets)) throw refused();
  const body = parseJson(raw);
  // Kept as jsonb below, so what PostgreSQL refuses is refused here, naming where it is.
  assertStorable(body);
  const parsed = WebhookPayload.safeParse(body);
  // A signed body we cannot read is still kept (and answered 2xx, so PagerDuty does not
  // disable the subscription): it may be a new event shape worth replaying later.
  const event = parsed.success ? parsed.data.event : null;
  // Kept to read in the table, never used to dedup: the signature does not cover it.
  const webhookId = String(req.headers['x-webhook-id'] ?? event?.id ?? ctx.requestId).slice(0, 200);
  const stored = await storePagerDutyDelivery(deps.db, {
    webhookId,
    payloadId: randomUUID(),
    requestId: ctx.requestId,
    body,
    event: event && {
      eventId: event.id,
      eventType: event.event_type,
      pdIncidentId: incidentIdOf(event),
      occurredAt: new Date(event.occurred_at),
    },
  });
  sendJson(res, 202, { status: stored });
  if (stored === 'accepted' && event) {
    await deps.queue
      .enqueue('pd-webhook', event.id, { eventId: event.id }, { inline: true })
      .catch((error: unknown) => ctx.log.error({ err: error }, 'could not queue webhook; the sweep will'));
  }
}
