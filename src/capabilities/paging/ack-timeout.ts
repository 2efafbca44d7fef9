// Escalation when nobody acknowledges: a timer per page, stored as a deferred job in the
// database (so it survives restarts and fires once across replicas). When it fires and the
// same person still has not acknowledged, say so in the channel and escalate in PagerDuty;
// at the policy's last level, say once that there is nobody further to page, and stop.

import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { actOnIncident } from './actions.ts';
import type { PagingDeps } from './deps.ts';
import { atLastLevelText, lastEscalationLevel } from './escalation-policy.ts';

export interface AckTimer {
  incidentId: string;
  level: number;
  /** Who was paged when the timer was set: a reassignment or escalation disarms it. */
  assigneePdId: string | null;
}

export async function armAckTimer(deps: PagingDeps, timer: AckTimer, seconds: number): Promise<void> {
  await deps.queue.enqueue('ack-timeout', `${timer.incidentId}:${timer.level}`, timer, {
    delayMs: seconds * 1000,
  });
}

export function describeWait(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

export async function onAckTimeout(deps: PagingDeps, timer: AckTimer): Promise<void> {
  const incident = await findIncident(deps.db, timer.incidentId);
  const feature = incident ? deps.catalog.featureByKey(incident.featureKey) : null;
  const stillWaiting =
    incident?.status === 'triggered' &&
    incident.escalationLevel === timer.level &&
    incident.assigneePdId === timer.assigneePdId;
  const fromEmail = deps.config.pagerduty.fromEmail;
  if (!incident || !feature || !stillWaiting || !fromEmail) return;
  const who = incident.assigneeName ?? 'The paged person';
  const channel = incident.slackChannel ?? feature.slack.alertsChannel;
  const waited = `${escapeMrkdwn(who)} has not acknowledged after ${describeWait(feature.ackTimeoutSeconds)}`;
  // PagerDuty not answering throws, so the job retries; at the last level there is nobody to
  // escalate to: say so once and stop (no PUT, no timer re-armed).
  const last = await lastEscalationLevel(deps, incident);
  if (last !== null && incident.escalationLevel >= last) {
    await postOnce(deps, `ack-timeout-last-level:${incident.id}`, { channel }, () => ({
      text: `:alarm_clock: ${waited}. ${atLastLevelText(incident)}`,
    }));
    return;
  }
  await postOnce(deps, `ack-timeout-notice:${incident.id}:${timer.level}`, { channel }, () => ({
    text: `:alarm_clock: ${waited} — escalating.`,
  }));
  const result = await actOnIncident(deps, {
    incidentId: incident.id,
    action: 'escalate',
    actor: { person: { id: 'failsafe', name: 'Failsafe', email: fromEmail } },
    via: 'the acknowledgement timeout',
    seenLevel: timer.level,
  });
  // PagerDuty down: retry. Refused (e.g. no higher level): the channel notice stands, stop.
  if (!result.ok && result.retryable) throw new Error(result.text);
  if (!result.ok) deps.logger.warn({ incidentId: incident.id, reason: result.text }, 'could not escalate');
  if (result.ok) {
    const after = await findIncident(deps.db, incident.id);
    if (after) {
      await armAckTimer(
        deps,
        { incidentId: after.id, level: after.escalationLevel, assigneePdId: after.assigneePdId },
        feature.ackTimeoutSeconds,
      );
    }
  }
}
