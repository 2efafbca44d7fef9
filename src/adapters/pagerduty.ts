// Thin fetch clients for PagerDuty REST API v2 and Events API v2. Not @pagerduty/pdjs:
// its event() only builds https://{server} URLs, so it cannot reach a local fake or the
// sandbox, and its api() resolves on non-2xx, so every caller would have to re-check.
import { z } from 'zod';
import { type ClientOptions, joinUrl, UpstreamError } from './http.ts';
import { DEFAULT_TIMEOUT_MS, SERVICE, send, type Transport } from './pagerduty-wire.ts';

export { createPagerDutyEvents, type EnqueueInput, normalizeDedupKey } from './pagerduty-events.ts';

const ACCEPT = 'application/vnd.pagerduty+json;version=2';
const PAGE_LIMIT = 100; // PagerDuty's largest page for classic pagination
const DUPLICATE_INCIDENT = 'matching dedup key already exists';

export interface Oncall {
  escalationLevel: number;
  user: {
    id: string;
    name: string;
    email?: string | undefined;
    summary: string;
    htmlUrl?: string | undefined;
  };
  start: Date | null;
  end: Date | null;
  escalationPolicyId: string;
}

export interface PdService {
  id: string;
  name: string;
  escalationPolicyId: string;
}

export interface PdIncident {
  id: string;
  number?: number | undefined;
  htmlUrl: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  assignees: { id: string; name: string }[];
}

export interface CreateIncidentInput {
  serviceId: string;
  title: string;
  urgency: 'high' | 'low';
  incidentKey: string;
  details?: string | undefined;
  assigneeUserId?: string | undefined;
}

export type PagerDutyRest = ReturnType<typeof createPagerDutyRest>;

const Ref = z.object({ id: z.string(), summary: z.string().nullish(), html_url: z.string().nullish() });
const When = z.iso.datetime({ offset: true }).nullish();
const OncallsPage = z.object({
  oncalls: z.array(
    z.object({
      escalation_level: z.number().int(),
      escalation_policy: Ref,
      // With include[]=users the user is a full User (name, email), otherwise a reference.
      user: Ref.extend({ name: z.string().optional(), email: z.string().optional() }),
      start: When,
      end: When,
    }),
  ),
  more: z.boolean(),
});
const ServiceBody = z.object({
  service: z.object({ id: z.string(), name: z.string(), escalation_policy: Ref }),
});
const PolicyBody = z.object({ escalation_policy: z.object({ id: z.string(), name: z.string() }) });
const Incident = z.object({
  id: z.string(),
  incident_number: z.number().int().optional(),
  html_url: z.string(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  assignments: z.array(z.object({ assignee: Ref })).default([]),
});
const IncidentBody = z.object({ incident: Incident });
const IncidentsPage = z.object({ incidents: z.array(Incident) });

function toIncident(incident: z.infer<typeof Incident>): PdIncident {
  const assignees = incident.assignments.map(({ assignee: a }) => ({ id: a.id, name: a.summary ?? a.id }));
  const { id, incident_number: number, html_url: htmlUrl, status } = incident;
  return { id, number, htmlUrl, status, assignees };
}

function toOncall(o: z.infer<typeof OncallsPage>['oncalls'][number]): Oncall {
  const name = o.user.name ?? o.user.summary ?? o.user.id;
  const { id, email, summary, html_url: htmlUrl } = o.user;
  return {
    escalationLevel: o.escalation_level,
    user: { id, name, email, summary: summary ?? name, htmlUrl: htmlUrl ?? undefined },
    start: o.start ? new Date(o.start) : null,
    end: o.end ? new Date(o.end) : null,
    escalationPolicyId: o.escalation_policy.id,
  };
}

const UsersPage = z.object({
  users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
});
const UserBody = z.object({ user: z.object({ id: z.string(), name: z.string(), email: z.string() }) });

export function createPagerDutyRest(opts: ClientOptions & { fromEmail: string }) {
  const token = opts.token ?? '';
  const t: Transport = {
    fetch: opts.fetch ?? globalThis.fetch,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secrets: [token],
  };
  const headers = {
    Authorization: `Token token=${token}`,
    Accept: ACCEPT,
    'Content-Type': 'application/json',
  };

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    schema: S,
    body?: unknown,
    from = opts.fromEmail,
  ) {
    const url = joinUrl(opts.baseUrl, path);
    if (!token) throw new UpstreamError(SERVICE, method, url, 'config', undefined, 'no API token configured');
    // PagerDuty attributes writes to a user, named by email in `From`.
    const all = method === 'GET' ? headers : { ...headers, From: from };
    return send(t, method, url, all, schema, body === undefined ? undefined : JSON.stringify(body));
  }

  async function findIncidentByKey(incidentKey: string, serviceId?: string): Promise<PdIncident | null> {
    const query = new URLSearchParams({ incident_key: incidentKey, limit: String(PAGE_LIMIT) });
    if (serviceId) query.append('service_ids[]', serviceId);
    const { incidents } = await call('GET', `/incidents?${query}`, IncidentsPage);
    const found = incidents.find((i) => i.status !== 'resolved') ?? incidents.at(-1);
    return found ? toIncident(found) : null;
  }

  return {
    /** Everyone on call for the policy now, level 1 first; follows pages until `more` is false. */
    /** Who is on call per level, now or (with `since`) at a later moment such as a hand-off. */
    async listOncalls(escalationPolicyId: string, options: { since?: Date } = {}): Promise<Oncall[]> {
      const oncalls: Oncall[] = [];
      for (let offset = 0; ; ) {
        const query = new URLSearchParams([
          ['escalation_policy_ids[]', escalationPolicyId],
          ['earliest', 'true'],
          ['include[]', 'users'],
          ['limit', String(PAGE_LIMIT)],
          ['offset', String(offset)],
        ]);
        if (options.since) {
          query.append('since', options.since.toISOString());
          query.append('until', new Date(options.since.getTime() + 60_000).toISOString());
        }
        const page = await call('GET', `/oncalls?${query}`, OncallsPage);
        oncalls.push(...page.oncalls.map(toOncall));
        // An empty page that still claims `more` would loop forever; stop instead.
        if (!page.more || page.oncalls.length === 0) break;
        offset += page.oncalls.length;
      }
      return oncalls.sort((a, b) => a.escalationLevel - b.escalationLevel);
    },

    /** The PagerDuty user with exactly this email, or null: how a Slack user is mapped. */
    async findUserByEmail(email: string): Promise<{ id: string; name: string; email: string } | null> {
      const query = new URLSearchParams({ query: email, limit: String(PAGE_LIMIT) });
      const { users } = await call('GET', `/users?${query}`, UsersPage);
      return users.find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
    },

    /**
     * Acknowledge, resolve or escalate as a person: `asEmail` goes in `From`, so PagerDuty
     * records who did it. Returns the incident as PagerDuty now has it.
     */
    async updateIncident(
      incidentId: string,
      asEmail: string,
      change: { status: 'acknowledged' | 'resolved' } | { escalationLevel: number },
    ): Promise<PdIncident> {
      const incident =
        'status' in change
          ? { type: 'incident_reference', status: change.status }
          : { type: 'incident_reference', escalation_level: change.escalationLevel };
      const path = `/incidents/${encodeURIComponent(incidentId)}`;
      return toIncident((await call('PUT', path, IncidentBody, { incident }, asEmail)).incident);
    },

    /** A user's name and email, to mention them in Slack after a reassignment. */
    async getUser(userId: string): Promise<{ id: string; name: string; email: string }> {
      const { user } = await call('GET', `/users/${encodeURIComponent(userId)}`, UserBody);
      return user;
    },

    async getService(serviceId: string): Promise<PdService> {
      const { service } = await call('GET', `/services/${encodeURIComponent(serviceId)}`, ServiceBody);
      return { id: service.id, name: service.name, escalationPolicyId: service.escalation_policy.id };
    },

    /** Read-only, for the doctor: that the catalog's policy id names a policy of the account. */
    async getEscalationPolicy(policyId: string): Promise<{ id: string; name: string }> {
      const path = `/escalation_policies/${encodeURIComponent(policyId)}`;
      const { escalation_policy: policy } = await call('GET', path, PolicyBody);
      return { id: policy.id, name: policy.name };
    },

    /**
     * Idempotent on `incidentKey`: if PagerDuty already has an open incident with this key on
     * the service (a retry after a lost response), that incident is returned, not an error.
     */
    async createIncident(input: CreateIncidentInput): Promise<PdIncident> {
      const { serviceId, title, urgency, incidentKey, details, assigneeUserId } = input;
      const incident = {
        type: 'incident',
        title,
        service: { id: serviceId, type: 'service_reference' },
        urgency,
        incident_key: incidentKey,
        ...(details === undefined ? {} : { body: { type: 'incident_body', details } }),
        ...(assigneeUserId === undefined
          ? {}
          : { assignments: [{ assignee: { id: assigneeUserId, type: 'user_reference' } }] }),
      };
      try {
        return toIncident((await call('POST', '/incidents', IncidentBody, { incident })).incident);
      } catch (error) {
        const duplicate = error instanceof UpstreamError && error.message.includes(DUPLICATE_INCIDENT);
        const existing = duplicate ? await findIncidentByKey(incidentKey, serviceId) : null;
        if (!existing) throw error;
        return existing;
      }
    },

    /** The incident created with `incidentKey` (an open one first), e.g. to recover after a crash. */
    findIncidentByKey,
  };
}
