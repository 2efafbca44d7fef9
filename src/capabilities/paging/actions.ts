// Acknowledge, Resolve and Escalate carried out in PagerDuty as the person who asked (from
// a Slack button or the phone ack page). A double click, a Slack retry or a second replica
// performs one PagerDuty call: the effect key is the change the person asked for, never state
// the effect itself changes (an Escalate keyed on the current level would run again after it).

import { UpstreamError } from '../../adapters/http.ts';
import type { PagerDutyRest } from '../../adapters/pagerduty.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { EffectBusyError, performOnce } from '../../jobs/effects.ts';
import { whatFailed } from '../../kernel/errors.ts';
import type { PagerDutyPerson } from '../../kernel/people.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident, updateIncident } from '../../store/incidents.ts';
import type { PagingDeps } from './deps.ts';
import { atLastLevelText, lastEscalationLevel } from './escalation-policy.ts';

export type IncidentAction = 'acknowledge' | 'resolve' | 'escalate';

export type ActionResult =
  | { ok: true; text: string }
  | { ok: false; reason: string; text: string; retryable?: boolean };

const VERB: Record<IncidentAction, string> = {
  acknowledge: 'Acknowledging',
  resolve: 'Resolving',
  escalate: 'Escalating',
};

/** Who acts: a Slack user (mapped to PagerDuty by email), or a PagerDuty user already known. */
export type Actor = { slackUserId: string } | { person: PagerDutyPerson };

export async function actOnIncident(
  deps: PagingDeps,
  input: {
    incidentId: string;
    action: IncidentAction;
    actor: Actor;
    via: string;
    /** For escalate: the level the person saw when they asked; unset = the current one. */
    seenLevel?: number;
  },
): Promise<ActionResult> {
  const incident = await findIncident(deps.db, input.incidentId);
  if (!incident?.pdIncidentId)
    return fail('not_found', 'This incident has no PagerDuty incident yet, so there is nothing to change.');
  if (incident.status === 'resolved') return fail('already', 'This incident is already resolved.');
  if (input.action === 'acknowledge' && incident.status === 'acknowledged') {
    return fail('already', `Already acknowledged by ${incident.acknowledgedBy ?? 'someone'}.`);
  }
  if (
    input.action === 'escalate' &&
    incident.escalationLevel > (input.seenLevel ?? incident.escalationLevel)
  ) {
    const to = incident.assigneeName ? ` to ${incident.assigneeName}` : '';
    return fail(
      'already',
      `Already escalated${to} (level ${incident.escalationLevel}). Nothing was changed.`,
    );
  }
  const rest = deps.pagerduty.rest;
  if (!rest) {
    return fail(
      'no_rest',
      'Failsafe has no PagerDuty REST API token, so it cannot act for you. Use PagerDuty directly.',
    );
  }
  if (input.action === 'escalate') {
    const refused = await refuseBeyondLastLevel(deps, incident);
    if (refused) return refused;
  }
  const { person, email } =
    'person' in input.actor
      ? { person: input.actor.person, email: input.actor.person.email }
      : await deps.people.pagerDutyPersonFor(input.actor.slackUserId);
  if (!person) {
    const who = email ? `with the email ${email}` : 'for your Slack profile (it has no email)';
    return fail(
      'no_pagerduty_user',
      `You have no PagerDuty account ${who}, so nothing was changed. Ask a PagerDuty admin to add you.`,
    );
  }
  const key = effectKey(incident, input.action);
  // Only the process that claims the effect shows it in flight (and clears it afterwards).
  let claimed = false;
  try {
    const run = await performOnce(deps, key, {
      claimMs: 30_000,
      perform: async () => {
        claimed = true;
        await setPending(deps, incident.id, `${VERB[input.action]} for ${person.name}…`);
        return callPagerDuty(deps, rest, incident, input.action, person);
      },
      record: (tx, result) => recordResult(tx, deps, incident, input, person, result),
    });
    if (run.performed) await deps.incidentChanged?.(deps, incident.id);
    return run.performed
      ? { ok: true, text: successText(input.action, run.result) }
      : fail('already', 'That was already done.');
  } catch (error) {
    if (error instanceof EffectBusyError)
      return fail(
        'in_progress',
        'Someone is already doing that; the message updates when PagerDuty answers.',
      );
    deps.logger.warn(
      { err: error, incidentId: incident.id, action: input.action },
      'PagerDuty action failed',
    );
    const retryable = !(error instanceof UpstreamError) || error.kind === 'retryable';
    const text = `PagerDuty did not accept the change: ${whatFailed(error)}. Nothing was changed; try again or use PagerDuty.`;
    return { ok: false, reason: 'failed', text, retryable };
  } finally {
    if (claimed) await setPending(deps, incident.id, null);
  }
}

/**
 * Escalate: the level it escalates to (a second click from the same view asks for the same
 * level). Acknowledge and resolve: the status they leave, from the state they were asked in.
 */
export function effectKey(incident: Incident, action: IncidentAction): string {
  if (action === 'escalate') return `action:${incident.id}:escalate:to-level:${incident.escalationLevel + 1}`;
  return `action:${incident.id}:${action}:${incident.statusChangedAt?.getTime() ?? 0}`;
}

/** Escalating from the last level would page nobody: refuse before any PagerDuty write. */
async function refuseBeyondLastLevel(deps: PagingDeps, incident: Incident): Promise<ActionResult | null> {
  try {
    const last = await lastEscalationLevel(deps, incident);
    // Unknown (no policy to ask): PagerDuty itself refuses a level that does not exist.
    return last !== null && incident.escalationLevel >= last
      ? fail('last_level', atLastLevelText(incident))
      : null;
  } catch (error) {
    const retryable = !(error instanceof UpstreamError) || error.kind === 'retryable';
    const text = `Could not ask PagerDuty who is on call: ${whatFailed(error)}. Nothing was changed; try again or use PagerDuty.`;
    return { ok: false, reason: 'failed', text, retryable };
  }
}

function fail(reason: string, text: string): ActionResult {
  return { ok: false, reason, text };
}

type CallResult = {
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  assigneeSlackId: string | null;
};

async function callPagerDuty(
  deps: PagingDeps,
  rest: PagerDutyRest,
  incident: Incident,
  action: IncidentAction,
  person: PagerDutyPerson,
): Promise<CallResult> {
  const change =
    action === 'escalate'
      ? { escalationLevel: incident.escalationLevel + 1 }
      : { status: action === 'acknowledge' ? ('acknowledged' as const) : ('resolved' as const) };
  const updated = await rest.updateIncident(incident.pdIncidentId as string, person.email, change);
  const assignee = action === 'escalate' ? updated.assignees[0] : undefined;
  if (!assignee) return { assigneeId: null, assigneeName: null, assigneeEmail: null, assigneeSlackId: null };
  const user = await rest.getUser(assignee.id).catch(() => null);
  const slack = user?.email ? await deps.slack.lookupUserByEmail(user.email).catch(() => null) : null;
  return {
    assigneeId: assignee.id,
    assigneeName: user?.name ?? assignee.name,
    assigneeEmail: user?.email ?? null,
    assigneeSlackId: slack?.id ?? null,
  };
}

async function recordResult(
  tx: Parameters<NonNullable<Parameters<typeof performOnce>[2]['record']>>[0],
  deps: PagingDeps,
  incident: Incident,
  input: { action: IncidentAction; via: string },
  person: PagerDutyPerson,
  result: CallResult,
): Promise<void> {
  const now = deps.clock.now();
  const data =
    input.action === 'acknowledge'
      ? {
          status: 'acknowledged',
          statusChangedAt: now,
          acknowledgedAt: now,
          acknowledgedBy: person.name,
          acknowledgedVia: input.via,
        }
      : input.action === 'resolve'
        ? { status: 'resolved', statusChangedAt: now, resolvedAt: now, openKey: null }
        : {
            status: 'triggered',
            statusChangedAt: now,
            acknowledgedAt: null,
            acknowledgedBy: null,
            acknowledgedVia: null,
            escalationLevel: incident.escalationLevel + 1,
            assignedVia: 'escalated',
            assigneeName: result.assigneeName,
            assigneePdId: result.assigneeId,
            assigneeEmail: result.assigneeEmail,
            assigneeSlackId: result.assigneeSlackId,
          };
  await updateIncident(tx, incident.id, data);
  await recordEntry(tx, {
    incidentId: incident.id,
    at: now,
    kind: `incident.${input.action === 'escalate' ? 'escalated' : input.action === 'resolve' ? 'resolved' : 'acknowledged'}`,
    actor: person.name,
    text: successText(input.action, result, person.name, input.via),
    data: { via: input.via, pdUserId: person.id },
    dedupKey: `action:${incident.id}:${input.action}:${now.getTime()}`,
  });
}

function successText(action: IncidentAction, result: CallResult, who?: string, via?: string): string {
  const by = who ? ` by ${who}${via ? ` from ${via}` : ''}` : '';
  if (action === 'acknowledge') return `Acknowledged${by}.`;
  if (action === 'resolve') return `Resolved${by}.`;
  return `Escalated${by}${result.assigneeName ? ` to ${result.assigneeName}` : ''}.`;
}

async function setPending(deps: PagingDeps, incidentId: string, text: string | null): Promise<void> {
  await updateIncident(deps.db, incidentId, { pendingAction: text });
  await deps.queue.enqueue(
    'slack-refresh',
    `${incidentId}:pending:${Date.now()}:${text ? 1 : 0}`,
    { incidentId },
    { inline: true },
  );
}
