// Writes to existing incidents in the fake PagerDuty: PUT /incidents/{id} (acknowledge,
// resolve, escalate to a level, as the user named in `From`) and GET /users?query= (the
// lookup Failsafe uses to map a Slack user to a PagerDuty user by email).
import { z } from 'zod';
import type { JsonReply, JsonRequest, Route } from './http-server.ts';
import type { FakeIncident } from './pagerduty-incidents.ts';
import {
  invalidInput,
  paginate,
  pdError,
  type RestContext,
  refFactory,
  requester,
} from './pagerduty-rest.ts';
import { type RosterUser, rosterUsers } from './pagerduty-roster.ts';

const UpdateIncident = z.object({
  incident: z.object({
    type: z.enum(['incident', 'incident_reference']),
    status: z.enum(['acknowledged', 'resolved']).optional(),
    escalation_level: z.number().int().min(1).optional(),
  }),
});

export interface UpdateContext extends RestContext {
  /** Called after an incident changed, with who changed it (for webhooks). */
  incidentUpdated(incident: FakeIncident, eventType: string, agent: RosterUser): void;
}

export function updateRoutes(ctx: UpdateContext): Route[] {
  const ref = refFactory(ctx);

  function updateIncident(req: JsonRequest, [id]: string[]): JsonReply {
    const who = requester(ctx, req);
    if ('error' in who) return who.error;
    // An update is made as a user, so a From outside the roster (even if allowed) cannot act.
    const agent = who.user;
    if (!agent) return pdError(400, 'Requester User Not Found', 1008);
    const incident = ctx.incidents.find((i) => i.id === id);
    if (!incident) return pdError(404, 'Not Found', 2100);
    const parsed = UpdateIncident.safeParse(req.body);
    if (!parsed.success)
      return invalidInput(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { status, escalation_level: level } = parsed.data.incident;
    const now = new Date().toISOString();
    if (status && incident.status !== 'resolved' && incident.status !== status) {
      incident.status = status;
      ctx.incidentUpdated(incident, `incident.${status}`, agent);
    } else if (level !== undefined && incident.status !== 'resolved') {
      const policy = ctx.roster().escalationPolicies.find((p) => p.id === incident.escalation_policy.id);
      const target = policy?.levels.find((l) => l.level === level);
      if (!target) return invalidInput(`Escalation level ${level} does not exist`);
      incident.escalation_level = level;
      incident.status = 'triggered';
      incident.assignments = target.users.map((u) => ({
        at: now,
        assignee: ref('user', 'users', u.id, u.name),
      }));
      ctx.incidentUpdated(incident, 'incident.escalated', agent);
    }
    return { status: 200, body: { incident } };
  }

  function listUsers(req: JsonRequest): JsonReply {
    const query = (req.query.get('query') ?? '').toLowerCase();
    const users = rosterUsers(ctx.roster())
      .filter((u) => !query || u.email.toLowerCase().includes(query) || u.name.toLowerCase().includes(query))
      .map((u) => ({ ...ref('user', 'users', u.id, u.name), type: 'user', name: u.name, email: u.email }));
    return paginate(req.query, users, 'users');
  }

  return [
    { method: 'PUT', path: /^\/incidents\/([^/]+)$/, handle: updateIncident },
    { method: 'GET', path: '/users', handle: listUsers },
  ];
}
