// POST /alerts/:source — monitoring webhooks in. The answer is 2xx only after the alerts are
// committed; a database failure answers 503 so Alertmanager retries, and anything that can
// never become valid answers 4xx with the field named, having written nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireBearer } from '../../http/auth.ts';
import { HttpError, readJson, sendJson } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import type { Capability } from '../../kernel/capability.ts';
import { requestRefresh } from '../paging/index.ts';
import { createIntakeBatcher } from './batcher.ts';
import type { IntakeDeps } from './deps.ts';
import { parseAlerts } from './sources/index.ts';
import type { AlertSource, NormalisedAlert } from './types.ts';

export type { AlertStatus, NormalisedAlert, Severity } from './types.ts';

import type { IntakeResult, Route } from '../../store/ingest.ts';

const SOURCES: readonly AlertSource[] = ['alertmanager', 'grafana', 'generic'];

type Batcher = ReturnType<typeof createIntakeBatcher>;

export function createAlertIntake(): Capability<IntakeDeps> {
  return {
    name: 'alert-intake',
    register(_app, deps) {
      const batcher = createIntakeBatcher(deps.db);
      deps.http.route('POST', '/alerts/:source', (req, res, ctx) =>
        receiveAlerts(deps, batcher, req, res, ctx),
      );
    },
    jobs: () => [],
  };
}

export async function receiveAlerts(
  deps: IntakeDeps,
  batcher: Batcher,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const source = ctx.params.source as AlertSource;
  // Authenticate first: strangers learn nothing, not even which sources exist.
  requireBearer(req, deps.config.alertToken);
  if (!SOURCES.includes(source)) {
    throw new HttpError(404, 'unknown_source', `unknown alert source; use one of ${SOURCES.join(', ')}`);
  }
  try {
    const { body } = await readJson(req);
    const parsed = parseAlerts(source, body, {
      featureLabel: deps.catalog.catalog.defaults.featureLabel,
      now: deps.clock.now(),
    });
    if (!parsed.ok)
      throw new HttpError(400, 'invalid_payload', `${parsed.field}: ${parsed.message}`, parsed.field);
    const result = await commit(deps, batcher, source, ctx.requestId, body, parsed.alerts);
    sendJson(res, 202, summarise(result));
    if (result.opened.length) deps.faults.crashAt('alerts-committed', result.opened.join(','));
    await afterCommit(deps, result, ctx);
  } catch (error) {
    if (error instanceof HttpError) deps.metrics.alertsReceived.inc({ source, outcome: 'rejected' });
    throw error;
  }
}

async function commit(
  deps: IntakeDeps,
  batcher: Batcher,
  source: AlertSource,
  requestId: string,
  body: unknown,
  alerts: NormalisedAlert[],
): Promise<IntakeResult> {
  try {
    const routed = alerts.map((alert) => ({ alert, route: routeOf(deps, alert) }));
    return await batcher.submit({ kind: source, requestId, body, alerts: routed });
  } catch (error) {
    deps.logger.error({ err: error, requestId }, 'could not store alerts');
    throw new HttpError(503, 'unavailable', 'alerts could not be stored; retry later');
  }
}

function routeOf(deps: IntakeDeps, alert: NormalisedAlert): Route | null {
  const feature = deps.catalog.featureForLabels(alert.labels, alert.feature);
  return feature ? { featureKey: feature.key, autoResolve: feature.autoResolve } : null;
}

function summarise(result: IntakeResult) {
  const counts: Record<string, number> = {};
  for (const o of result.outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  return {
    accepted: result.outcomes.length,
    outcomes: counts,
    incidents: [...result.opened, ...result.touched],
  };
}

/** Side effects go through the queue; the page is tried inline first for latency. */
async function afterCommit(deps: IntakeDeps, result: IntakeResult, ctx: RouteContext): Promise<void> {
  for (const o of result.outcomes) {
    deps.metrics.alertsReceived.inc({ source: o.alert.source, outcome: o.outcome });
    if (o.outcome === 'unrouted') {
      ctx.log.warn(
        { fingerprint: o.alert.fingerprint, labels: o.alert.labels, payloadId: result.payloadId },
        'alert matches no feature and the catalog has no default route; stored as unrouted',
      );
    }
  }
  try {
    for (const id of result.opened)
      await deps.queue.enqueue('page', id, { incidentId: id }, { inline: true });
    for (const id of result.touched) await requestRefresh(deps, id);
  } catch (error) {
    // The alerts are committed; the sweep re-queues pages for incidents left pending.
    ctx.log.error({ err: error }, 'could not queue follow-up work; the sweep will pick it up');
  }
}
