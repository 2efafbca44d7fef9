// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';

export type UpdateDeps = Pick<
  AppDeps,
  'catalog' | 'clock' | 'config' | 'faults' | 'db' | 'logger' | 'pagerduty' | 'people' | 'queue' | 'slack'
> & {
  /** Told when a posted update promised the incident's next one (its summary shows when). */
  incidentChanged?: IncidentChanged;
};
