// The incident's milestones and the four numbers every postmortem is compared by, computed
// from what was recorded (never typed in): time to detect, acknowledge, mitigate, resolve.
// Pure.
import type { PostmortemFacts } from './facts.ts';

export interface Milestone {
  at: Date;
  /** What happened, for the draft ("first alert", "kill switch"). */
  what: string;
  /** The actor as recorded (a name or a system); the draft turns it into a role. */
  actor: string | null;
}

export interface Milestones {
  /** The earliest sign of trouble: an alert's own start time, or a person declaring it. */
  firstSignal: Milestone;
  /** When the incident became known: the first alert received, or the declaration. */
  detected: Milestone;
  firstAlert: (Milestone & { source: string }) | null;
  declared: Milestone | null;
  acknowledged: (Milestone & { via: string | null }) | null;
  mitigated: Milestone | null;
  resolved: Milestone | null;
}

export interface Metrics {
  /** First signal → first alert received; null when no alert ever fired. */
  timeToDetectMs: number | null;
  /** Detection → first acknowledgement. */
  timeToAcknowledgeMs: number | null;
  /** Detection → kill switch off or marked mitigated, whichever came first. */
  timeToMitigateMs: number | null;
  /** Detection → resolved. */
  timeToResolveMs: number | null;
}

const earliest = <T extends { at: Date }>(items: (T | null | undefined)[]): T | null =>
  items
    .filter((i): i is T => Boolean(i))
    .reduce<T | null>((best, i) => (!best || i.at.getTime() < best.at.getTime() ? i : best), null);

export function milestones(facts: PostmortemFacts): Milestones {
  const { incident, entries, alerts, flagOperations } = facts;
  const firstEntry = (kinds: string[]) => entries.find((e) => kinds.includes(e.kind)) ?? null;
  const received = earliest(alerts.map((a) => ({ at: a.firstSeenAt, alert: a })));
  const started = earliest(alerts.map((a) => ({ at: a.startsAt, alert: a })));
  const firstAlert = received
    ? {
        at: received.at,
        what: received.alert.summary,
        actor: received.alert.source,
        source: received.alert.source,
      }
    : null;
  const declaredEntry = firstEntry(['incident.declared']);
  const declared = declaredEntry
    ? { at: declaredEntry.at, what: 'declared', actor: declaredEntry.actor }
    : null;
  const opened = { at: incident.openedAt, what: 'incident opened', actor: null };
  const detected = earliest<Milestone>([firstAlert, declared]) ?? opened;
  const signal = started
    ? { at: started.at, what: started.alert.summary, actor: started.alert.source }
    : null;
  const firstSignal = earliest<Milestone>([signal, declared]) ?? detected;

  const ackEntry = firstEntry(['incident.acknowledged', 'pagerduty.acknowledged']);
  const acknowledged = ackEntry
    ? {
        at: ackEntry.at,
        what: 'acknowledged',
        actor: ackEntry.actor,
        via:
          typeof ackEntry.data?.via === 'string'
            ? ackEntry.data.via
            : ackEntry.kind.startsWith('pagerduty.')
              ? 'PagerDuty'
              : null,
      }
    : incident.acknowledgedAt
      ? { at: incident.acknowledgedAt, what: 'acknowledged', actor: null, via: null }
      : null;

  const kill = earliest(
    flagOperations
      .filter((op) => op.kind === 'kill' && op.flippedAt)
      .map((op) => ({
        at: op.flippedAt as Date,
        what: 'kill switch off',
        actor: op.requestedByName,
      })),
  );
  const markedEntry = firstEntry(['incident.mitigated']);
  const marked = markedEntry
    ? { at: markedEntry.at, what: 'marked mitigated', actor: markedEntry.actor }
    : incident.mitigatedAt
      ? { at: incident.mitigatedAt, what: 'marked mitigated', actor: null }
      : null;
  const mitigated = earliest<Milestone>([kill, marked]);

  const resolvedEntry = firstEntry(['incident.resolved', 'pagerduty.resolved']);
  const resolved = incident.resolvedAt
    ? { at: incident.resolvedAt, what: 'resolved', actor: resolvedEntry?.actor ?? null }
    : resolvedEntry
      ? { at: resolvedEntry.at, what: 'resolved', actor: resolvedEntry.actor }
      : null;
  return { firstSignal, detected, firstAlert, declared, acknowledged, mitigated, resolved };
}

export function computeMetrics(m: Milestones): Metrics {
  const since = (to: Milestone | null, from: Milestone = m.detected) =>
    to ? Math.max(0, to.at.getTime() - from.at.getTime()) : null;
  return {
    timeToDetectMs: m.firstAlert ? since(m.firstAlert, m.firstSignal) : null,
    timeToAcknowledgeMs: since(m.acknowledged),
    timeToMitigateMs: since(m.mitigated ?? m.resolved),
    timeToResolveMs: since(m.resolved),
  };
}
