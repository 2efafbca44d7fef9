// The part of a PagerDuty webhook v3 payload Failsafe acts on, validated at the boundary.
import { z } from 'zod';

const Ref = z.object({ id: z.string(), summary: z.string().nullish(), type: z.string().nullish() });

export const WebhookPayload = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().nullish(),
    occurred_at: z.iso.datetime({ offset: true }),
    agent: Ref.nullish(),
    client: z.object({ name: z.string().nullish() }).nullish(),
    data: z
      .object({
        id: z.string().nullish(),
        type: z.string().nullish(),
        status: z.string().nullish(),
        incident: Ref.nullish(),
        assignees: z.array(Ref).nullish(),
        priority: Ref.nullish(),
        content: z.string().nullish(),
        escalation_policy: Ref.nullish(),
      })
      .passthrough(),
  }),
});

export type WebhookEvent = z.infer<typeof WebhookPayload>['event'];

/** The PagerDuty incident an event is about: the resource itself, or the note's incident. */
export function incidentIdOf(event: WebhookEvent): string | null {
  if (event.data.type === 'incident_note') return event.data.incident?.id ?? null;
  return event.data.incident?.id ?? (event.data.type === 'incident' ? (event.data.id ?? null) : null);
}

/**
 * How the person acted, from the event's client. PagerDuty names its clients loosely
 * ("PagerDuty Mobile", "PagerDuty iOS", …); anything unrecognised reads as the web app.
 */
export function channelOf(event: WebhookEvent): string {
  const name = (event.client?.name ?? '').toLowerCase();
  if (/failsafe|slack/.test(name)) return 'Slack';
  if (/mobile|ios|android|app/.test(name)) return 'the PagerDuty app';
  if (/sms|text/.test(name)) return 'SMS';
  if (/phone|voice|call/.test(name)) return 'a phone call';
  if (/email/.test(name)) return 'email';
  return 'PagerDuty on the web';
}
