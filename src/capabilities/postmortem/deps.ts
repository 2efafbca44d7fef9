// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';

export type PostmortemDeps = Pick<
  AppDeps,
  | 'catalog'
  | 'clock'
  | 'config'
  | 'faults'
  | 'db'
  | 'http'
  | 'logger'
  | 'pagerduty'
  | 'people'
  | 'queue'
  | 'slack'
>;
