// PagerDuty webhook deliveries, deduplicated on X-Webhook-Id: stored with their body when they
// arrive, applied by a queued job, and marked processed with what came of them.
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

/** Stores the delivery and its body in one transaction; a webhook id seen before stores nothing. */
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
        ON CONFLICT (webhook_id) DO NOTHING`;
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

export function findPagerDutyWebhook(db: Tx, webhookId: string): Promise<PagerDutyWebhook | null> {
  return db.pagerDutyWebhook.findUnique({ where: { webhookId } });
}

export async function finishPagerDutyWebhook(
  tx: Tx,
  webhookId: string,
  at: Date,
  outcome: string,
): Promise<void> {
  await tx.pagerDutyWebhook.update({ where: { webhookId }, data: { processedAt: at, outcome } });
}

/** Ids of deliveries received before `before` and never processed (a crash between commit and enqueue). */
export async function unprocessedPagerDutyWebhooks(db: Tx, before: Date, limit = 500): Promise<string[]> {
  const rows = await db.pagerDutyWebhook.findMany({
    where: { processedAt: null, receivedAt: { lt: before } },
    select: { webhookId: true },
    take: limit,
  });
  return rows.map((r) => r.webhookId);
}
