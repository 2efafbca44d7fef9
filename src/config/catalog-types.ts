// The catalog as the rest of Failsafe sees it, once failsafe.yml is parsed and defaults are
// applied. Types only (and their guards), so the parser and the lookups can share them.
import type { ErrorBudgetDefaults, Slo } from './catalog-slo.ts';
import type { Watch, WatchDefaults } from './catalog-watch.ts';

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export type Urgency = 'high' | 'low';

export interface Feature {
  key: string;
  name: string;
  owner: { slack: string; email?: string };
  /** At least one of service (REST API, names who is on call) and routingKey (Events API). */
  pagerduty: { service?: string; escalationPolicy?: string; routingKey?: string };
  /** stakeholderChannel falls back to alertsChannel; timeZone to defaults.timeZone. */
  slack: { alertsChannel: string; stakeholderChannel: string; timeZone: string; incidentChannels: boolean };
  unleash?: { project: string; environment: string; flag: string; drillEnvironment?: string };
  fallback?: string;
  /** An alert belongs to this feature when labels[label] is one of values. */
  alertMatch: { label: string; values: string[] };
  autoResolve: boolean;
  /** Seconds an unacknowledged page waits before Failsafe escalates it. */
  ackTimeoutSeconds: number;
  /** Extra Slack user/user-group ids; restore defaults to the kill list. */
  permissions: { kill: string[]; restore: string[] };
  severityUrgency: Record<Severity, Urgency>;
  /** The feature's error budget; features without one have no budget and no burn alerts. */
  slo?: Slo;
  /** Bands and drift watched on the feature's measurements; empty when it has no `watch`. */
  watches: Watch[];
}

/** A feature with an Unleash flag: the only kind with a kill switch. */
export type FlaggedFeature = Feature & { unleash: NonNullable<Feature['unleash']> };

export function hasKillSwitch(feature: Feature): feature is FlaggedFeature {
  return feature.unleash !== undefined;
}

/** A feature with an error budget: the only kind the burn-rate evaluation looks at. */
export type BudgetedFeature = Feature & { slo: Slo };

export interface Catalog {
  defaults: {
    timeZone: string;
    featureLabel: string;
    adminGroup?: string;
    autoResolve: boolean;
    ackTimeoutSeconds: number;
    killVerifyTimeoutSeconds: number;
    /** How long a postmortem download link works after it is made. */
    postmortemLinkTtlSeconds: number;
    /** Term → plain words for /ai-update, over its built-in list; null allows a built-in term. */
    updateJargon?: Record<string, string | null>;
    errorBudget: ErrorBudgetDefaults;
    watch: WatchDefaults;
  };
  defaultRoute?: { feature: string };
  features: Feature[];
}
