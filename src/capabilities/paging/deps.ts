// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';

export type PagingDeps = Pick<
  AppDeps,
  | 'catalog'
  | 'clock'
  | 'config'
  | 'faults'
  | 'db'
  | 'http'
  | 'logger'
  | 'metrics'
  | 'pagerduty'
  | 'people'
  | 'queue'
  | 'slack'
> & {
  /**
   * Told when an incident's state, assignee or PagerDuty link changes (capabilities/index.ts
   * passes the incident channel's summary refresh); absent, nobody else keeps a view of it.
   */
  incidentChanged?: IncidentChanged;
};
