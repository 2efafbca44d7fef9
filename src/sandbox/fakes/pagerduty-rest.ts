// REST API v2 read routes of the fake PagerDuty (/oncalls, /services/{id}, /escalation_policies/{id}) and the helpers
// the incident routes share. Shapes follow test/contracts/pagerduty/rest-openapiv3.json;
// auth, headers and fault injection are checked in pagerduty.ts before any route runs.
import type { JsonReply, JsonRequest, Route } from './http-server.ts';
import { type Roster, rosterOncalls, rosterUsers } from './pagerduty-roster.ts';

export interface PdRef {
  id: string;
  type: string;
  summary: string;
  self: string;
  html_url: string;
}

/** An incident exactly as the fake returns it (wire shape); tests may change `status`. */
export interface FakeIncident extends PdRef {
  type: 'incident';
  title: string;
  incident_number: number;
  created_at: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  incident_key: string;
  urgency: 'high' | 'low';
  service: PdRef;
  escalation_policy: PdRef;
  assigned_via: 'escalation_policy' | 'direct_assignment';
  assignments: { at: string; assignee: PdRef }[];
  /** The escalation level now paged (1 until someone escalates). */
  escalation_level?: number;
  body: { type: 'incident_body'; details?: unknown };
  /** The `From` header of the request that created it. */
  created_by: string;
}

export interface RestContext {
  baseUrl(): string;
  roster(): Roster;
  incidents: FakeIncident[];
  /** When set, `From` must be one of these; by default any user of the roster, as on PagerDuty. */
  fromEmails: string[] | undefined;
  incidentCreated(incident: FakeIncident): void;
}

export function pdError(status: number, message: string, code: number, errors?: string[]): JsonReply {
  return { status, body: { error: { message, code, ...(errors ? { errors } : {}) } } };
}

export const invalidInput = (...errors: string[]) => pdError(400, 'Invalid Input Provided', 2001, errors);

/**
 * The `From` header of a write, checked as PagerDuty does: required (2016), an email address
 * (1028), and the email of a user of the account (1008 "Requester User Not Found").
 */
export function requester(ctx: Pick<RestContext, 'roster' | 'fromEmails'>, req: JsonRequest) {
  const from = req.headers.from;
  if (typeof from !== 'string' || from === '') {
    const message = 'You must specify a user\'s email address in the "From" header to perform this action';
    return { error: pdError(400, message, 2016) };
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(from)) return { error: pdError(400, 'Malformed "From" header', 1028) };
  const users = rosterUsers(ctx.roster());
  const user = users.find((u) => u.email.toLowerCase() === from.toLowerCase());
  const allowed = ctx.fromEmails ? ctx.fromEmails.includes(from) : user !== undefined;
  if (!allowed) return { error: pdError(400, 'Requester User Not Found', 1008) };
  return { from, user };
}

export function refFactory(ctx: RestContext) {
  return (type: string, collection: string, id: string, summary: string): PdRef => ({
    id,
    type: `${type}_reference`,
    summary,
    self: `${ctx.baseUrl()}/${collection}/${id}`,
    html_url: `${ctx.baseUrl()}/web/${collection}/${id}`,
  });
}

/** Classic pagination: limit (1–100), offset, `more`, and `total` only when asked for. */
export function paginate<T>(query: URLSearchParams, all: T[], key: string): JsonReply {
  const limit = Number(query.get('limit') ?? 25);
  const offset = Number(query.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return invalidInput('limit must be from 1 to 100');
  if (!Number.isInteger(offset) || offset < 0) return invalidInput('offset must be a non-negative integer');
  const total = query.get('total') === 'true' ? all.length : null;
  const more = offset + limit < all.length;
  return { status: 200, body: { [key]: all.slice(offset, offset + limit), limit, offset, more, total } };
}

export function readRoutes(ctx: RestContext): Route[] {
  const ref = refFactory(ctx);

  function listOncalls(req: JsonRequest): JsonReply {
    const withUsers = req.query.getAll('include[]').includes('users');
    const policyIds = req.query.getAll('escalation_policy_ids[]');
    const since = req.query.get('since');
    const oncalls = rosterOncalls(ctx.roster(), policyIds, since ? new Date(since) : undefined).map(
      ({ policy, level, user }) => {
        const userRef = ref('user', 'users', user.id, user.name);
        return {
          escalation_policy: ref('escalation_policy', 'escalation_policies', policy.id, policy.name),
          escalation_level: level.level,
          schedule: null,
          user: withUsers ? { ...userRef, type: 'user', name: user.name, email: user.email } : userRef,
          start: level.start ?? null,
          end: level.end ?? null,
        };
      },
    );
    return paginate(req.query, oncalls, 'oncalls');
  }

  function getService(_req: JsonRequest, [id]: string[]): JsonReply {
    const roster = ctx.roster();
    const service = roster.services.find((s) => s.id === id);
    if (!service) return pdError(404, 'Not Found', 2100);
    const policyId = service.escalationPolicyId;
    const policyName = roster.escalationPolicies.find((p) => p.id === policyId)?.name ?? policyId;
    const serviceRef = { ...ref('service', 'services', service.id, service.name), type: 'service' };
    const escalation_policy = ref('escalation_policy', 'escalation_policies', policyId, policyName);
    return {
      status: 200,
      body: { service: { ...serviceRef, name: service.name, status: 'active', escalation_policy } },
    };
  }

  function getPolicy(_req: JsonRequest, [id]: string[]): JsonReply {
    const policy = ctx.roster().escalationPolicies.find((p) => p.id === id);
    if (!policy) return pdError(404, 'Not Found', 2100);
    const policyRef = ref('escalation_policy', 'escalation_policies', policy.id, policy.name);
    return {
      status: 200,
      body: { escalation_policy: { ...policyRef, type: 'escalation_policy', name: policy.name } },
    };
  }

  function getUser(_req: JsonRequest, [id]: string[]): JsonReply {
    const user = rosterUsers(ctx.roster()).find((u) => u.id === id);
    if (!user) return pdError(404, 'Not Found', 2100);
    const userRef = ref('user', 'users', user.id, user.name);
    return { status: 200, body: { user: { ...userRef, type: 'user', name: user.name, email: user.email } } };
  }

  return [
    { method: 'GET', path: '/oncalls', handle: listOncalls },
    { method: 'GET', path: /^\/services\/([^/]+)$/, handle: getService },
    { method: 'GET', path: /^\/users\/([^/]+)$/, handle: getUser },
    { method: 'GET', path: /^\/escalation_policies\/([^/]+)$/, handle: getPolicy },
  ];
}
