// What this capability touches of the app's dependencies, and nothing more: a change to
// another part of AppDeps cannot reach it.
import type { AppDeps } from '../../deps.ts';

export type IntakeDeps = Pick<
  AppDeps,
  'catalog' | 'clock' | 'config' | 'db' | 'faults' | 'http' | 'logger' | 'metrics' | 'queue'
>;
