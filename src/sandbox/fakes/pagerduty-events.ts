// Events API v2 route of the fake PagerDuty: POST /v2/enqueue, validated per
// test/contracts/pagerduty/events-v2-openapiv3.json, with triggers deduplicated by
// (routing key, dedup_key) into one alert until it is resolved — as PagerDuty does.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { JsonReply, JsonRequest, Route } from './http-server.ts';

export interface FakeEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: { summary: string; source: string; severity: string; custom_details?: unknown } | undefined;
  links?: { href: string; text?: string | undefined }[] | undefined;
  receivedAt: number;
}

export interface FakeAlert {
  routingKey: string;
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  /** How many triggers were folded into this alert. */
  triggers: number;
}

export interface EventsContext {
  events: FakeEvent[];
  alerts: FakeAlert[];
  /** When set, only these routing keys are accepted (others are 400, like a deleted integration). */
  routingKeys: string[] | undefined;
  eventAccepted(event: FakeEvent): void;
}

const MAX_BYTES = 512 * 1024;

const Event = z
  .object({
    routing_key: z.string().length(32, "Length of 'routing_key' is incorrect (should be 32 characters)"),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: z
      .object({
        summary: z.string().min(1),
        source: z.string().min(1),
        severity: z.enum(['critical', 'warning', 'error', 'info']),
        timestamp: z.iso.datetime({ offset: true }).optional(),
        custom_details: z.record(z.string(), z.unknown()).optional(),
      })
      .loose()
      .optional(),
    links: z.array(z.object({ href: z.string().min(1), text: z.string().optional() })).optional(),
  })
  .loose()
  .superRefine((event, ctx) => {
    if (event.event_action === 'trigger' && !event.payload) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: "'payload' is missing or null" });
    }
    if (event.event_action !== 'trigger' && !event.dedup_key) {
      ctx.addIssue({
        code: 'custom',
        path: ['dedup_key'],
        message: "'dedup_key' is required for this event_action",
      });
    }
  });

const rejected = (status: string, message: string, errors: string[]): JsonReply => ({
  status: 400,
  body: { status, message, errors },
});

export function eventsRoutes(ctx: EventsContext): Route[] {
  function enqueue(req: JsonRequest): JsonReply {
    if (req.bodyError || typeof req.body !== 'object' || req.body === null) {
      return rejected('Unrecognized object', 'Event object format is unrecognized', ['JSON parse error']);
    }
    if (Buffer.byteLength(req.rawBody) > MAX_BYTES) {
      return rejected('invalid event', 'Event object is invalid', ['Event object is larger than 512 KB']);
    }
    const parsed = Event.safeParse(req.body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      return rejected('invalid event', 'Event object is invalid', errors);
    }
    const input = parsed.data;
    if (ctx.routingKeys && !ctx.routingKeys.includes(input.routing_key)) {
      return rejected('invalid event', 'Event object is invalid', ['Invalid routing key']);
    }
    const event: FakeEvent = {
      routing_key: input.routing_key,
      event_action: input.event_action,
      dedup_key: input.dedup_key ?? randomBytes(16).toString('hex'),
      payload: input.payload,
      links: input.links,
      receivedAt: req.receivedAt,
    };
    ctx.events.push(event);
    applyToAlerts(ctx.alerts, event);
    ctx.eventAccepted(event);
    return {
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: event.dedup_key },
    };
  }
  return [{ method: 'POST', path: '/v2/enqueue', handle: enqueue }];
}

function applyToAlerts(alerts: FakeAlert[], event: FakeEvent): void {
  const open = alerts.find(
    (a) => a.routingKey === event.routing_key && a.dedupKey === event.dedup_key && a.status !== 'resolved',
  );
  if (event.event_action === 'trigger') {
    if (open) open.triggers += 1;
    else
      alerts.push({
        routingKey: event.routing_key,
        dedupKey: event.dedup_key,
        status: 'triggered',
        summary: event.payload?.summary ?? '',
        severity: event.payload?.severity ?? 'error',
        triggers: 1,
      });
    return;
  }
  // Acknowledging or resolving an unknown or closed alert is accepted and does nothing.
  if (open) open.status = event.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
}
