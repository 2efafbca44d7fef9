// Composition root: the only place that reads process.env. Loads the configuration,
// starts the sandbox when config.mode says so, runs Failsafe, and shuts down on SIGTERM.

import { CatalogError } from './config/catalog.ts';
import { ConfigError, loadConfig } from './config/env.ts';
import { startFailsafe } from './runtime.ts';
import { SANDBOX_HOST, type Sandbox, sandboxBanner, startSandbox } from './sandbox/index.ts';

const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  // Only the crash tests set it; refused in production before anything starts.
  const crashAt = crashPointFrom(process.env);
  const leaseSeconds = testLeaseFrom(process.env);
  let config = loadConfig(process.env);
  let sandbox: Sandbox | undefined;
  if (config.mode === 'sandbox') {
    sandbox = await startSandbox(config);
    config = sandbox.config;
  }
  // The sandbox polls deferred jobs every second so short demo holds and retries feel immediate.
  const running = await startFailsafe(config, {
    // Time for a load balancer to see /readyz fail before the listener closes; the sandbox
    // listens on loopback for one person, so it has nobody to drain and stops at once.
    drainDelayMs: sandbox ? 0 : 3_000,
    ...(crashAt ? { crashAt } : {}),
    ...(sandbox ? { host: SANDBOX_HOST } : {}),
    ...(sandbox || leaseSeconds
      ? {
          queue: {
            ...(sandbox ? { pollingIntervalSeconds: 1 } : {}),
            ...(leaseSeconds ? { leaseSeconds, pollingIntervalSeconds: 1 } : {}),
          },
        }
      : {}),
  });
  sandbox?.register(running.deps.http, running.url);
  const url = `http://localhost:${new URL(running.url).port}`;
  if (sandbox) process.stdout.write(`${sandboxBanner(url, config.alertToken ?? '')}\n`);
  const address = running.server.address();
  running.deps.logger.info(
    {
      url,
      // `kill` wants the app's pid, which is not npm's when started through it.
      pid: process.pid,
      mode: config.mode,
      embeddedDatabase: !config.databaseUrl,
      listening: typeof address === 'object' && address ? `${address.address}:${address.port}` : address,
    },
    'failsafe started',
  );

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    running.deps.logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      running.deps.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    running
      .stop(SHUTDOWN_DEADLINE_MS - 8_000)
      .then(() => sandbox?.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        running.deps.logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function crashPointFrom(env: NodeJS.ProcessEnv): string | undefined {
  const name = env.FAILSAFE_CRASH_AT;
  if (!name) return undefined;
  if (env.NODE_ENV === 'production')
    throw new ConfigError('FAILSAFE_CRASH_AT', 'FAILSAFE_CRASH_AT is for tests; unset it in production');
  return name;
}

/** Seconds a dead process's leases hold in the fault tests; refused in production. */
function testLeaseFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.FAILSAFE_TEST_LEASE_SECONDS;
  if (!raw) return undefined;
  if (env.NODE_ENV === 'production')
    throw new ConfigError(
      'FAILSAFE_TEST_LEASE_SECONDS',
      'FAILSAFE_TEST_LEASE_SECONDS is for tests; unset it in production',
    );
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120)
    throw new ConfigError(
      'FAILSAFE_TEST_LEASE_SECONDS',
      `FAILSAFE_TEST_LEASE_SECONDS=${raw}: a whole number of seconds, 1 to 120`,
    );
  return seconds;
}

main().catch((error: unknown) => {
  // Configuration problems are the user's to fix: one clear line, no stack trace.
  if (error instanceof ConfigError || error instanceof CatalogError)
    process.stderr.write(`failsafe: ${error.message}\n`);
  else process.stderr.write(`failsafe: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
