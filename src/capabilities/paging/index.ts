// Paging: turn a new incident into a PagerDuty page for a named person and one Slack
// message that says who. Every step is a queued job so nothing is lost across restarts.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { UpstreamError } from '../../adapters/http.ts';
import { EffectBusyError } from '../../jobs/effects.ts';
import { incidentsAwaitingPage, updateIncident } from '../../store/incidents.ts';
import { unprocessedPagerDutyWebhooks } from '../../store/pagerduty-webhooks.ts';
import { registerAckLink } from './ack-routes.ts';
import { onAckTimeout } from './ack-timeout.ts';
import { postIncidentMessage, refreshIncidentMessage } from './announce.ts';
import { registerButtons } from './buttons.ts';
import type { PagingDeps } from './deps.ts';
import { registerOncall } from './oncall.ts';
import { pageIncident } from './page.ts';
import { markUnreachable, notifyUnreachable } from './unreachable.ts';
import { receivePagerDutyWebhook } from './webhook.ts';
import { applyPagerDutyWebhook } from './webhook-apply.ts';

const IncidentJob = z.object({ incidentId: z.uuid() });
const NoticeJob = IncidentJob.extend({ problem: z.enum(['unreachable', 'rejected']) });

/** PagerDuty outages are retried for days, a minute apart at most: the page must go out. */
const PAGE_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 60_000 };
const SLACK_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

export function register(app: App, deps: PagingDeps): void {
  const { queue } = deps;
  queue.define({
    name: 'page',
    schema: IncidentJob,
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
  });
  queue.define({
    name: 'page-notice',
    schema: NoticeJob,
    backoff: SLACK_BACKOFF,
    handler: (job) => notifyUnreachable(deps, job.incidentId, job.problem),
  });
  queue.define({
    name: 'slack-post',
    schema: IncidentJob,
    backoff: SLACK_BACKOFF,
    handler: (job) => postIncidentMessage(deps, job.incidentId),
  });
  queue.define({
    name: 'slack-refresh',
    schema: IncidentJob,
    backoff: SLACK_BACKOFF,
    handler: (job) => refreshIncidentMessage(deps, job.incidentId),
  });
  queue.define({
    name: 'pd-webhook',
    schema: z.object({ webhookId: z.string().min(1) }),
    backoff: SLACK_BACKOFF,
    handler: (job) => applyPagerDutyWebhook(deps, job.webhookId),
  });
  queue.define({
    name: 'ack-timeout',
    schema: z.object({ incidentId: z.uuid(), level: z.number().int(), assigneePdId: z.string().nullable() }),
    maxAttempts: 8,
    backoff: SLACK_BACKOFF,
    handler: (job) => onAckTimeout(deps, job),
  });
  deps.http.route('POST', '/webhooks/pagerduty', (req, res, ctx) =>
    receivePagerDutyWebhook(deps, req, res, ctx),
  );
  registerButtons(app, deps);
  registerOncall(app, deps);
  registerAckLink(deps);
}

/**
 * Re-queues pages (and PagerDuty webhooks) still waiting after a crash between commit and enqueue.
 * Job ids are derived from the incident, so a page already queued is not queued twice.
 */
export async function sweepPendingPages(deps: PagingDeps, olderThanMs = 30_000): Promise<number> {
  const stale = await incidentsAwaitingPage(deps.db, new Date(deps.clock.now().getTime() - olderThanMs));
  let queued = 0;
  for (const id of stale) if (await deps.queue.enqueue('page', id, { incidentId: id })) queued++;
  // Webhooks stored but never processed (a crash between commit and enqueue).
  const webhooks = await unprocessedPagerDutyWebhooks(
    deps.db,
    new Date(deps.clock.now().getTime() - olderThanMs),
  );
  for (const webhookId of webhooks) {
    if (await deps.queue.enqueue('pd-webhook', webhookId, { webhookId })) queued++;
  }
  return queued;
}
