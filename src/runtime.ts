// Starts and stops one Failsafe process: database (PostgreSQL or embedded PGlite),
// migrations, adapters, the Bolt app, the queue workers and the HTTP listener.
import type { Server } from 'node:http';
import path from 'node:path';
import { clientTokenList, createFlagWatcher } from './adapters/flags.ts';
import type { Fetch } from './adapters/http.ts';
import { createPagerDutyEvents, createPagerDutyRest } from './adapters/pagerduty.ts';
import { createSlackApi } from './adapters/slack.ts';
import { createUnleashAdmin } from './adapters/unleash-admin.ts';
import { type BuiltApp, buildApp } from './app.ts';
import { createCapabilities } from './capabilities/index.ts';
import { indexCatalog, loadCatalog } from './config/catalog.ts';
import { resolveCatalogPath } from './config/catalog-path.ts';
import { type Config, secretValues } from './config/env.ts';
import { openDb } from './db/client.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { type AppDeps, type Clock, systemClock } from './deps.ts';
import type { ServerLimits } from './http/limits.ts';
import { createRouter } from './http/router.ts';
import { createQueue } from './jobs/queue.ts';
import type { QueueOptions } from './jobs/types.ts';
import { armCrashPoint } from './kernel/crash-points.ts';
import { createPeople } from './kernel/people.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { startQueueDepthSampler } from './observability/queue-depth.ts';
import { recordDeadLetter } from './store/dead-letters.ts';

export interface RuntimeOptions {
  fetch?: Fetch;
  clock?: Clock;
  logger?: Logger;
  /** How often to re-queue pages left pending by a crash. */
  sweepIntervalMs?: number;
  defaultMetrics?: boolean;
  /** Queue tuning (tests use a fixed `random` for predictable back-off). */
  queue?: Partial<
    Pick<QueueOptions, 'random' | 'pollingIntervalSeconds' | 'inlineLeaseSeconds' | 'leaseSeconds'>
  >;
  /** After readiness fails, keep serving this long so load balancers notice (main uses 3 s). */
  drainDelayMs?: number;
  /** How often the queue-depth gauge is refreshed (never per scrape). */
  queueDepthIntervalMs?: number;
  /** Interface to listen on; unset = every interface. The sandbox passes loopback. */
  host?: string;
  /** How long a request may take to arrive (defaults: 10 s whole request, 5 s headers). */
  serverLimits?: Partial<ServerLimits>;
  /** A crash point to arm (FAILSAFE_CRASH_AT, read by main.ts): the process SIGKILLs itself there. */
  crashAt?: string;
}

export interface Running {
  deps: AppDeps;
  app: BuiltApp;
  server: Server;
  url: string;
  connectionString: string;
  /** Graceful: fail readiness, stop taking work, finish in-flight jobs, close everything. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startFailsafe(config: Config, options: RuntimeOptions = {}): Promise<Running> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: secretValues(config) });
  const catalog = indexCatalog(await loadCatalog(await resolveCatalogPath(config, logger)));
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl)
    embedded = await startEmbeddedDatabase({ dataDir: path.join(config.dataDir, 'data') });
  const connectionString = config.databaseUrl ?? (embedded as EmbeddedDatabase).connectionString;
  const applied = await migrate({ connectionString });
  if (applied.length) logger.info({ applied }, 'applied database migrations');

  const fetch = options.fetch ?? globalThis.fetch;
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const { db, close: closeDb } = openDb(connectionString, {
    poolSize: embedded ? 2 : 10,
    onError: (error) => logger.warn({ err: error }, 'database connection dropped'),
  });
  const queue = createQueue({
    connectionString,
    logger,
    metrics,
    poolSize: embedded ? 2 : 4,
    deadLetter: (letter) => recordDeadLetter(db, letter),
    ...options.queue,
  });
  const pd = config.pagerduty;
  const clock = options.clock ?? systemClock;
  const slack = createSlackApi({ baseUrl: config.slack.apiUrl, token: config.slack.botToken, fetch });
  const rest =
    pd.apiToken && pd.fromEmail
      ? createPagerDutyRest({ baseUrl: pd.apiUrl, token: pd.apiToken, fromEmail: pd.fromEmail, fetch })
      : null;
  const deps: AppDeps = {
    config,
    catalog,
    db,
    queue,
    logger,
    metrics,
    clock,
    http: createRouter(logger, () => clock.now().getTime()),
    slack,
    people: createPeople({ slack, pagerduty: rest, clock }),
    pagerduty: {
      rest,
      events: createPagerDutyEvents({ baseUrl: pd.eventsUrl, fetch }),
    },
    unleash: unleashFor(config, logger, fetch),
    faults: {
      crashAt: armCrashPoint(options.crashAt),
      leaseCapMs: options.queue?.leaseSeconds === undefined ? undefined : options.queue.leaseSeconds * 1000,
    },
  };
  const capabilities = createCapabilities(
    options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs },
  );
  for (const capability of capabilities) for (const job of capability.jobs(deps)) queue.define(job);
  const app = buildApp(deps, capabilities, {
    signingSecret: config.slack.signingSecret ?? '',
    botToken: config.slack.botToken ?? '',
    ...(options.serverLimits ? { limits: options.serverLimits } : {}),
  });
  await queue.start();
  const depthSampler = startQueueDepthSampler({
    depth: () => queue.depth(),
    gauge: metrics.queueDepth,
    logger,
    ...(options.queueDepthIntervalMs === undefined ? {} : { intervalMs: options.queueDepthIntervalMs }),
  });
  // The first scrape after start-up already sees every queue.
  await depthSampler.first;
  for (const capability of capabilities) await capability.start?.(deps);
  const server = await app.start(config.port, options.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // PORT=0 binds a free port (tests, a second sandbox beside the first): links built from here
  // on (the ack link in a page DM, a postmortem download) must name it, not :0.
  // Set on the one config object every capability's deps share (they copy deps, not config).
  if (config.port === 0 && config.publicUrl === 'http://localhost:0') {
    config.publicUrl = `http://localhost:${port}`;
  }

  let stopping: Promise<void> | undefined;
  return {
    deps,
    app,
    server,
    url: `http://127.0.0.1:${port}`,
    connectionString,
    stop(timeoutMs = 20_000) {
      stopping ??= (async () => {
        app.readiness.draining = true;
        depthSampler.stop();
        for (const capability of capabilities) await capability.stop?.();
        if (options.drainDelayMs) await new Promise((r) => setTimeout(r, options.drainDelayMs));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await queue.stop(timeoutMs);
        deps.unleash?.watcher.close();
        server.closeAllConnections();
        await closed;
        await closeDb();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}

function unleashFor(config: Config, logger: Logger, fetch: Fetch): AppDeps['unleash'] {
  const { url, adminToken, clientToken } = config.unleash;
  if (!url || !adminToken) return null;
  return {
    admin: createUnleashAdmin({ baseUrl: url, token: adminToken, fetch }),
    watcher: createFlagWatcher({
      baseUrl: url,
      clientTokens: clientTokenList(clientToken),
      // Logged, not thrown: a watcher that cannot poll never confirms, and the kill says so.
      onError: (error) => logger.warn({ err: error }, 'unleash SDK view could not refresh'),
    }),
  };
}
