// The one shape every capability has. runtime.ts loops over the list: jobs are defined before
// the queue starts, listeners and routes are registered on the app, start runs the sweeps a
// replica owes at start-up (after the queue runs), stop undoes start. Nothing else of a
// capability is visible to the runtime.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../deps.ts';
import type { JobDefinition } from '../jobs/types.ts';

export interface Capability<D = AppDeps> {
  readonly name: string;
  /** Bolt listeners (commands, actions, views, events) and HTTP routes. */
  register(app: App, deps: D): void;
  /** The jobs this capability handles, each by its JobMap name. */
  jobs(deps: D): JobDefinition[];
  /** Start-up work once the queue runs: sweeps, timers armed in the database. */
  start?(deps: D): Promise<void>;
  /** Stops what start began (intervals); the queue and database are closed by the runtime. */
  stop?(): Promise<void>;
}

/** Fixes D for a capability literal so its methods are checked against its own deps. */
export function defineCapability<D>(capability: Capability<D>): Capability<D> {
  return capability;
}
