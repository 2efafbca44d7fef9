// Webhooks v3 as the fake PagerDuty sends them: the payload shape of the contract samples
// (test/contracts/pagerduty/webhook-v3-*.json), signed with every configured secret.
import { createHmac, randomUUID } from 'node:crypto';
import type { FakeIncident } from './pagerduty-incidents.ts';
import type { RosterUser } from './pagerduty-roster.ts';

export interface WebhookOptions {
  agent?: RosterUser;
  /** PagerDuty's `event.client.name`, e.g. "PagerDuty Mobile". */
  client?: string;
  occurredAt?: Date;
  eventId?: string;
  assignee?: RosterUser;
  note?: string;
  priority?: string;
}

const userRef = (u: RosterUser) => ({
  id: u.id,
  type: 'user_reference',
  summary: u.name,
  self: `https://api.pagerduty.com/users/${u.id}`,
  html_url: `https://fake.pagerduty.local/users/${u.id}`,
});

export function webhookPayload(eventType: string, incident: FakeIncident, options: WebhookOptions = {}) {
  const incidentRef = {
    id: incident.id,
    type: 'incident_reference',
    summary: incident.title,
    self: incident.self,
    html_url: incident.html_url,
  };
  const data =
    eventType === 'incident.annotated'
      ? {
          id: `N${randomUUID().slice(0, 6)}`,
          type: 'incident_note',
          incident: incidentRef,
          content: options.note ?? '',
          trimmed: false,
        }
      : {
          id: incident.id,
          type: 'incident',
          self: incident.self,
          html_url: incident.html_url,
          number: incident.incident_number,
          status: incident.status,
          incident_key: incident.incident_key,
          title: incident.title,
          service: incident.service,
          assignees: options.assignee
            ? [userRef(options.assignee)]
            : incident.assignments.map((a) => ({ ...a.assignee, type: 'user_reference' })),
          escalation_policy: incident.escalation_policy,
          urgency: incident.urgency,
          priority: options.priority
            ? { id: 'PPRIO', type: 'priority_reference', summary: options.priority }
            : null,
        };
  return {
    event: {
      id: options.eventId ?? randomUUID(),
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: (options.occurredAt ?? new Date()).toISOString(),
      agent: options.agent ? userRef(options.agent) : null,
      client: options.client ? { name: options.client } : null,
      data,
    },
  };
}

export function signatureHeader(secrets: readonly string[], body: string): string {
  return secrets.map((s) => `v1=${createHmac('sha256', s).update(body).digest('hex')}`).join(',');
}

/** POSTs a webhook the way PagerDuty does; returns the receiver's response. */
export function deliverWebhook(
  url: string,
  secrets: readonly string[],
  payload: unknown,
  options: { webhookId?: string; body?: string } = {},
): Promise<Response> {
  const body = options.body ?? JSON.stringify(payload);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'PagerDuty-Webhook/V3.0',
      'x-webhook-id': options.webhookId ?? randomUUID(),
      'x-webhook-subscription': 'PSUBSCR',
      'x-pagerduty-signature': signatureHeader(secrets, body),
    },
    body,
  });
}
