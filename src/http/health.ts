// /healthz: the process is alive. /readyz: it can do its job (database reachable, every
// migration applied, not shutting down), and which mode runs. /metrics: Prometheus text, read
// from memory only (the queue gauge has its own timer), behind FAILSAFE_METRICS_TOKEN when set.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PRISMA_DIR } from '../db/migrate.ts';
import type { AppDeps } from '../deps.ts';
import { appliedMigrations } from '../store/migrations.ts';
import { requireBearer } from './auth.ts';
import { sendJson, sendText } from './io.ts';

export function registerHealth(deps: AppDeps, readiness: { draining: boolean }): void {
  deps.http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  deps.http.route('GET', '/readyz', async (_req, res) => {
    const checks = await readinessChecks(deps, readiness);
    const ready = Object.values(checks).every((c) => c === 'ok');
    // Which Failsafe answers: a sandbox mistaken for production is the failure this guards.
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not_ready',
      mode: deps.config.mode,
      embeddedDatabase: !deps.config.databaseUrl,
      checks,
    });
  });
  deps.http.route('GET', '/metrics', async (req, res) => {
    if (deps.config.metricsToken) requireBearer(req, deps.config.metricsToken);
    sendText(res, 200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
  });
}

let expectedMigrations: Promise<string[]> | undefined;

async function readinessChecks(deps: AppDeps, readiness: { draining: boolean }) {
  const checks: Record<string, string> = { shutdown: readiness.draining ? 'draining' : 'ok' };
  try {
    expectedMigrations ??= readdir(path.join(PRISMA_DIR, 'migrations'), { withFileTypes: true }).then((d) =>
      d.filter((e) => e.isDirectory()).map((e) => e.name),
    );
    const names = new Set(await appliedMigrations(deps.db));
    checks.database = 'ok';
    checks.migrations = (await expectedMigrations).every((m) => names.has(m)) ? 'ok' : 'pending';
  } catch {
    checks.database = 'unreachable';
  }
  return checks;
}
