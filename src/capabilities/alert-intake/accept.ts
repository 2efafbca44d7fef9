// What every alert route does once a body is trusted and parsed: route each alert to a catalog
// feature, commit through the batcher, and only then queue the page or the refresh. Shared by
// the bearer-token sources (index.ts) and Langfuse (langfuse-route.ts), so they dedup and page alike.
import { HttpError } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import type { IntakeResult, Route } from '../../store/ingest.ts';
import { requestRefresh } from '../paging/index.ts';
import type { createIntakeBatcher } from './batcher.ts';
import type { IntakeDeps } from './deps.ts';
import type { AlertSource, NormalisedAlert } from './types.ts';

export type Batcher = ReturnType<typeof createIntakeBatcher>;

/** Stores the raw body and its alerts in one transaction; a database failure is a 503 to retry. */
export async function commit(
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

export function summarise(result: IntakeResult) {
  const counts: Record<string, number> = {};
  for (const o of result.outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  return {
    accepted: result.outcomes.length,
    outcomes: counts,
    incidents: [...result.opened, ...result.touched],
  };
}

/** Side effects go through the queue; the page is tried inline first for latency. */
export async function afterCommit(deps: IntakeDeps, result: IntakeResult, ctx: RouteContext): Promise<void> {
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
