// PagerDuty webhook deliveries, deduplicated on the signed body's event.id (X-Webhook-Id is not
// signed, so anyone holding an old body could resend it under a new one): stored with their
// body when they arrive, applied by a queued job, and marked processed with what came of them.
import type { PagerDutyWebhook } from '../generated/prisma/client.ts';
import { insertInboundPayload } from './payloads.ts';
import type { Db, Tx } from './tx.ts';

export interface WebhookDelivery {
  webhookId: string;
  payloadId: string;
  requestId: string;
  body: unknown;
  /** Null for a body that could not be read: it is kept, but there is nothing to apply. */
  event: { eventId: string; eventType: string; pdIncidentId: string | null; occurredAt: Date } | null;
}

/** Stores the delivery and its body in one transaction; an event id seen before stores nothing. */
export function storePagerDutyDelivery(
  db: Db,
  d: WebhookDelivery,
): Promise<'accepted' | 'duplicate' | 'unreadable'> {
  return db.$transaction(async (tx) => {
    const { event } = d;
    if (event) {
      const inserted = await tx.$executeRaw`
        INSERT INTO pagerduty_webhook (webhook_id, event_id, event_type, pd_incident_id, occurred_at, payload_id)
        VALUES (${d.webhookId}, ${event.eventId}, ${event.eventType}, ${event.pdIncidentId},
                ${event.occurredAt}, ${d.payloadId}::uuid)
        ON CONFLICT (event_id) DO NOTHING`;
      if (inserted === 0) return 'duplicate';
    }
    await insertInboundPayload(tx, {
      id: d.payloadId,
      kind: 'pagerduty',
      requestId: d.requestId,
      body: d.body,
    });
    return event ? 'accepted' : 'unreadable';
  });
}

export function findPagerDutyWebhook(db: Tx, eventId: string): Promise<PagerDutyWebhook | null> {
  return db.pagerDutyWebhook.findUnique({ where: { eventId } });
}

export async function finishPagerDutyWebhook(
  tx: Tx,
  eventId: string,
  at: Date,
  outcome: string,
): Promise<void> {
  await tx.pagerDutyWebhook.update({ where: { eventId }, data: { processedAt: at, outcome } });
}

/** Event ids of deliveries received before `before` and never processed (a crash between commit and enqueue). */
export async function unprocessedPagerDutyWebhooks(db: Tx, before: Date, limit = 500): Promise<string[]> {
  const rows = await db.pagerDutyWebhook.findMany({
    where: { processedAt: null, receivedAt: { lt: before } },
    select: { eventId: true },
    take: limit,
  });
  return rows.map((r) => r.eventId);
}
