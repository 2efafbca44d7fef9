// Incident routes of the fake PagerDuty: POST /incidents (assigned to the service's level-1
// on-call, one open incident per incident_key and service) and GET /incidents.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { JsonReply, JsonRequest, Route } from './http-server.ts';
import {
  type FakeIncident,
  invalidInput,
  paginate,
  pdError,
  type RestContext,
  refFactory,
  requester,
} from './pagerduty-rest.ts';
import { rosterUsers } from './pagerduty-roster.ts';

export type { FakeIncident } from './pagerduty-rest.ts';

const Ref = <T extends string>(type: T) => z.object({ id: z.string().min(1), type: z.literal(type) });
const CreateIncident = z.object({
  incident: z.object({
    type: z.literal('incident'),
    title: z.string().min(1),
    service: Ref('service_reference'),
    urgency: z.enum(['high', 'low']).optional(),
    incident_key: z.string().max(255).optional(),
    // The spec types details as an object, but PagerDuty's own example (and API) take a string.
    body: z.object({ type: z.literal('incident_body'), details: z.unknown().optional() }).optional(),
    assignments: z.array(z.object({ assignee: Ref('user_reference') })).optional(),
    escalation_policy: Ref('escalation_policy_reference').optional(),
  }),
});

export function incidentRoutes(ctx: RestContext): Route[] {
  const ref = refFactory(ctx);

  function createIncident(req: JsonRequest): JsonReply {
    const who = requester(ctx, req);
    if ('error' in who) return who.error;
    const { from } = who;
    const parsed = CreateIncident.safeParse(req.body);
    if (!parsed.success)
      return invalidInput(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const input = parsed.data.incident;
    const roster = ctx.roster();
    const service = roster.services.find((s) => s.id === input.service.id);
    if (!service) return invalidInput('Service not found');
    if (input.assignments && input.escalation_policy) {
      return invalidInput('Assignments cannot be specified if an escalation policy is given');
    }
    const key = input.incident_key ?? randomBytes(16).toString('hex');
    const open = (i: FakeIncident) =>
      i.service.id === service.id && i.incident_key === key && i.status !== 'resolved';
    if (ctx.incidents.some(open)) {
      const reason = 'Open incident with matching dedup key already exists on this service';
      return pdError(400, 'Incident Already Exists', 2001, [reason]);
    }
    const policy = roster.escalationPolicies.find(
      (p) => p.id === (input.escalation_policy?.id ?? service.escalationPolicyId),
    );
    if (!policy) return invalidInput('Escalation policy not found');
    const users = rosterUsers(roster);
    const assignees = input.assignments
      ? input.assignments.map((a) => users.find((u) => u.id === a.assignee.id))
      : (policy.levels.find((l) => l.level === 1)?.users ?? []);
    if (assignees.some((u) => u === undefined)) return invalidInput('Assignee not found');

    const now = new Date().toISOString();
    const number = ctx.incidents.length + 1;
    const id = `Q${randomBytes(16).toString('hex').toUpperCase().slice(0, 13)}`;
    const incident: FakeIncident = {
      ...ref('incident', 'incidents', id, `[#${number}] ${input.title}`),
      type: 'incident',
      title: input.title,
      incident_number: number,
      created_at: now,
      status: 'triggered',
      incident_key: key,
      urgency: input.urgency ?? 'high',
      service: ref('service', 'services', service.id, service.name),
      escalation_policy: ref('escalation_policy', 'escalation_policies', policy.id, policy.name),
      assigned_via: input.assignments ? 'direct_assignment' : 'escalation_policy',
      assignments: assignees.flatMap((u) =>
        u ? [{ at: now, assignee: ref('user', 'users', u.id, u.name) }] : [],
      ),
      body: { type: 'incident_body', ...(input.body ? { details: input.body.details } : {}) },
      created_by: from,
    };
    ctx.incidents.push(incident);
    ctx.incidentCreated(incident);
    return { status: 201, body: { incident } };
  }

  function listIncidents(req: JsonRequest): JsonReply {
    const key = req.query.get('incident_key');
    const statuses = req.query.getAll('statuses[]');
    const services = req.query.getAll('service_ids[]');
    const matches = ctx.incidents.filter(
      (i) =>
        (key === null || i.incident_key === key) &&
        (statuses.length === 0 || statuses.includes(i.status)) &&
        (services.length === 0 || services.includes(i.service.id)),
    );
    return paginate(req.query, matches, 'incidents');
  }

  return [
    { method: 'POST', path: '/incidents', handle: createIncident },
    { method: 'GET', path: '/incidents', handle: listIncidents },
  ];
}
