// What a postmortem is built from: plain data read from the database once, so the draft
// itself is a pure function of it (and golden files can pin it down).

export interface TimelineItem {
  at: Date;
  kind: string;
  actor: string | null;
  text: string;
  data: Record<string, unknown> | null;
  dedupKey: string;
}

export interface AlertFacts {
  source: string;
  fingerprint: string;
  status: string;
  severity: string;
  summary: string;
  description: string | null;
  labels: Record<string, string>;
  /** Quality-watch alerts carry their replay links here (replay_1, replay_1_label, …). */
  annotations?: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  firstSeenAt: Date;
  receiveCount: number;
}

export interface FlagOperationFacts {
  id: string;
  kind: string;
  state: string;
  flag: string;
  environment: string;
  requestedByName: string;
  reason: string;
  steps: number[];
  holdSeconds: number;
  createdAt: Date;
  flippedAt: Date | null;
  confirmMs: number | null;
  finishedAt: Date | null;
  lastError: string | null;
}

export interface IncidentFacts {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  rootCause: string | null;
  channelId: string | null;
  channelName: string | null;
  pdIncidentUrl: string | null;
  alertCount: number;
}

export interface FeatureFacts {
  key: string;
  name: string;
  timeZone: string;
  fallback: string | null;
  flag: { flag: string; environment: string } | null;
  /** The error budget, when the feature has one: the natural acceptance signal. */
  slo: { targetPercent: number; periodDays: number; kinds: string[] | null } | null;
  /** The metrics the feature's quality watches judge (empty without a `watch` block). */
  watches?: string[];
}

/** Someone who took part, with the Slack id when known. Names stay in the appendix. */
export interface PersonFacts {
  name: string;
  slackId: string | null;
  /** The Slack handle (`jane` of @jane), when known. */
  handle: string | null;
  /** Roles in order of importance: the first is how the narrative names them. */
  roles: string[];
}

export interface PostmortemFacts {
  incident: IncidentFacts;
  feature: FeatureFacts;
  /** Ordered by time (then insertion). Includes every captured channel message. */
  entries: TimelineItem[];
  alerts: AlertFacts[];
  flagOperations: FlagOperationFacts[];
  people: PersonFacts[];
  review: { reviewedAt: Date | null; version: number };
}

/** Actors that are Failsafe or a monitoring source, never a person. */
export const SYSTEM_ACTORS = new Set([
  'failsafe',
  'Failsafe',
  'alertmanager',
  'grafana',
  'generic',
  'error-budget',
  'quality-watch',
]);
