// Starts a whole Failsafe process against real PostgreSQL and the fake Slack and PagerDuty,
// over real HTTP, the way production runs it.
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type Running, type RuntimeOptions, startFailsafe } from '../../src/runtime.ts';
import { startFakePagerDuty } from '../../src/sandbox/fakes/pagerduty.ts';
import { startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { SLACK_RATE_LIMITS } from '../../src/sandbox/fakes/slack-throttle.ts';
import { createTestDatabase, setByBeforeAll, type TestDatabase, type Unset } from './database.ts';
import { TEST_SIGNING_SECRET } from './slack-request.ts';

export const ALERT_TOKEN = 'test-alert-token-0123456789';
export const EXAMPLE_CATALOG = path.resolve(import.meta.dirname, '../../failsafe.example.yml');

export type FakePd = Awaited<ReturnType<typeof startFakePagerDuty>>;
export type FakeSlackServer = Awaited<ReturnType<typeof startFakeSlack>>;

export interface Fakes {
  pd: FakePd;
  slack: FakeSlackServer;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const [pd, slack] = await Promise.all([
    startFakePagerDuty(),
    startFakeSlack({ rateLimits: SLACK_RATE_LIMITS }),
  ]);
  return {
    pd,
    slack,
    close: async () => {
      await Promise.all([pd.close(), slack.close()]);
    },
  };
}

export function testEnv(
  databaseUrl: string,
  fakes: Pick<Fakes, 'slack' | 'pd'>,
  extra: Record<string, string> = {},
) {
  return {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    FAILSAFE_CONFIG: EXAMPLE_CATALOG,
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: fakes.slack.token,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: fakes.slack.url,
    PAGERDUTY_API_TOKEN: fakes.pd.token,
    PAGERDUTY_FROM_EMAIL: 'failsafe@example.com',
    PAGERDUTY_API_URL: fakes.pd.url,
    PAGERDUTY_EVENTS_URL: fakes.pd.eventsUrl,
    FAILSAFE_ALERT_TOKEN: ALERT_TOKEN,
    ...extra,
  };
}

export async function startApp(
  databaseUrl: string,
  fakes: Fakes,
  extra: Record<string, string> = {},
  options: RuntimeOptions = {},
): Promise<Running> {
  const config = loadConfig(testEnv(databaseUrl, fakes, extra));
  return startFailsafe(config, {
    defaultMetrics: false,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
    // Deferred jobs (retries, holds, reminders) are picked up within a second, so tests of
    // them run in seconds; production polls every DEFAULT_POLL_SECONDS.
    queue: { pollingIntervalSeconds: 1, ...options.queue },
  });
}

export interface RunningApp {
  readonly database: TestDatabase;
  readonly fakes: Fakes;
  readonly app: Running;
}

export interface RunningAppOptions {
  /**
   * Environment over testEnv's. A function runs first in beforeAll, before the database, fakes
   * and app start, so it can prepare what the variables point at (a temporary catalog, say).
   */
  extra?: Record<string, string> | (() => Promise<Record<string, string>>);
  runtime?: RuntimeOptions;
  /** Runs after the fakes start and before the app does (e.g. to set the PagerDuty roster). */
  beforeStart?: (fakes: Fakes) => void | Promise<void>;
}

/**
 * One test file's own database, fake Slack and PagerDuty, and a running app: started in beforeAll,
 * torn down in afterAll. Read the returned properties inside tests and hooks, not at module level.
 */
export function useRunningApp(options: RunningAppOptions = {}): RunningApp {
  const state: Unset<RunningApp> = { database: undefined, fakes: undefined, app: undefined };
  beforeAll(async () => {
    const extra = typeof options.extra === 'function' ? await options.extra() : options.extra;
    state.database = await createTestDatabase();
    state.fakes = await startFakes();
    await options.beforeStart?.(state.fakes);
    state.app = await startApp(state.database.url, state.fakes, extra, options.runtime);
  });
  afterAll(async () => {
    await state.app?.stop();
    await state.fakes?.close();
    await state.database?.drop();
  });
  return setByBeforeAll(state, 'useRunningApp');
}

export function postAlert(
  app: Pick<Running, 'url'>,
  source: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${app.url}/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function genericAlert(
  fingerprint: string,
  feature = 'ai-support-bot',
  over: Record<string, unknown> = {},
) {
  return {
    summary: `Hallucinated refunds (${fingerprint})`,
    severity: 'critical',
    feature,
    fingerprint,
    labels: { model: 'gpt-x' },
    links: [{ href: 'https://grafana.example.com/d/abc', text: 'Dashboard' }],
    ...over,
  };
}

export interface Replicas {
  readonly database: TestDatabase;
  readonly fakes: Fakes;
  /** Every process launched so far, oldest first. */
  readonly apps: Running[];
  /** Starts another Failsafe on the same database and fakes, as a replica or a restart would. */
  launch(): Promise<Running>;
}

/**
 * One database and one set of fakes for processes a test starts and stops itself (restarts,
 * replicas). Every process still running is stopped in afterAll.
 */
export function useReplicas(
  options: { extra?: Record<string, string>; runtime?: RuntimeOptions } = {},
): Replicas {
  const state: { database?: TestDatabase; fakes?: Fakes } = {};
  const apps: Running[] = [];
  beforeAll(async () => {
    [state.fakes, state.database] = await Promise.all([startFakes(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await state.fakes?.close();
    await state.database?.drop();
  });
  return {
    get database() {
      return state.database as TestDatabase;
    },
    get fakes() {
      return state.fakes as Fakes;
    },
    apps,
    async launch() {
      const app = await startApp(
        (state.database as TestDatabase).url,
        state.fakes as Fakes,
        options.extra,
        options.runtime,
      );
      apps.push(app);
      return app;
    },
  };
}
