// Paging: turn a new incident into a PagerDuty page for a named person and one Slack
// message that says who. Every step is a queued job so nothing is lost across restarts.
// Public API for other capabilities: requestRefresh (an incident's message shows new counts).
import { UpstreamError } from '../../adapters/http.ts';
import { EffectBusyError } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import type { Capability } from '../../kernel/capability.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';
import { ackDmJobs } from './ack-dm.ts';
import { registerAckLink } from './ack-routes.ts';
import { onAckTimeout } from './ack-timeout.ts';
import { postIncidentMessage, refreshIncidentMessage } from './announce.ts';

export { actOnIncident } from './actions.ts';
export { refreshIncidentMessage, requestRefresh } from './announce.ts';
export type { PagingDeps } from './deps.ts';

import { incidentsAwaitingPage, updateIncident } from '../../store/incidents.ts';
import { unprocessedPagerDutyWebhooks } from '../../store/pagerduty-webhooks.ts';
import { registerButtons } from './buttons.ts';
import type { PagingDeps } from './deps.ts';
import { registerOncall } from './oncall.ts';
import { pageIncident } from './page.ts';
import { markUnreachable, notifyUnreachable } from './unreachable.ts';
import { receivePagerDutyWebhook } from './webhook.ts';
import { applyPagerDutyWebhook } from './webhook-apply.ts';

/** PagerDuty outages are retried for days, a minute apart at most: the page must go out. */
const PAGE_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 60_000 };
const SLACK_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * A page not queued this long after its incident was committed was lost by a crash between the
 * commit and the enqueue (a live request queues it milliseconds after): every live replica looks
 * this often, so a dead replica's page goes out seconds late, not a minute (fault 6).
 */
const SWEEP_EVERY_MS = 5_000;
const LOST_AFTER_MS = 5_000;

/** Per runtime: the sweep interval belongs to this instance, so two replicas in one process keep theirs. */
export function createPaging(
  options: { sweepIntervalMs?: number; incidentChanged?: IncidentChanged } = {},
): Capability<PagingDeps> {
  let sweep: NodeJS.Timeout | undefined;
  const { incidentChanged } = options;
  const withHook = (deps: PagingDeps): PagingDeps => (incidentChanged ? { ...deps, incidentChanged } : deps);
  return {
    name: 'paging',
    register(app, appDeps) {
      const deps = withHook(appDeps);
      deps.http.route('POST', '/webhooks/pagerduty', (req, res, ctx) =>
        receivePagerDutyWebhook(deps, req, res, ctx),
      );
      registerButtons(app, deps);
      registerOncall(app, deps);
      registerAckLink(deps);
    },
    jobs: (deps) => [...pagingJobs(withHook(deps)), ...ackDmJobs(withHook(deps))],
    async start(deps) {
      sweep = setInterval(() => {
        sweepPendingPages(deps).catch((error: unknown) =>
          deps.logger.error({ err: error }, 'page sweep failed'),
        );
      }, options.sweepIntervalMs ?? SWEEP_EVERY_MS);
      sweep.unref();
    },
    async stop() {
      clearInterval(sweep);
    },
  };
}

function pagingJobs(deps: PagingDeps): JobDefinition[] {
  const { queue } = deps;
  return [
    {
      name: 'page',
      maxAttempts: 5_000,
      backoff: PAGE_BACKOFF,
      handler: (job) => pageIncident(deps, job.incidentId),
      onRetry: async (job, error) => {
        if (error instanceof EffectBusyError) return;
        deps.metrics.pages.inc({ outcome: 'retried' });
        if (await markUnreachable(deps, job.incidentId, String((error as Error).message))) {
          await queue.enqueue(
            'page-notice',
            job.incidentId,
            { ...job, problem: 'unreachable' },
            { inline: true },
          );
        }
      },
      onGiveUp: async (job, error) => {
        deps.metrics.pages.inc({ outcome: 'failed' });
        await updateIncident(deps.db, job.incidentId, {
          pageState: 'failed',
          pageError: String((error as Error).message).slice(0, 500),
        });
        const problem =
          error instanceof UpstreamError && error.kind !== 'retryable' ? 'rejected' : 'unreachable';
        await queue.enqueue('page-notice', `${job.incidentId}:failed`, { ...job, problem }, { inline: true });
      },
    },
    {
      name: 'page-notice',
      backoff: SLACK_BACKOFF,
      handler: (job) => notifyUnreachable(deps, job.incidentId, job.problem),
    },
    {
      name: 'slack-post',
      backoff: SLACK_BACKOFF,
      handler: (job) => postIncidentMessage(deps, job.incidentId),
    },
    {
      name: 'slack-refresh',
      backoff: SLACK_BACKOFF,
      handler: (job) => refreshIncidentMessage(deps, job.incidentId),
    },
    {
      name: 'pd-webhook',
      backoff: SLACK_BACKOFF,
      handler: (job) => applyPagerDutyWebhook(deps, job.eventId),
    },
    {
      name: 'ack-timeout',
      maxAttempts: 8,
      backoff: SLACK_BACKOFF,
      handler: (job) => onAckTimeout(deps, job),
    },
  ];
}

/**
 * Re-queues pages (and PagerDuty webhooks) still waiting after a crash between commit and enqueue.
 * Job ids are derived from the incident, so a page already queued is not queued twice.
 */
export async function sweepPendingPages(deps: PagingDeps, olderThanMs = LOST_AFTER_MS): Promise<number> {
  const stale = await incidentsAwaitingPage(deps.db, new Date(deps.clock.now().getTime() - olderThanMs));
  let queued = 0;
  for (const id of stale) if (await deps.queue.enqueue('page', id, { incidentId: id })) queued++;
  // Webhooks stored but never processed (a crash between commit and enqueue).
  const webhooks = await unprocessedPagerDutyWebhooks(
    deps.db,
    new Date(deps.clock.now().getTime() - olderThanMs),
  );
  for (const eventId of webhooks) {
    if (await deps.queue.enqueue('pd-webhook', eventId, { eventId })) queued++;
  }
  return queued;
}
