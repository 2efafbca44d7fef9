// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';

export type UpdateDeps = Pick<
  AppDeps,
  'catalog' | 'clock' | 'config' | 'faults' | 'db' | 'logger' | 'pagerduty' | 'people' | 'queue' | 'slack'
>;
