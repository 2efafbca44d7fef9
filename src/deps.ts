// Everything a capability may touch, passed in explicitly: no capability reaches for
// process.env, a global client or the wall clock.

import type { FlagWatcher } from './adapters/flags.ts';
import type { createPagerDutyEvents, createPagerDutyRest } from './adapters/pagerduty.ts';
import type { SlackApi } from './adapters/slack.ts';
import type { UnleashAdmin } from './adapters/unleash-admin.ts';
import type { CatalogIndex } from './config/catalog.ts';
import type { Config } from './config/env.ts';
import type { Db } from './db/client.ts';
import type { Router } from './http/router.ts';
import type { Queue } from './jobs/queue.ts';
import type { Clock } from './kernel/clock.ts';
import type { Faults } from './kernel/crash-points.ts';
import type { People } from './kernel/people.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';

export { type Clock, systemClock } from './kernel/clock.ts';

/** The Unleash side of the kill switch: the Admin API to flip, the SDK view to confirm. */
export interface UnleashClients {
  admin: UnleashAdmin;
  watcher: FlagWatcher;
}

export interface AppDeps {
  config: Config;
  catalog: CatalogIndex;
  db: Db;
  queue: Queue;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  http: Router;
  slack: SlackApi;
  /** Display names of Slack users, cached per process. */
  people: People;
  pagerduty: {
    /** Null without PAGERDUTY_API_TOKEN: paging then uses the Events API and cannot name the person. */
    rest: ReturnType<typeof createPagerDutyRest> | null;
    events: ReturnType<typeof createPagerDutyEvents>;
  };
  /** Null without UNLEASH_URL and UNLEASH_ADMIN_TOKEN: /ai-kill then says what to configure. */
  unleash: UnleashClients | null;
  /** Fault injection for the crash tests (FAILSAFE_CRASH_AT, FAILSAFE_TEST_LEASE_SECONDS). */
  faults: Faults;
}
