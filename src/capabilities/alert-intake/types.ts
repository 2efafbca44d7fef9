export type AlertSource = 'alertmanager' | 'grafana' | 'generic' | 'langfuse';
export type AlertStatus = 'firing' | 'resolved';
/** Failsafe's severities, from most to least urgent. */
export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** One alert in Failsafe's own shape, whatever system sent it. */
export interface NormalisedAlert {
  /** A webhook source, or 'error-budget' for the burn-rate alerts Failsafe raises itself. */
  source: AlertSource | 'error-budget';
  /** Stable identity of the alert across repeats: the sender's fingerprint or dedup key. */
  fingerprint: string;
  status: AlertStatus;
  /** From the feature label (default `ai_feature`) or the generic payload's `feature`; null if absent. */
  feature: string | null;
  severity: Severity;
  summary: string;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
}
